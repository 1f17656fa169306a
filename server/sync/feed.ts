/**
 * The pull feed: one ordered table of items devices read after a cursor. Writers take a transaction-scoped advisory
 * lock, so ids become visible in id order and a reader's cursor never skips an item committed later.
 */
import { and, asc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import {
  ConsentWithdrawalSchema,
  ErasureRequestSchema,
  type PullItem,
  type PullItemKind,
} from '../../shared/sync/pull';
import type { ConsentPurpose } from '../../shared/domain/consent';
import type { PushEntry } from '../../shared/sync/push';
import type { ServerDb } from '../db/database';
import { auditEntries, feedItems, type devices } from '../db/schema';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];
const FEED_LOCK = 7_261_843;

export interface FeedWrite {
  readonly kind: PullItemKind;
  readonly body: PullItem['body'];
  readonly branchId?: string | null;
  readonly originDeviceId?: string | null;
  readonly dedupeKey?: string | null;
}

/** Appends items inside the caller's transaction; returns the ids of the items actually added. */
export async function appendFeed(tx: Tx, items: readonly FeedWrite[], now: Date): Promise<number[]> {
  if (items.length === 0) {
    return [];
  }
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${FEED_LOCK})`);
  const rows = await tx
    .insert(feedItems)
    .values(
      items.map((item) => ({
        kind: item.kind,
        body: item.body,
        branchId: item.branchId ?? null,
        originDeviceId: item.originDeviceId ?? null,
        dedupeKey: item.dedupeKey ?? null,
        createdAt: now,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: feedItems.id });
  return rows.map((r) => r.id);
}

/** Of these applicants, those the branch registered (their `applicant.registered` entry came from it). */
export async function registeredByBranch(
  tx: Tx,
  branchId: string,
  applicantIds: readonly string[],
): Promise<Set<string>> {
  if (applicantIds.length === 0) {
    return new Set();
  }
  const rows = await tx
    .selectDistinct({ subject: auditEntries.subject })
    .from(auditEntries)
    .where(
      and(
        eq(auditEntries.branchId, branchId),
        eq(auditEntries.action, 'applicant.registered'),
        inArray(auditEntries.subject, [...applicantIds]),
      ),
    );
  return new Set(rows.map((r) => r.subject ?? ''));
}

/**
 * Consent withdrawals and erasures recorded at one branch become items for every other branch, but only for
 * applicants that branch registered: a request about anyone else is held for a privacy officer (`hold`), so one
 * compromised branch cannot erase or stop processing bank-wide.
 */
export async function publishFromEntries(
  tx: Tx,
  device: typeof devices.$inferSelect,
  entries: readonly PushEntry[],
  now: Date,
  hold: (
    request:
      | { kind: 'applicant.erasure'; body: { applicantId: string } }
      | { kind: 'consent.withdrawal'; body: { applicantId: string; purpose: ConsentPurpose } },
  ) => Promise<unknown>,
): Promise<void> {
  const requested = entries
    .filter((e) => e.subject !== null && (e.action === 'consent.withdrawn' || e.action === 'applicant.erased'))
    .map((e) => e.subject ?? '');
  const own = await registeredByBranch(tx, device.branchId, requested);
  const items: FeedWrite[] = [];
  for (const entry of entries) {
    if (entry.subject === null) {
      continue;
    }
    const origin = { originDeviceId: device.deviceId, dedupeKey: `${device.deviceId}:${entry.seq}` };
    // Only well-formed items are published: one malformed item must never block other branches' pulls.
    if (entry.action === 'consent.withdrawn') {
      const payload: unknown = JSON.parse(entry.payload);
      const purpose = typeof payload === 'object' && payload !== null && 'purpose' in payload ? payload.purpose : null;
      const body = ConsentWithdrawalSchema.safeParse({
        applicantId: entry.subject,
        purpose,
        originDeviceId: device.deviceId,
      });
      if (body.success) {
        if (own.has(entry.subject)) {
          items.push({ kind: 'consent.withdrawal', body: body.data, ...origin });
        } else {
          await hold({
            kind: 'consent.withdrawal',
            body: { applicantId: body.data.applicantId, purpose: body.data.purpose },
          });
        }
      }
    } else if (entry.action === 'applicant.erased') {
      const body = ErasureRequestSchema.safeParse({ applicantId: entry.subject, originDeviceId: device.deviceId });
      if (body.success) {
        if (own.has(entry.subject)) {
          items.push({ kind: 'applicant.erasure', body: body.data, ...origin });
        } else {
          await hold({ kind: 'applicant.erasure', body: { applicantId: body.data.applicantId } });
        }
      }
    }
  }
  await appendFeed(tx, items, now);
}

export async function readFeed(
  db: ServerDb,
  device: { deviceId: string; branchId: string },
  after: number,
  limit: number,
): Promise<{ items: PullItem[]; cursor: number; more: boolean }> {
  const rows = await db
    .select()
    .from(feedItems)
    .where(
      and(
        gt(feedItems.id, after),
        or(isNull(feedItems.branchId), eq(feedItems.branchId, device.branchId)),
        or(isNull(feedItems.originDeviceId), ne(feedItems.originDeviceId, device.deviceId)),
      ),
    )
    .orderBy(asc(feedItems.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const items = page.map((r) => ({ id: r.id, at: r.createdAt.toISOString(), kind: r.kind, body: r.body }) as PullItem);
  return { items, cursor: page.at(-1)?.id ?? after, more: rows.length > limit };
}
