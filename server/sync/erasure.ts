/**
 * Central copies of personal data follow the applicant's will: an erasure, or a withdrawal of `central-sync`, removes
 * what the workstation sent only under that grant (docs/sync-protocol.md §7): the applicant record and behavioural
 * values go entirely (kind becomes `<kind>.removed`), a score keeps its outcome but loses its per-feature
 * contributions and plan, a decision keeps its reason codes but loses the officer's free-text note. Audit entries stay
 * (attachments are outside the hash), so every device chain still verifies.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { PushEntry } from '../../shared/sync/push';
import type { ServerDb } from '../db/database';
import { auditEntries, feedItems } from '../db/schema';
import { destroyApplicantKeys } from './attachment-vault';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

const REMOVED_ENTIRELY = ['applicant.record', 'behaviour.summary'];

export async function removePersonalData(tx: Tx | ServerDb, applicantIds: readonly string[]): Promise<void> {
  if (applicantIds.length === 0) {
    return;
  }
  // The sealed parts become unreadable with their key; the ciphertext goes too, so nothing is left to attack.
  await destroyApplicantKeys(tx, applicantIds);
  const subjects = inArray(auditEntries.subject, [...applicantIds]);
  await tx.update(auditEntries).set({ attachmentSealed: null }).where(subjects);
  await tx
    .update(auditEntries)
    .set({ attachment: null, attachmentKind: sql`${auditEntries.attachmentKind} || '.removed'` })
    .where(and(subjects, inArray(auditEntries.attachmentKind, REMOVED_ENTIRELY)));
  await tx
    .update(auditEntries)
    .set({ attachment: sql`${auditEntries.attachment} - 'contributions' - 'plan'` })
    .where(and(subjects, eq(auditEntries.attachmentKind, 'score.result')));
  await tx
    .update(auditEntries)
    .set({ attachment: sql`jsonb_set(${auditEntries.attachment}, '{override,note}', 'null'::jsonb)` })
    .where(
      and(
        subjects,
        eq(auditEntries.attachmentKind, 'decision.record'),
        sql`jsonb_typeof(${auditEntries.attachment} -> 'override') = 'object'`,
      ),
    );
}

/**
 * Of these applicants, those whose personal data must not be held centrally any more: an erasure or a central-sync
 * withdrawal is on the feed (raised by the bank or pushed by any branch). A branch that has not pulled it yet may
 * still push older entries with personal attachments; they are removed as they arrive.
 */
export async function applicantsAlreadyWithdrawn(
  tx: Tx | ServerDb,
  applicantIds: readonly string[],
): Promise<string[]> {
  if (applicantIds.length === 0) {
    return [];
  }
  const rows = await tx
    .selectDistinct({ applicantId: sql<string>`${feedItems.body} ->> 'applicantId'` })
    .from(feedItems)
    .where(
      and(
        inArray(sql`${feedItems.body} ->> 'applicantId'`, [...applicantIds]),
        sql`(${feedItems.kind} = 'applicant.erasure' or (${feedItems.kind} = 'consent.withdrawal' and ${feedItems.body} ->> 'purpose' = 'central-sync'))`,
      ),
    );
  return rows.map((r) => r.applicantId);
}

/** Applicants whose central personal data must go, from a pushed batch. */
export function applicantsToShred(entries: readonly PushEntry[]): string[] {
  const out = new Set<string>();
  for (const entry of entries) {
    if (entry.subject === null) {
      continue;
    }
    if (entry.action === 'applicant.erased') {
      out.add(entry.subject);
    } else if (entry.action === 'consent.withdrawn') {
      const payload: unknown = JSON.parse(entry.payload);
      if (
        typeof payload === 'object' &&
        payload !== null &&
        'purpose' in payload &&
        payload.purpose === 'central-sync'
      ) {
        out.add(entry.subject);
      }
    }
  }
  return [...out];
}
