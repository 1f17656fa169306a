/**
 * Appends to the tamper-evident audit chain. `append` must run inside the transaction that makes the state change
 * it records (see Store.transaction), so a change and its entry commit or roll back together.
 */
import type { SqliteConnection } from '../db/open';
import {
  assertPseudonymousPayload,
  canonicalJson,
  chainHash,
  checkpointMessage,
  GENESIS_HASH,
  type AuditPayload,
} from '../../../audit-chain';
import { NexisError, withAuditChainErrors } from '../errors';
import type { Clock } from '../clock';
import type { DeviceKey } from '../crypto/device-key';
import { MAX_CHECKPOINT_GAP } from './verify';

export interface AuditAppend {
  /** Officer id, `system`, or `anonymous`: never a name. */
  readonly actor: string;
  /** Dotted verb, e.g. `officer.created`. */
  readonly action: string;
  /** Pseudonymous id of what the entry is about. */
  readonly subject?: string | null;
  readonly payload?: AuditPayload;
}

export interface AuditRecord {
  readonly seq: number;
  readonly ts: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly payload: string;
  readonly prevHash: string;
  readonly hash: string;
}

export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

export class AuditLog {
  readonly #sqlite: SqliteConnection;
  readonly #clock: Clock;
  readonly #deviceKey: DeviceKey;
  readonly #checkpointEvery: number;
  readonly #headStmt;
  readonly #insertStmt;
  readonly #checkpointStmt;
  readonly #checkpointAtStmt;

  constructor(sqlite: SqliteConnection, clock: Clock, deviceKey: DeviceKey, checkpointEvery: number) {
    if (!Number.isInteger(checkpointEvery) || checkpointEvery < 1 || checkpointEvery > MAX_CHECKPOINT_GAP) {
      throw new NexisError('INTERNAL', `checkpointEvery must be a whole number from 1 to ${MAX_CHECKPOINT_GAP}`);
    }
    this.#sqlite = sqlite;
    this.#clock = clock;
    this.#deviceKey = deviceKey;
    this.#checkpointEvery = checkpointEvery;
    this.#headStmt = sqlite.prepare<[], { seq: number; hash: string }>(
      'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
    );
    this.#insertStmt = sqlite.prepare(
      'INSERT INTO audit_log (seq, ts, actor, action, subject, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#checkpointAtStmt = sqlite.prepare<[number], { seq: number }>(
      'SELECT seq FROM audit_checkpoints WHERE seq = ?',
    );
    this.#checkpointStmt = sqlite.prepare(
      'INSERT INTO audit_checkpoints (seq, head_hash, device_id, public_key, signature, signed_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  head(): AuditHead {
    return this.#headStmt.get() ?? { seq: 0, hash: GENESIS_HASH };
  }

  /** Appends one entry (and a signed checkpoint every N entries). Call inside a transaction. */
  append(entry: AuditAppend): AuditRecord {
    if (!this.#sqlite.inTransaction) {
      throw new NexisError(
        'INTERNAL',
        `Audit entry "${entry.action}" must be appended inside the transaction of its change.`,
      );
    }
    const payloadObject = entry.payload ?? {};
    const payload = withAuditChainErrors(() => {
      assertPseudonymousPayload(entry.action, payloadObject);
      return canonicalJson(payloadObject);
    });
    const head = this.head();
    const record = {
      seq: head.seq + 1,
      ts: this.#clock.now().toISOString(),
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject ?? null,
      payload,
      prevHash: head.hash,
    };
    const hash = chainHash(head.hash, record);
    this.#insertStmt.run(
      record.seq,
      record.ts,
      record.actor,
      record.action,
      record.subject,
      record.payload,
      record.prevHash,
      hash,
    );
    if (record.seq % this.#checkpointEvery === 0) {
      this.#signCheckpoint(record.seq, hash, record.ts);
    }
    return { ...record, hash };
  }

  /**
   * Signs a checkpoint at the head unless one is there already; call inside a transaction. Sync calls it before
   * every push, so the entries that rest on this device's key alone (not yet countersigned) stay few.
   */
  checkpointHead(): boolean {
    const head = this.head();
    if (head.seq === 0 || this.#checkpointAtStmt.get(head.seq) !== undefined) {
      return false;
    }
    this.#signCheckpoint(head.seq, head.hash, this.#clock.now().toISOString());
    return true;
  }

  #signCheckpoint(seq: number, headHash: string, ts: string): void {
    const signature = this.#deviceKey.sign(checkpointMessage(this.#deviceKey.deviceId, seq, headHash));
    this.#checkpointStmt.run(seq, headHash, this.#deviceKey.deviceId, this.#deviceKey.publicKey, signature, ts);
  }
}
