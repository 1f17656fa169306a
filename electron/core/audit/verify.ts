/**
 * Recomputes the whole hash chain and checks every signed checkpoint. Streams rows (constant memory) so a
 * million-entry log verifies in seconds. Reports the first bad sequence number and why.
 */
import type { SqliteConnection } from '../db/open';
import { toStorageError } from '../db/open';
import { checkDatabaseIntegrity, describeQuickCheck, damagedPage } from '../db/integrity';
import {
  checkpointMessage,
  publicKeyFromBase64,
  verifySignature,
  walkChain,
  type ChainEntry,
  type ChainVerification,
  type CheckpointTrust,
} from '../../../audit-chain';
import { walkChainInWorkers, type ParallelWalkOutcome } from './parallel-walk';

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

/** Below this many entries the walk runs inline: starting workers would cost more than they save. */
const PARALLEL_THRESHOLD = 50_000;

/** How the parallel walk is split; tests make it split a short chain into many ranges. */
export interface VerifyTuning {
  /** Walk in workers from this many entries (given an integrity source). */
  readonly parallelFrom?: number;
  readonly rangeEntries?: number;
  readonly workers?: number;
}

/**
 * Checks every page of the file (HMAC and b-tree structure), then the chain itself. With `integrity` given and a long
 * chain, worker threads walk ranges of the chain while one of them runs the page check first (parallel-walk.ts).
 */
export async function verifyAuditChain(
  sqlite: SqliteConnection,
  device: VerifyOptions,
  integrity?: IntegritySource,
  tuning?: VerifyTuning,
): Promise<ChainVerification> {
  let length: number;
  try {
    length = readLength(sqlite);
  } catch {
    return damagedPages(checkDatabaseIntegrity(sqlite) ?? 'database file damaged: the audit table cannot be read');
  }
  if (integrity === undefined || length < (tuning?.parallelFrom ?? PARALLEL_THRESHOLD)) {
    const damaged = checkDatabaseIntegrity(sqlite);
    return damaged === null ? verify(sqlite, device) : damagedPages(damaged);
  }
  const outcome = await walkInWorkers(sqlite, device, integrity, true, tuning);
  const { pages } = outcome;
  const damaged = pages === null ? null : pages.rows ? describeQuickCheck(pages.rows) : damagedPage(pages.code);
  if (damaged !== null) {
    return damagedPages(damaged);
  }
  return walkVerdict(outcome);
}

/** Timings of one parallel verification, for the benchmark's breakdown. */
export interface VerifyTimings {
  readonly verdict: ChainVerification;
  /** From the start of the walk until every range and the page check are done. */
  readonly totalMs: number;
  /** The page check alone, on its worker. */
  readonly pageCheckMs: number;
}

/** verifyAuditChain's parallel path, returning its timings too (bench/audit.bench.ts). */
export async function verifyAuditChainTimed(
  sqlite: SqliteConnection,
  device: VerifyOptions,
  integrity: IntegritySource,
  tuning?: VerifyTuning,
): Promise<VerifyTimings> {
  const outcome = await walkInWorkers(sqlite, device, integrity, true, { ...tuning, parallelFrom: 0 });
  const { pages } = outcome;
  const damaged = pages === null ? null : pages.rows ? describeQuickCheck(pages.rows) : damagedPage(pages.code);
  return {
    verdict: damaged !== null ? damagedPages(damaged) : walkVerdict(outcome),
    totalMs: outcome.walkMs,
    pageCheckMs: pages?.ms ?? 0,
  };
}

/** The chain walk alone in workers, without the page check: only for the benchmark's breakdown. */
export async function walkAuditChainForBench(
  sqlite: SqliteConnection,
  device: VerifyOptions,
  integrity: IntegritySource,
): Promise<{ readonly verdict: ChainVerification; readonly walkMs: number }> {
  const outcome = await walkInWorkers(sqlite, device, integrity, false);
  return { verdict: walkVerdict(outcome), walkMs: outcome.walkMs };
}

type WorkerWalk = ParallelWalkOutcome & { readonly checkpoints: readonly CheckpointRow[] };

function damagedPages(reason: string): ChainVerification {
  return { ok: false, firstBadSeq: 0, reason, entries: 0 };
}

function readLength(sqlite: SqliteConnection): number {
  return sqlite.prepare<[], { n: number | null }>('SELECT max(seq) AS n FROM audit_log').get()?.n ?? 0;
}

async function walkInWorkers(
  sqlite: SqliteConnection,
  device: VerifyOptions,
  integrity: IntegritySource,
  pageCheck: boolean,
  tuning?: VerifyTuning,
): Promise<WorkerWalk> {
  let snapshot: { length: number; checkpoints: CheckpointRow[] };
  try {
    // One snapshot: a checkpoint appended after max(seq) was read would look like a truncated log. The workers read
    // their own later snapshots, which hold the same rows up to `length` (the tables are append-only).
    snapshot = sqlite.transaction(() => ({ length: readLength(sqlite), checkpoints: readCheckpoints(sqlite) }))();
  } catch (error) {
    const damaged = checkDatabaseIntegrity(sqlite);
    if (damaged !== null) {
      return { chain: damagedPages(damaged), pages: null, walkMs: 0, checkpoints: [] };
    }
    throw toStorageError(error);
  }
  const trust = deviceTrust(device);
  return walkChainInWorkers({
    file: integrity.file,
    key: integrity.key,
    length: snapshot.length,
    checkpoints: snapshot.checkpoints,
    signatureProblem: (checkpoint) => {
      const signer = trust(checkpoint);
      if (!signer.ok) {
        return signer.reason;
      }
      const message = checkpointMessage(signer.signerId, checkpoint.seq, checkpoint.headHash);
      return verifySignature(signer.publicKey, message, checkpoint.signature)
        ? null
        : `checkpoint signature at entry ${checkpoint.seq} is invalid`;
    },
    pageCheck,
    ...(tuning?.rangeEntries === undefined ? {} : { rangeEntries: tuning.rangeEntries }),
    ...(tuning?.workers === undefined ? {} : { workers: tuning.workers }),
  }).then((outcome) => ({ ...outcome, checkpoints: snapshot.checkpoints }));
}

/** A walk's verdict with the checkpoint spacing checked; a worker's read failure becomes the typed storage error. */
function walkVerdict(outcome: WorkerWalk): ChainVerification {
  const { chain } = outcome;
  if ('storageError' in chain) {
    throw toStorageError(Object.assign(new Error('the audit table could not be read'), { code: chain.storageError }));
  }
  return chain.ok ? checkpointSpacing(outcome.checkpoints, chain) : chain;
}

function readCheckpoints(sqlite: SqliteConnection): CheckpointRow[] {
  return sqlite
    .prepare<[], CheckpointRow>(
      'SELECT seq, head_hash AS headHash, device_id AS deviceId, public_key AS publicKey, signature FROM audit_checkpoints ORDER BY seq',
    )
    .all();
}

/** Only this device's own key may have signed its checkpoints; any other is a forgery. */
function deviceTrust(device: VerifyOptions): CheckpointTrust<CheckpointRow> {
  const devicePublicKey = publicKeyFromBase64(device.publicKey);
  return (checkpoint) => {
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
}

function verify(sqlite: SqliteConnection, device: VerifyOptions): ChainVerification {
  const checkpoints = readCheckpoints(sqlite);
  const entries = sqlite
    .prepare<[], ChainEntry>(
      'SELECT seq, ts, actor, action, subject, payload, prev_hash AS prevHash, hash FROM audit_log ORDER BY seq',
    )
    .iterate();
  const walked = walkChain(entries, checkpoints, deviceTrust(device));
  return walked.ok ? checkpointSpacing(checkpoints, walked) : walked;
}

/** A stretch longer than MAX_CHECKPOINT_GAP without a checkpoint means checkpoints were removed. */
function checkpointSpacing(
  checkpoints: readonly CheckpointRow[],
  walked: Extract<ChainVerification, { ok: true }>,
): ChainVerification {
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
