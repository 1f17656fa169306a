/**
 * A device's own chain as the centre stored it, for a workstation restored from an older recovery bundle
 * (shared/sync/recovery.ts): the entries it pushed after `after`, verbatim and without attachments, and the
 * countersigned checkpoints among them, so it can verify and re-insert them and continue its chain without a fork.
 */
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import type { ChainPage, ChainTailEntry } from '../../shared/sync/recovery';
import type { ServerDb } from '../db/database';
import { auditEntries, countersignedCheckpoints, devices } from '../db/schema';
import { ApiError } from '../http/errors';
import { view } from './ingest';

/** Only ever reads rows of `deviceId`, which the caller takes from the access token, never from the request. */
export async function readChainTail(db: ServerDb, deviceId: string, after: number, limit: number): Promise<ChainPage> {
  return db.transaction(async (tx) => {
    // One snapshot for head, entries and checkpoints: a push committing meanwhile cannot make them disagree.
    const [device] = await tx
      .select({ ackedSeq: devices.ackedSeq, ackedHash: devices.ackedHash, lastPushId: devices.lastPushId })
      .from(devices)
      .where(eq(devices.deviceId, deviceId));
    if (device === undefined) {
      throw new ApiError(401, 'UNAUTHENTICATED', 'Unknown device.');
    }
    // One row beyond the page says whether there is more, without counting.
    const rows = await tx
      .select({
        seq: auditEntries.seq,
        ts: auditEntries.ts,
        actor: auditEntries.actor,
        action: auditEntries.action,
        subject: auditEntries.subject,
        payload: auditEntries.payload,
        prevHash: auditEntries.prevHash,
        hash: auditEntries.hash,
      })
      .from(auditEntries)
      // Bounded by the acknowledged head: the page is what the centre vouches for, consecutive from `after`.
      .where(
        and(eq(auditEntries.deviceId, deviceId), gt(auditEntries.seq, after), lte(auditEntries.seq, device.ackedSeq)),
      )
      .orderBy(asc(auditEntries.seq))
      .limit(limit + 1);
    const entries: ChainTailEntry[] = rows.slice(0, limit);
    const last = entries.at(-1);
    const checkpoints =
      last === undefined
        ? []
        : await tx
            .select()
            .from(countersignedCheckpoints)
            .where(
              and(
                eq(countersignedCheckpoints.deviceId, deviceId),
                gt(countersignedCheckpoints.seq, after),
                lte(countersignedCheckpoints.seq, last.seq),
              ),
            )
            .orderBy(asc(countersignedCheckpoints.seq));
    return {
      entries,
      checkpoints: checkpoints.map((c) => ({
        seq: c.seq,
        headHash: c.headHash,
        signature: c.deviceSignature,
        countersignature: view(deviceId, c),
      })),
      head: { seq: device.ackedSeq, hash: device.ackedHash },
      lastPushId: device.lastPushId,
      more: rows.length > limit,
    };
  });
}
