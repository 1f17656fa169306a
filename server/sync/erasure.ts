/**
 * Central copies of personal data follow the applicant's will: an erasure, or a withdrawal of `central-sync`, removes
 * every `applicant.record` attachment held for that applicant. Audit entries stay (attachments are outside the hash),
 * so every device chain still verifies.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { PushEntry } from '../../shared/sync/push';
import type { ServerDb } from '../db/database';
import { auditEntries } from '../db/schema';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

export const SHREDDED = 'applicant.record.removed';

export async function removePersonalData(tx: Tx | ServerDb, applicantIds: readonly string[]): Promise<void> {
  if (applicantIds.length === 0) {
    return;
  }
  await tx
    .update(auditEntries)
    .set({ attachment: null, attachmentKind: SHREDDED })
    .where(and(inArray(auditEntries.subject, [...applicantIds]), eq(auditEntries.attachmentKind, 'applicant.record')));
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
