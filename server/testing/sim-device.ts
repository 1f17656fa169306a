/**
 * A simulated workstation for the server suites, the fault harness and the benchmark: a real Ed25519 device key, an
 * in-memory audit chain built with the core's own hashing and checkpoint signing, and the real sync client.
 */
import { generateDeviceKey, loadDeviceKey, type DeviceKey } from '../../electron/core/crypto/device-key';
import { canonicalJson, chainHash, checkpointMessage, GENESIS_HASH, type AuditPayload } from '../../audit-chain';
import type { AuditRecord } from '../../electron/core/audit/audit-log';
import { SyncClient } from '../../electron/core/sync/client';
import { memoryStateStore, SyncState } from '../../electron/core/sync/state';
import { createHttpTransport, type SyncTransport } from '../../electron/core/sync/transport';
import type { AttachmentFor, ChainSource, PullHandlers } from '../../electron/core/sync/types';
import type { PullItem } from '../../shared/sync/pull';
import type { DeviceReport, FeatureBinMonth } from '../../shared/sync/fleet';
import type { FleetReportSource } from '../../electron/core/sync/client';

export interface SimDeviceOptions {
  readonly checkpointEvery?: number;
  readonly batchSize?: number;
  readonly attachmentFor?: AttachmentFor;
  /** Transport factory (default: plain HTTP to the URL). */
  readonly transport?: (url: string) => SyncTransport;
  readonly random?: () => number;
  /** The self-report sent after each sync round (none when absent), as a workstation's fleet report. */
  readonly fleetReport?: FleetReportSource;
  /** The time of the first entry (each next one a second later); default 2026-11-25 08:00 UTC. */
  readonly startAt?: Date;
}

/** A fleet report as a current workstation sends it, with the given feature bin counts. */
export function simFleetReport(featureBins: () => FeatureBinMonth[]): FleetReportSource {
  const base: Omit<DeviceReport, 'featureBins'> = {
    appVersion: '0.1.0',
    channel: null,
    model: { release: null, modelVersion: '1.0.0', modelHash: 'ab'.repeat(32), state: 'verified' },
    policyVersion: null,
    databaseBytes: 4096,
    freeDiskBytes: null,
    diagnostics: null,
  };
  return { build: () => ({ ...base, featureBins: featureBins() }), delivered: () => undefined };
}

/**
 * `n` scores spread over bins in the given proportions, rounded on the running total so the counts add up to `n` and
 * no stretch of bins is left empty by rounding, as sparse [bin, count] pairs: a branch whose applicants look exactly
 * like the training data.
 */
export function countsLike(proportions: readonly number[], n: number): [number, number][] {
  const total = proportions.reduce((sum, p) => sum + p, 0);
  let running = 0;
  let placed = 0;
  return proportions.flatMap((p, b) => {
    running += total > 0 ? p / total : 0;
    const upTo = b === proportions.length - 1 ? n : Math.round(running * n);
    const count = upTo - placed;
    placed = upTo;
    return count > 0 ? [[b, count] as [number, number]] : [];
  });
}

const ACTIONS = [
  'applicant.registered',
  'consent.captured',
  'behaviour.imported',
  'score.computed',
  'decision.recorded',
];

export class SimDevice implements ChainSource {
  readonly key: DeviceKey;
  readonly entries: AuditRecord[] = [];
  readonly checkpoints: { seq: number; headHash: string; signature: string }[] = [];
  readonly stateStore = memoryStateStore();
  readonly state = new SyncState(this.stateStore);
  readonly pulled: PullItem[] = [];
  readonly #checkpointEvery: number;
  readonly #options: SimDeviceOptions;
  #client: SyncClient | undefined;
  #clock = Date.parse('2026-11-25T08:00:00.000Z');

  constructor(options: SimDeviceOptions = {}) {
    this.key = loadDeviceKey(generateDeviceKey());
    this.#checkpointEvery = options.checkpointEvery ?? 50;
    this.#options = options;
    if (options.startAt !== undefined) {
      this.#clock = options.startAt.getTime();
    }
  }

  get deviceId(): string {
    return this.key.deviceId;
  }

  /** Appends `n` entries (and a signed checkpoint every N), like AuditLog.append does. */
  append(n: number, action?: string, subject?: string | null, payload: AuditPayload = {}): void {
    for (let i = 0; i < n; i += 1) {
      const head = this.head();
      this.#clock += 1000;
      const seq = head.seq + 1;
      const record = {
        seq,
        ts: new Date(this.#clock).toISOString(),
        actor: 'OFF-00000000000000AA',
        action: action ?? ACTIONS[seq % ACTIONS.length] ?? 'applicant.registered',
        subject: subject === undefined ? `APP-${String(seq).padStart(8, '0')}` : subject,
        payload: canonicalJson({ n: seq, ...payload }),
        prevHash: head.hash,
      };
      const hash = chainHash(head.hash, record);
      this.entries.push({ ...record, hash });
      if (seq % this.#checkpointEvery === 0) {
        this.checkpoints.push({
          seq,
          headHash: hash,
          signature: this.key.sign(checkpointMessage(this.key.deviceId, seq, hash)),
        });
      }
    }
  }

  /** Drops every entry after `seq` (a restored backup, or deletion): the next appends fork the chain. */
  truncateTo(seq: number): void {
    this.entries.length = seq;
    const keep = this.checkpoints.filter((c) => c.seq <= seq);
    this.checkpoints.length = 0;
    this.checkpoints.push(...keep);
  }

  head(): { seq: number; hash: string } {
    const last = this.entries.at(-1);
    return last === undefined ? { seq: 0, hash: GENESIS_HASH } : { seq: last.seq, hash: last.hash };
  }

  entriesAfter(after: number, limit: number): AuditRecord[] {
    return this.entries.slice(after, after + limit);
  }

  checkpointsBetween(after: number, upTo: number): { seq: number; headHash: string; signature: string }[] {
    return this.checkpoints.filter((c) => c.seq > after && c.seq <= upTo);
  }

  hashAt(seq: number): string | undefined {
    return seq === 0 ? GENESIS_HASH : this.entries[seq - 1]?.hash;
  }

  client(url: string): SyncClient {
    if (this.#client === undefined) {
      const handlers: PullHandlers = {
        'officer.upsert': (item) => this.#record(item),
        'policy.release': (item) => this.#record(item),
        'model.release': (item) => this.#record(item),
        'model.withdrawal': (item) => this.#record(item),
        'consent.withdrawal': (item) => this.#record(item),
        'applicant.erasure': (item) => this.#record(item),
      };
      this.#client = new SyncClient({
        transport: (this.#options.transport ?? createHttpTransport)(url),
        source: this,
        attachmentFor: this.#options.attachmentFor ?? (() => null),
        state: this.state,
        device: this.key,
        handlers,
        batchSize: this.#options.batchSize ?? 500,
        ...(this.#options.fleetReport === undefined ? {} : { fleetReport: this.#options.fleetReport }),
      });
    }
    return this.#client;
  }

  #record(item: PullItem): 'applied' {
    this.pulled.push(item);
    return 'applied';
  }
}
