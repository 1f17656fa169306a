/**
 * Sync as the workstation runs it: enrolment, the background loop, the pull handlers wired to the core services
 * (each applied change audited), model releases installed after verification and loaded (previous kept for
 * rollback), and the status the status panel and the sync console show. Nothing here blocks an officer: the loop
 * runs on timers, and a failure only changes the status.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { ModelStatusView } from '../../../shared/ipc/scoring';
import type { SyncStatusView } from '../../../shared/ipc/sync';
import type { PolicyRelease } from '../../../shared/sync/pull';
import type { PolicyDefaults } from '../../../models/scoring/scaling';
import type { ApplicantService } from '../applicants/applicant-service';
import type { Clock } from '../clock';
import type { ConsentService } from '../consent/consent-service';
import type { DeviceKey } from '../crypto/device-key';
import type { FleetReportSource, UpdateOfferSink } from './client';
import type { DevicePerformance, DeviceReport, FeatureBinMonth } from '../../../shared/sync/fleet';
import { VersionSchema } from '../../../shared/sync/primitives';
import type { DiagnosticsSummary } from '../../../shared/sync/diagnostics';
import type { UpdateChannel } from '../../../shared/sync/release-bodies';
import { NexisError } from '../errors';
import { RECOVERY_PENDING_META } from '../recovery/restore-bundle';
import type { ChainPoint } from '../../../shared/sync/push';
import { isConsentPurpose } from '../../../shared/domain/consent';
import type { Logger } from '../log';
import type { OfficerService } from '../officers/officer-service';
import type { Store } from '../store';
import { auditChainSource } from './audit-source';
import { SyncClient } from './client';
import { policyCutoffs, workstationPullHandlers } from './workstation-handlers';
import { metaSyncStateStore } from './meta-state';
import { RELEASE_KEYS, currentPolicy, policyByVersion, recordRejectedRelease, rollbackModelRelease } from './releases';
import { SyncLoop } from './scheduler';
import { SyncState } from './state';
import { syncStatusLine, type SyncStatusLine } from './status';
import { createHttpTransport, type SyncTransport } from './transport';
import { SyncError, type AttachmentFor, type ChainSource, type PullHandlers, type SyncStateStore } from './types';

export interface WorkstationSyncOptions {
  readonly store: Store;
  readonly deviceKey: DeviceKey;
  readonly clock: Clock;
  readonly log: Logger;
  /** Installed model releases live in `<dataDir>/models/<version>`. */
  readonly dataDir: string;
  readonly consent: ConsentService;
  readonly applicants: ApplicantService;
  readonly officers: OfficerService;
  readonly attachmentFor: AttachmentFor;
  /**
   * The bank's release key (it signs model packages, policy releases and officer grants): nothing pulled is applied
   * unless it verifies with it.
   */
  readonly trustedModelKey: KeyObject;
  /** The policy cut-offs in force now (a release may move them at most `maxCutoffStep` without declaring it). */
  readonly policyInForce: () => PolicyDefaults | undefined;
  /** Largest cut-off move without `largeMove` (default 50 score points). */
  readonly maxCutoffStep?: number;
  /** Loads (and verifies again) the model package in a folder; the answer says whether it is now in use. */
  readonly loadModel: (dir: string) => Promise<ModelStatusView>;
  /** What the model service has in use now. */
  readonly modelStatus: () => ModelStatusView;
  /** The loaded model's score scale (a policy's cut-offs must lie on it); undefined when no model is loaded. */
  readonly scoreRange: () => { readonly min: number; readonly max: number } | undefined;
  /** The package used when no release is installed (the one shipped with the app). */
  readonly defaultModelDir: string;
  /** Puts a central policy's cut-offs in force over the model package's defaults (null: the package's own). */
  readonly applyPolicy: (policy: PolicyDefaults | null) => void;
  /** Ends the sessions of an account the bank disabled. */
  readonly endSessionsOf: (officerId: string) => void;
  readonly intervalMs?: number;
  /** Tests: a transport other than HTTP (the fault proxy goes through HTTP too). */
  readonly transportFor?: (serverUrl: string) => SyncTransport;
  /** App updates (desktop app only): each successful sync hands the channel's signed offer to the update policy. */
  readonly updates?: UpdateOfferSink;
  /** The central server a bank build is bound to (shown and prefilled; the transport refuses any other). */
  readonly trustedServerUrl?: string;
  /** What this workstation tells the console's fleet view about itself after each sync (no report when absent). */
  readonly selfReport?: SelfReportFacts;
}

/** The facts of a fleet report the sync module does not know itself. */
export interface SelfReportFacts {
  readonly appVersion: string;
  /** The update channel of a packaged build; null in development. */
  readonly channel: UpdateChannel | null;
  readonly databaseBytes: () => number;
  readonly freeDiskBytes: () => number | null;
  /** Error counters and the last crash (electron/core/diagnostics); null when not kept. */
  readonly diagnostics: () => DiagnosticsSummary | null;
  /** Scoring latency and model load failures since the last stored report (not sent when absent). */
  readonly performance?: () => DevicePerformance;
  /** Feature bin counts of recent months for characteristic stability (scoring/feature-bins.ts; none when absent). */
  readonly featureBins?: () => FeatureBinMonth[];
  /**
   * The server stored `report` (as sent): the counters "since the last sync" start again. Given the report so that
   * figures recorded after it was built stay for the next one.
   */
  readonly delivered: (report: DeviceReport) => void;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

const UNREACHABLE_CODES = new Set(['NETWORK', 'SERVER', 'RATE_LIMITED', 'APPLY_FAILED']);

/**
 * A SyncError as the IPC error an officer sees: the server out of reach (try again) and refusals apart. A garbled
 * answer is a passing problem; a well-formed one that makes no sense (another device id) is a refusal.
 */
export function toNexisError(error: unknown): NexisError {
  if (error instanceof SyncError) {
    const unreachable = UNREACHABLE_CODES.has(error.code) || (error.code === 'PROTOCOL' && error.retryable);
    return new NexisError(unreachable ? 'CENTRAL_UNREACHABLE' : 'CENTRAL_REFUSED', error.message);
  }
  return error instanceof NexisError ? error : new NexisError('INTERNAL', 'Sync failed unexpectedly.');
}

export class WorkstationSync {
  readonly #o: WorkstationSyncOptions;
  readonly #stateStore: SyncStateStore;
  readonly #state: SyncState;
  readonly #source: ChainSource;
  readonly #handlers: PullHandlers;
  readonly modelsDir: string;
  #client: SyncClient | undefined;
  #loop: SyncLoop | undefined;
  #closed = false;
  #enrolling = false;

  constructor(options: WorkstationSyncOptions) {
    this.#o = options;
    this.#stateStore = metaSyncStateStore(options.store);
    this.#state = new SyncState(this.#stateStore);
    this.#source = auditChainSource(options.store);
    this.modelsDir = join(options.dataDir, 'models');
    this.#handlers = workstationPullHandlers({
      options,
      stateStore: this.#stateStore,
      modelsDir: this.modelsDir,
      modelDir: () => this.modelDir(),
      branchId: () => this.#state.branchId,
    });
    const policy = currentPolicy(this.#stateStore);
    options.applyPolicy(policy === undefined ? null : policyCutoffs(policy));
  }

  get state(): SyncState {
    return this.#state;
  }

  /** The folder of the installed model release, or the shipped package when none is installed. */
  modelDir(): string {
    const current = this.#stateStore.get(RELEASE_KEYS.modelCurrent);
    if (current !== undefined && current !== '' && existsSync(join(this.modelsDir, current))) {
      return join(this.modelsDir, current);
    }
    return this.#o.defaultModelDir;
  }

  /**
   * Loads the installed release at start-up; if the model service refuses it (an app update changed the feature
   * specification, a file was damaged), the shipped package is loaded instead and the release is set aside.
   */
  async loadInstalledModel(): Promise<ModelStatusView> {
    const dir = this.modelDir();
    const status = await this.#o.loadModel(dir);
    if (status.state === 'verified' || dir === this.#o.defaultModelDir) {
      return status;
    }
    const version = this.#stateStore.get(RELEASE_KEYS.modelCurrent) ?? '';
    this.#o.store.transaction(() => {
      this.#stateStore.set(RELEASE_KEYS.modelCurrent, '');
      recordRejectedRelease(this.#stateStore, version, status.detail);
      this.#o.store.audit.append({ actor: 'system', action: 'model.release_refused', payload: { version } });
    });
    this.#o.log.warn('model.release_set_aside', { refusal: status.refusal });
    return this.#o.loadModel(this.#o.defaultModelDir);
  }

  /** Set while a workstation restored from a recovery bundle has not re-enrolled (restore-bundle.ts). */
  get recoveryPending(): { readonly bundleCreatedAt: string; readonly auditHead: ChainPoint } | null {
    const raw = this.#stateStore.get(RECOVERY_PENDING_META);
    return raw === undefined || raw === ''
      ? null
      : (JSON.parse(raw) as { bundleCreatedAt: string; auditHead: ChainPoint });
  }

  /**
   * The recovery drill's last step (docs/data-lifecycle.md): re-enrols with the administrator's recovery code, takes
   * back and checks the chain tail this device pushed after its bundle, and writes it verbatim with the sync state
   * in one transaction. Then what the dead laptop did after the bundle is applied again where privacy needs it:
   * erasures and consent withdrawals in the tail are carried out here too. Sync then starts and continues the
   * centre's head.
   */
  async recover(actorId: string, code: string): Promise<SyncStatusView> {
    const pending = this.recoveryPending;
    if (pending === null) {
      throw new NexisError('CONFLICT', 'This workstation was not restored from a recovery bundle.');
    }
    if (this.#enrolling) {
      throw new NexisError('CONFLICT', 'A re-enrolment is already under way.');
    }
    const url = this.#state.serverUrl;
    if (url === undefined) {
      throw new NexisError('CONFLICT', 'The restored workstation was never enrolled with a central server.');
    }
    const local = this.#source.head();
    if (local.seq !== pending.auditHead.seq || local.hash !== pending.auditHead.hash) {
      // Entries written here since the restore would fork the chain the centre holds; nothing is rewritten.
      throw new NexisError(
        'CONFLICT',
        `This workstation wrote entries ${String(pending.auditHead.seq + 1)}-${String(local.seq)} after it was restored, ` +
          "so its chain no longer continues where the centre's does. Restore the bundle again and rejoin before anyone signs in.",
      );
    }
    this.#enrolling = true;
    const client = this.#createClient(url);
    const sqlite = this.#o.store.sqlite;
    const insertEntry = sqlite.prepare(
      'INSERT INTO audit_log (seq, ts, actor, action, subject, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertCheckpoint = sqlite.prepare(
      'INSERT INTO audit_checkpoints (seq, head_hash, device_id, public_key, signature, signed_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    let recovered: Awaited<ReturnType<SyncClient['recover']>>;
    try {
      recovered = await client.recover(code, {
        head: () => this.#source.head(),
        hashAt: (seq) => this.#source.hashAt(seq),
        apply: (tail, commit) => {
          this.#o.store.transaction(() => {
            const at = new Map<number, string>();
            for (const e of tail.entries) {
              insertEntry.run(e.seq, e.ts, e.actor, e.action, e.subject, e.payload, e.prevHash, e.hash);
              at.set(e.seq, e.ts);
            }
            for (const c of tail.checkpoints) {
              insertCheckpoint.run(
                c.seq,
                c.headHash,
                this.#o.deviceKey.deviceId,
                this.#o.deviceKey.publicKey,
                c.signature,
                at.get(c.seq) ?? c.countersignature.countersignedAt,
              );
            }
            commit();
            this.#stateStore.set(RECOVERY_PENDING_META, '');
          });
        },
      });
    } catch (error) {
      this.#o.log.warn('sync.recovery_failed', { code: error instanceof SyncError ? error.code : 'unknown' });
      throw toNexisError(error);
    } finally {
      this.#enrolling = false;
    }
    const replayed = this.#replayTail(recovered.tail.entries);
    this.#o.store.transaction(() =>
      this.#o.store.audit.append({
        actor: actorId,
        action: 'device.recovered',
        subject: this.#o.deviceKey.deviceId,
        payload: {
          bundleCreatedAt: pending.bundleCreatedAt,
          bundleHeadSeq: pending.auditHead.seq,
          tailFrom: recovered.fromSeq + 1,
          tailTo: recovered.toSeq,
          erasedAgain: replayed.erased,
          withdrawnAgain: replayed.withdrawn,
        },
      }),
    );
    this.#o.log.info('sync.recovered', { tailEntries: recovered.entries });
    this.#client = client;
    this.start();
    return this.status();
  }

  /**
   * The dead laptop's erasures and consent withdrawals after its bundle are in the tail; the restored database still
   * holds those applicants as they were. Each is carried out again (audited as new entries by `system`).
   */
  #replayTail(entries: readonly { action: string; subject: string | null; payload: string }[]): {
    erased: number;
    withdrawn: number;
  } {
    let erased = 0;
    let withdrawn = 0;
    const erasedIds: string[] = [];
    for (const entry of entries) {
      if (entry.subject === null) {
        continue;
      }
      const payload = JSON.parse(entry.payload) as { reason?: unknown; purpose?: unknown };
      if (entry.action === 'applicant.erased' && this.#o.applicants.isActive(entry.subject)) {
        const reason = typeof payload.reason === 'string' ? payload.reason : 'data-subject-request';
        this.#o.applicants.erase('system', entry.subject, reason, { checkpoint: false });
        erasedIds.push(entry.subject);
        erased += 1;
      } else if (
        entry.action === 'consent.withdrawn' &&
        isConsentPurpose(payload.purpose) &&
        this.#o.applicants.isActive(entry.subject) &&
        this.#o.consent.isActive(entry.subject, payload.purpose)
      ) {
        this.#o.consent.withdraw('system', entry.subject, payload.purpose);
        withdrawn += 1;
      }
    }
    this.#o.applicants.finishErasures(erasedIds);
    return { erased, withdrawn };
  }

  /** Starts background sync if this workstation is enrolled (at start-up, and after enrolment). */
  start(): void {
    if (this.#closed || !this.#state.enrolled || this.#state.revoked || this.recoveryPending !== null) {
      return;
    }
    this.#ensureLoop().start();
  }

  async enrol(actorId: string, serverUrl: string, code: string): Promise<SyncStatusView> {
    if (this.#state.enrolled || this.#enrolling) {
      throw new NexisError('CONFLICT', 'This workstation is already enrolled with a central server.');
    }
    this.#enrolling = true;
    const client = this.#createClient(serverUrl);
    let enrolled: { deviceId: string; branchId: string };
    try {
      enrolled = await client.enrol(serverUrl, code);
    } catch (error) {
      this.#o.log.warn('sync.enrol_failed', { code: error instanceof SyncError ? error.code : 'unknown' });
      throw toNexisError(error);
    } finally {
      this.#enrolling = false;
    }
    this.#o.store.transaction(() =>
      this.#o.store.audit.append({
        actor: actorId,
        action: 'sync.enrolled',
        subject: this.#o.deviceKey.deviceId,
        payload: { branchId: enrolled.branchId, server: new URL(serverUrl).origin },
      }),
    );
    this.#o.log.info('sync.enrolled', { branchId: enrolled.branchId });
    this.#client = client;
    this.start();
    return this.status();
  }

  /**
   * Where electron-updater fetches the feed and files of a channel, with a device access token; null when this
   * workstation is not enrolled (or revoked).
   */
  async updateFeed(channel: string): Promise<{ readonly url: string; readonly token: string } | null> {
    const url = this.#state.serverUrl;
    if (url === undefined || !this.#state.enrolled || this.#state.revoked) {
      return null;
    }
    this.#client ??= this.#createClient(url);
    const token = await this.#client.accessToken();
    return { url: `${url.replace(/\/+$/, '')}/v1/sync/updates/${channel}`, token };
  }

  /** One sync now; the status it answers with carries the outcome (work goes on offline if it failed). */
  async syncNow(): Promise<SyncStatusView> {
    if (!this.#state.enrolled) {
      throw new NexisError('CONFLICT', 'This workstation is not enrolled with a central server yet.');
    }
    await this.#ensureLoop().runNow();
    return this.status();
  }

  /** Makes the previous model release current again, loads it, and audits the change. */
  async rollbackModel(actorId: string): Promise<SyncStatusView> {
    const from = this.#stateStore.get(RELEASE_KEYS.modelCurrent);
    const previous = this.#stateStore.get(RELEASE_KEYS.modelPrevious);
    if (!rollbackModelRelease(this.modelsDir, this.#stateStore)) {
      throw new NexisError('CONFLICT', 'No previous model release is installed to roll back to.');
    }
    const loaded = await this.#o.loadModel(this.modelDir());
    if (loaded.state !== 'verified') {
      // The model service refuses the older release (e.g. a newer app's specification): keep what was in use.
      this.#stateStore.set(RELEASE_KEYS.modelCurrent, from ?? '');
      this.#stateStore.set(RELEASE_KEYS.modelPrevious, previous ?? '');
      await this.#o.loadModel(this.modelDir());
      throw new NexisError(
        'CONFLICT',
        `Release ${previous ?? ''} cannot be used here (${loaded.detail}); release ${from ?? ''} stays in use.`,
      );
    }
    this.#o.store.transaction(() =>
      this.#o.store.audit.append({
        actor: actorId,
        action: 'model.release_rolled_back',
        payload: {
          from: from ?? null,
          to: this.#stateStore.get(RELEASE_KEYS.modelCurrent) ?? null,
          modelHash: loaded.modelHash,
        },
      }),
    );
    return this.status();
  }

  /** The cut-offs of an installed central policy release by version (replay of decisions made under it). */
  policyCutoffsFor(version: string): PolicyDefaults | undefined {
    const release = policyByVersion(this.#stateStore, version);
    return release === undefined ? undefined : (policyCutoffs(release) ?? undefined);
  }

  /** The reason texts of an installed central policy release, by the version a score recorded; null if none. */
  policyReasonTexts(version: string): PolicyRelease['reasonTexts'] | null {
    return policyByVersion(this.#stateStore, version)?.reasonTexts ?? null;
  }

  line(): SyncStatusLine {
    return syncStatusLine(this.#state, this.#source, this.#loop?.status());
  }

  status(): SyncStatusView {
    const line = this.line();
    const head = this.#source.head().seq;
    const acked = this.#state.ackedSeq;
    const countersigned = this.#state.countersigned;
    const rejected = this.#stateStore.get(RELEASE_KEYS.rejected);
    const text = (key: string): string | null => {
      const value = this.#stateStore.get(key);
      return value === undefined || value === '' ? null : value;
    };
    return {
      enrolled: this.#state.enrolled,
      serverUrl: this.#state.serverUrl ?? null,
      trustedServerUrl: this.#o.trustedServerUrl ?? null,
      branchId: this.#state.branchId ?? null,
      deviceId: this.#o.deviceKey.deviceId,
      revoked: this.#state.revoked,
      state: line.state,
      detail: line.detail,
      headSeq: head,
      ackedSeq: acked,
      backlog: Math.max(0, head - acked),
      lastSuccessAt: this.#state.lastSuccessAt ?? null,
      lastError: this.#state.lastError ?? null,
      nextRunInMs: this.#loop?.status().nextRunInMs ?? null,
      countersigned:
        countersigned === undefined
          ? null
          : {
              seq: countersigned.seq,
              headHash: countersigned.headHash,
              countersignedAt: countersigned.countersignedAt,
            },
      model: {
        current: text(RELEASE_KEYS.modelCurrent),
        previous: text(RELEASE_KEYS.modelPrevious),
        lastRejected: rejected === undefined ? null : (JSON.parse(rejected) as { version: string; reason: string }),
      },
      policy: { current: currentPolicy(this.#stateStore)?.version ?? null },
      lastPullRejected: this.#state.lastRejected ?? null,
      recoveryPending:
        this.recoveryPending === null
          ? null
          : {
              bundleCreatedAt: this.recoveryPending.bundleCreatedAt,
              bundleHeadSeq: this.recoveryPending.auditHead.seq,
            },
    };
  }

  /** Stops the loop and waits for a run in flight (call before closing the database). */
  async stop(): Promise<void> {
    this.#closed = true;
    await this.#loop?.stop();
  }

  #ensureLoop(): SyncLoop {
    if (this.#loop === undefined) {
      const url = this.#state.serverUrl;
      if (url === undefined) {
        throw new NexisError('CONFLICT', 'This workstation is not enrolled with a central server yet.');
      }
      this.#client ??= this.#createClient(url);
      this.#loop = new SyncLoop(this.#client, {
        intervalMs: this.#o.intervalMs ?? 60_000,
        onStatus: (status) => {
          if (status.lastError !== null) {
            this.#o.log.warn('sync.failed', { code: status.lastError.code, failures: status.consecutiveFailures });
          }
        },
      });
    }
    return this.#loop;
  }

  #createClient(serverUrl: string): SyncClient {
    const transport = this.#o.transportFor?.(serverUrl) ?? createHttpTransport(serverUrl);
    return new SyncClient({
      transport,
      source: this.#source,
      attachmentFor: this.#o.attachmentFor,
      state: this.#state,
      device: this.#o.deviceKey,
      handlers: this.#handlers,
      recoveryPending: () => this.recoveryPending !== null,
      clock: () => this.#o.clock.now(),
      ...(this.#o.updates === undefined ? {} : { updates: this.#o.updates }),
      ...(this.#o.selfReport === undefined ? {} : { fleetReport: this.#fleetReport(this.#o.selfReport) }),
    });
  }

  #fleetReport(facts: SelfReportFacts): FleetReportSource {
    return {
      build: (): DeviceReport => {
        const model = this.#o.modelStatus();
        const release = this.#stateStore.get(RELEASE_KEYS.modelCurrent);
        const hash = model.modelHash?.replace(/^sha256:/, '') ?? null;
        return {
          appVersion: facts.appVersion,
          channel: facts.channel,
          model: {
            release: release === undefined || release === '' ? null : release,
            modelVersion: VersionSchema.safeParse(model.modelVersion).success ? model.modelVersion : null,
            modelHash: hash !== null && SHA256_HEX.test(hash) ? hash : null,
            state: model.state,
          },
          policyVersion: currentPolicy(this.#stateStore)?.version ?? null,
          databaseBytes: facts.databaseBytes(),
          freeDiskBytes: facts.freeDiskBytes(),
          diagnostics: facts.diagnostics(),
          ...(facts.performance === undefined ? {} : { performance: facts.performance() }),
          ...(facts.featureBins === undefined ? {} : { featureBins: facts.featureBins() }),
        };
      },
      delivered: (report) => facts.delivered(report),
    };
  }
}
