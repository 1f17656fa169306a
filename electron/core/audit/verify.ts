/**
 * Recomputes the whole hash chain and checks every signed checkpoint. Streams rows (constant memory) so a
 * million-entry log verifies in seconds. Reports the first bad sequence number and why.
 */
import type { SqliteConnection } from '../db/open';
import { toStorageError } from '../db/open';
import { checkDatabaseIntegrity, checkDatabaseIntegrityInWorker } from '../db/integrity';
import { publicKeyFromBase64, verifySignature } from '../crypto/device-key';
import { chainHash, GENESIS_HASH } from './hash';
import { checkpointMessage } from './checkpoint';

export type ChainVerification =
  | { ok: true; entries: number; headSeq: number; headHash: string; checkpoints: number }
  | { ok: false; firstBadSeq: number; reason: string; entries: number };

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

type Row = [
  seq: number,
  ts: string,
  actor: string,
  action: string,
  subject: string | null,
  payload: string,
  prevHash: string,
  hash: string,
];

/** Where the worker finds the file for the parallel page check. */
export interface IntegritySource {
  readonly file: string;
  readonly key: Uint8Array;
}

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
  const checkpointAt = new Map(checkpoints.map((c) => [c.seq, c]));
  const devicePublicKey = publicKeyFromBase64(device.publicKey);

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  const rows = sqlite
    .prepare<[], Row>('SELECT seq, ts, actor, action, subject, payload, prev_hash, hash FROM audit_log ORDER BY seq')
    .raw()
    .iterate();
  for (const [seq, ts, actor, action, subject, payload, storedPrev, storedHash] of rows) {
    const bad = (reason: string): ChainVerification => ({ ok: false, firstBadSeq: expectedSeq, reason, entries });
    if (seq !== expectedSeq) {
      return bad(`sequence gap: expected entry ${expectedSeq}, found ${seq} (entries deleted or renumbered)`);
    }
    if (storedPrev !== prevHash) {
      return bad(`prev_hash does not match the hash of entry ${seq - 1} (entries reordered, replaced or removed)`);
    }
    const hash = chainHash(prevHash, { seq, ts, actor, action, subject, payload });
    if (hash !== storedHash) {
      return bad('entry content does not match its hash (entry altered)');
    }
    const checkpoint = checkpointAt.get(seq);
    if (checkpoint !== undefined) {
      const problem = checkCheckpoint(checkpoint, hash, device, devicePublicKey);
      if (problem !== null) {
        return bad(problem);
      }
    }
    prevHash = hash;
    expectedSeq += 1;
    entries += 1;
  }
  const headSeq = expectedSeq - 1;
  const beyond = checkpoints.find((c) => c.seq > headSeq);
  if (beyond !== undefined) {
    return {
      ok: false,
      firstBadSeq: headSeq + 1,
      reason: `log truncated: a signed checkpoint covers entry ${beyond.seq} but the chain ends at ${headSeq}`,
      entries,
    };
  }
  return { ok: true, entries, headSeq, headHash: prevHash, checkpoints: checkpoints.length };
}

function checkCheckpoint(
  checkpoint: CheckpointRow,
  hash: string,
  device: VerifyOptions,
  devicePublicKey: ReturnType<typeof publicKeyFromBase64>,
): string | null {
  if (checkpoint.headHash !== hash) {
    return `signed checkpoint at entry ${checkpoint.seq} does not match the chain (history rewritten)`;
  }
  if (checkpoint.deviceId !== device.deviceId || checkpoint.publicKey !== device.publicKey) {
    return `checkpoint at entry ${checkpoint.seq} was not signed by this device's key`;
  }
  const message = checkpointMessage(checkpoint.deviceId, checkpoint.seq, checkpoint.headHash);
  if (!verifySignature(devicePublicKey, message, checkpoint.signature)) {
    return `checkpoint signature at entry ${checkpoint.seq} is invalid`;
  }
  return null;
}
