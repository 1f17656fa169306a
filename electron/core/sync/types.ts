/**
 * The sync client's seams. Everything it touches is an interface here, so it runs the same against the real audit
 * chain and meta table (audit-source.ts, meta-state.ts) and against the simulated devices of the fault harness.
 */
import type { AuditRecord } from '../audit/audit-log';
import type { Attachment } from '../../../shared/sync/push';
import type { ChainPoint } from '../../../shared/sync/push';
import type { PullItem } from '../../../shared/sync/pull';

/** Read side of the device's audit chain: the outbox. */
export interface ChainSource {
  head(): ChainPoint;
  /** Entries with seq > `after`, ascending, at most `limit`. */
  entriesAfter(after: number, limit: number): AuditRecord[];
  /** Signed checkpoints with `after` < seq ≤ `upTo`, ascending. */
  checkpointsBetween(after: number, upTo: number): { seq: number; headHash: string; signature: string }[];
  /** Signs a checkpoint at the head if it has none, so the push carries one for the server to countersign. */
  sealHead?(): void;
  hashAt(seq: number): string | undefined;
}

/**
 * What travels with an entry: a consent receipt, the applicant record (only while `central-sync` is granted),
 * behavioural summary, score or decision. Pure: must not write, and returns null when nothing goes with the entry.
 */
export type AttachmentFor = (entry: AuditRecord) => Attachment | null;

/** `sync.*` keys in the workstation's meta table (get/set are synchronous, as SQLite is). */
export interface SyncStateStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/** The device's Ed25519 identity (electron/core/crypto/device-key.ts DeviceKey satisfies it). */
export interface DeviceSigner {
  readonly deviceId: string;
  readonly publicKey: string;
  sign(message: string): string;
}

/**
 * `applied`: done (and audited by the service that applied it); `ignored`: nothing to do here (unknown applicant,
 * already withdrawn); `rejected`: refused for good (e.g. a model release whose signature fails) and reported.
 * A handler throws only for a passing problem: the item is then retried at the next sync.
 */
/** What applying a pulled item did; a refusal may say why (shown on the status panel, kept in the audit). */
export type PullOutcome = 'applied' | 'ignored' | 'rejected' | { readonly rejected: string };

export type PullHandlers = {
  readonly [K in PullItem['kind']]: (item: Extract<PullItem, { kind: K }>) => PullOutcome | Promise<PullOutcome>;
};

export type SyncErrorCode =
  | 'NOT_ENROLLED'
  | 'NETWORK'
  | 'SERVER'
  | 'RATE_LIMITED'
  | 'UNAUTHENTICATED'
  | 'DEVICE_REVOKED'
  | 'CHAIN_CONFLICT'
  | 'PROTOCOL'
  | 'COUNTERSIGNATURE_INVALID'
  | 'REFUSED'
  | 'APPLY_FAILED'
  | 'RESPONSE_TOO_LARGE'
  /** Restored from a recovery bundle: sync waits until the device re-enrols and takes its chain tail back. */
  | 'RECOVERY_PENDING'
  /** The chain tail the centre returned to a recovering device does not continue the restored chain. */
  | 'CHAIN_TAIL_INVALID';

/** A sync failure as a value: `retryable` tells the loop whether backing off and trying again can help. */
export class SyncError extends Error {
  readonly code: SyncErrorCode;
  readonly retryable: boolean;

  constructor(code: SyncErrorCode, message: string, retryable: boolean) {
    super(message);
    this.name = 'SyncError';
    this.code = code;
    this.retryable = retryable;
  }
}
