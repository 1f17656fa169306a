/**
 * Recomputes the whole hash chain and checks every signed checkpoint. Streams rows (constant memory) so a
 * million-entry log verifies in seconds. Reports the first bad sequence number and why.
 */
import type { SqliteConnection } from '../db/open';
import { toStorageError } from '../db/open';
import { checkDatabaseIntegrity, checkDatabaseIntegrityInWorker } from '../db/integrity';
import {
  publicKeyFromBase64,
  walkChain,
  type ChainEntry,
  type ChainVerification,
  type CheckpointTrust,
} from '../../../audit-chain';

export type { ChainVerification } from '../../../audit-chain';

interface CheckpointRow {
  seq: number;
  headHash: string;
  deviceId: string;
  publicKey: string;
  signature: string;
}

export interface VerifyOptions {
  /** The device's own identity; a checkpoint signed by another key is a forgery. */
  readonly deviceId: string;
  readonly publicKey: string;
}

/** Where the worker finds the file for the parallel page check. */
export interface IntegritySource {
  readonly file: string;
  readonly key: Uint8Array;
}

/**
 * The device signs a checkpoint at least every this many entries (audit-log.ts refuses a larger period), and at the
 * head before every push. A longer stretch without one means checkpoints were removed, e.g. to hide a rewrite of
 * entries the device key would otherwise have sealed.
 */
export const MAX_CHECKPOINT_GAP = 500;

/** Below this many entries the page check runs inline: a worker's start-up would cost more than it saves. */
const PARALLEL_THRESHOLD = 50_000;

/**
 * Checks every page of the file (HMAC and b-tree structure), then the chain itself. With `integrity` given and a long
 * chain, the page check runs on a second core while this thread walks the chain.
 */
export async function verifyAuditChain(
  sqlite: SqliteConnection,
  device: VerifyOptions,
  integrity?: IntegritySource,
): Promise<ChainVerification> {
  const damagedPages = (reason: string): ChainVerification => ({ ok: false, firstBadSeq: 0, reason, entries: 0 });
  let length: number;
  try {
    length = sqlite.prepare<[], { n: number | null }>('SELECT max(seq) AS n FROM audit_log').get()?.n ?? 0;
  } catch {
    return damagedPages(checkDatabaseIntegrity(sqlite) ?? 'database file damaged: the audit table cannot be read');
  }
  if (integrity === undefined || length < PARALLEL_THRESHOLD) {
    const damaged = checkDatabaseIntegrity(sqlite);
    return damaged === null ? verify(sqlite, device) : damagedPages(damaged);
  }
  const pageCheck = checkDatabaseIntegrityInWorker(integrity.file, integrity.key);
  try {
    const chain = verify(sqlite, device);
    const damaged = await pageCheck;
    return damaged === null ? chain : damagedPages(damaged);
  } catch (error) {
    // A page that fails while the chain is walked is reported as the worker describes it.
    const damaged = await pageCheck;
    if (damaged !== null) {
      return damagedPages(damaged);
    }
    throw toStorageError(error);
  }
}

function verify(sqlite: SqliteConnection, device: VerifyOptions): ChainVerification {
  const checkpoints = sqlite
    .prepare<[], CheckpointRow>(
      'SELECT seq, head_hash AS headHash, device_id AS deviceId, public_key AS publicKey, signature FROM audit_checkpoints ORDER BY seq',
    )
    .all();
  const devicePublicKey = publicKeyFromBase64(device.publicKey);
  // Only this device's own key may have signed its checkpoints; any other is a forgery.
  const trust: CheckpointTrust<CheckpointRow> = (checkpoint) => {
    if (checkpoint.deviceId !== device.deviceId || checkpoint.publicKey !== device.publicKey) {
      return { ok: false, reason: `checkpoint at entry ${checkpoint.seq} was not signed by this device's key` };
    }
    // Base64 decoding skips whitespace and stray characters, so an edited signature text can still decode to the
    // signed bytes; the stored text must be exactly what the device wrote (found by the tamper sweep).
    if (Buffer.from(checkpoint.signature, 'base64').toString('base64') !== checkpoint.signature) {
      return { ok: false, reason: `checkpoint signature at entry ${checkpoint.seq} is not the text the device stored` };
    }
    return { ok: true, signerId: checkpoint.deviceId, publicKey: devicePublicKey };
  };
  const entries = sqlite
    .prepare<[], ChainEntry>(
      'SELECT seq, ts, actor, action, subject, payload, prev_hash AS prevHash, hash FROM audit_log ORDER BY seq',
    )
    .iterate();
  const walked = walkChain(entries, checkpoints, trust);
  if (!walked.ok) {
    return walked;
  }
  let sealed = 0;
  for (const seq of [...checkpoints.map((c) => c.seq), walked.headSeq]) {
    if (seq - sealed > MAX_CHECKPOINT_GAP) {
      return {
        ok: false,
        firstBadSeq: sealed + MAX_CHECKPOINT_GAP + 1,
        reason: `entries ${sealed + 1}-${seq} are covered by no signed checkpoint (the device signs one at least every ${MAX_CHECKPOINT_GAP} entries): checkpoints were removed`,
        entries: sealed,
      };
    }
    sealed = seq;
  }
  return walked;
}
