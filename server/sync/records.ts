/** Writes what the console shows about trouble: chain issues (deduplicated) and refused requests. */
import { and, eq } from 'drizzle-orm';
import type { ChainIssueKind } from '../../shared/sync/admin';
import type { ServerDb } from '../db/database';
import { chainIssues, devices, failures } from '../db/schema';

/** Records a chain issue once per (device, kind, seq) and marks the device flagged. */
export async function flagChainIssue(
  db: ServerDb,
  deviceId: string,
  kind: ChainIssueKind,
  seq: number,
  detail: string,
  at: Date,
): Promise<void> {
  const existing = await db
    .select({ id: chainIssues.id })
    .from(chainIssues)
    .where(and(eq(chainIssues.deviceId, deviceId), eq(chainIssues.kind, kind), eq(chainIssues.seq, seq)))
    .limit(1);
  if (existing.length === 0) {
    await db.insert(chainIssues).values({ deviceId, kind, seq, detail, at });
  }
  await db.update(devices).set({ chainStatus: 'flagged' }).where(eq(devices.deviceId, deviceId));
}

export async function recordFailure(
  db: ServerDb,
  failure: { deviceId: string | null; route: string; code: string; detail: string; at: Date },
): Promise<void> {
  await db.insert(failures).values(failure);
}
