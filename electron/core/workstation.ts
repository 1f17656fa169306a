/**
 * Composition root of the core: opens the encrypted database and wires the services. Runs under plain Node
 * (tests, CLI, browser harness) and inside Electron's main process alike; it never imports 'electron'.
 */
import { statSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventName, EventPayload } from '../../shared/ipc/events';
import type { SystemStatus } from '../../shared/ipc/system';
import type { ModelStatusView } from '../../shared/ipc/scoring';
import { AuditLog } from './audit/audit-log';
import { AuditService } from './audit/audit-service';
import { systemClock, type Clock } from './clock';
import { openDatabase, toStorageError } from './db/open';
import { DATABASE_FILE } from './db/keys';
import { createDispatch, type Dispatch } from './ipc/dispatch';
import { createHandlers } from './ipc/handlers';
import { silentLogger, type Logger } from './log';
import { OfficerService } from './officers/officer-service';
import type { ScryptCost } from './officers/passwords';
import { SessionManager } from './sessions/session-manager';
import { writeBackup } from './system/backup';
import { loadOrCreateDeviceKey } from './system/device-identity';
import { fileDeviceKeyCustody, type DeviceKeyCustody } from './crypto/device-key-custody';
import { SettingsService } from './system/settings-service';
import { Store } from './store';
import type { WorkstationServices } from './workstation-services';
import { ApplicantService } from './applicants/applicant-service';
import { loadOrCreatePiiKeys } from './applicants/key-material';
import { exportText, type ExportBundle } from './applicants/export';
import { BehaviourService } from './behaviour/behaviour-service';
import { ConsentService } from './consent/consent-service';
import { NoticeLibrary, defaultNoticesDir } from './consent/notices';
import { NEXIS_FEATURE_SPEC } from '../../shared/features';
import { defaultModelDir, developmentPublicKeyPath, ModelService } from './scoring/model-service';
import { ScoringService } from './scoring/scoring-service';
import { featureBinsForReport } from './scoring/feature-bins';
import { DecisionService } from './decisions/decision-service';
import { LetterService } from './letters/letter-service';
import { loadPublicKey } from '../../models/package/signing';
import { createAttachmentFor } from './sync/attachments';
import { CentralConsole } from './sync/central-console';
import { WorkstationSync } from './sync/workstation-sync';
import { CHALLENGER_DIR } from './sync/releases';
import type { PolicyDefaults } from '../../models/scoring/scaling';
import type { SyncTransport } from './sync/transport';
import type { UpdateChannel } from '../../shared/sync/release-bodies';
import { UpdateService, updateStatePart, type UpdaterPort } from './updates/update-service';
import { openDiagnostics } from './diagnostics/diagnostics';
import { ScoringPerformance } from './diagnostics/scoring-performance';
import { freeDiskBytes } from './diagnostics/bundle';
import { DAY_MS, RetentionService } from './lifecycle/retention';
import { ErasureLedger, LEDGER_FILE } from './lifecycle/erasure-ledger';
import { databaseCopies, scrubCopies } from './lifecycle/backup-scrub';
import { sealPlainScores } from './scoring/score-seal';
import { BackgroundCheckpointer } from './db/checkpointer';
import { RecoveryService } from './recovery/recovery-service';

export interface WorkstationOptions {
  /** Folder holding nexis.db and backups/. */
  readonly dataDir: string;
  /** 32-byte database key (safeStorage in Electron; NEXIS_DB_KEY or a key file under Node). */
  readonly dbKey: Uint8Array;
  /** Custody of the device's audit signing key, outside the database (default: a 0600 file in `dataDir`). */
  readonly deviceKeyCustody?: DeviceKeyCustody;
  readonly clock?: Clock;
  /** A signed checkpoint every N audit entries. */
  readonly checkpointEvery?: number;
  readonly migrationsDir?: string;
  /** Folder of the versioned consent notice texts (resources/notices). */
  readonly noticesDir?: string;
  /** Folder of the letter fonts (resources/fonts). */
  readonly fontsDir?: string;
  readonly scryptCost?: ScryptCost;
  readonly appVersion?: string;
  readonly logger?: Logger;
  /** Model package folder: default resources/model (packaged: join(process.resourcesPath, 'model')); null loads none. */
  readonly modelDir?: string | null;
  /** PEM of the trusted model-signing key; default: the development key beside the default package. */
  readonly modelPublicKey?: string;
  /** Background sync period when enrolled (default one minute). */
  readonly syncIntervalMs?: number;
  /**
   * Largest move of a policy cut-off (score points) a signed release may make without declaring `largeMove`
   * (default 50); a bank's build configuration sets its own.
   */
  readonly maxCutoffStep?: number;
  /** Tests: a sync transport other than plain HTTP. */
  readonly syncTransportFor?: (serverUrl: string) => SyncTransport;
  /**
   * A bank build's baked central server (electron/core/system/trust-config.ts): prefilled and fixed in the enrolment
   * and console forms. `syncTransportFor` is then the transport bound to it, used by sync and the console alike.
   */
  readonly trustedServerUrl?: string;
  /**
   * The bank's recovery recipients (age1…, trust-config.ts `recoveryRecipients`): with them the workstation writes a
   * daily recovery bundle to the folder an administrator picks; without them (development) it writes none.
   */
  readonly recoveryRecipients?: readonly string[];
  /**
   * App updates (the desktop app: electron/main/updater.ts adapts electron-updater): the channel this build follows
   * and the updater. Releases must be signed with the release key (`modelPublicKey`).
   */
  readonly updates?: { readonly channel: UpdateChannel; readonly port: UpdaterPort };
  /**
   * Checkpoint the write-ahead log from a worker thread instead of inside commits (db/checkpointer.ts). The desktop
   * app, the browser harness, the benchmarks and the crash drill turn it on; tests that open hundreds of short-lived
   * workstations leave SQLite's own checkpoints.
   */
  readonly backgroundCheckpoints?: boolean;
}

export type EventListener = <E extends EventName>(connectionId: string, event: E, payload: EventPayload<E>) => void;

export interface Workstation extends WorkstationServices {
  readonly dataDir: string;
  readonly databaseFile: string;
  readonly dispatch: Dispatch;
  /** Settles when the initial model load has finished, verified or refused (see `model.status()`). */
  readonly modelReady: Promise<void>;
  /** The app update policy; null where this build does not update itself (tests, CLI, browser harness). */
  readonly updates: UpdateService | null;
  /** Subscribes a transport to pushed events; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void;
  /** Forgets a closed connection's session (window closed, socket dropped). */
  disconnect(connectionId: string): void;
  close(): void;
}

export const DEFAULT_CHECKPOINT_EVERY = 500;

export function createWorkstation(options: WorkstationOptions): Workstation {
  const clock = options.clock ?? systemClock;
  // The log file and error counters come first, so everything below logs to the file and counts its errors.
  const { diagnostics, log } = openDiagnostics({
    dataDir: options.dataDir,
    clock,
    logger: options.logger ?? silentLogger,
  });
  const databaseFile = join(options.dataDir, DATABASE_FILE);
  const { sqlite, db } = openDatabase({
    file: databaseFile,
    key: options.dbKey,
    create: true,
    ...(options.migrationsDir === undefined ? {} : { migrationsDir: options.migrationsDir }),
  });
  let deviceKey: ReturnType<typeof loadOrCreateDeviceKey>;
  const deviceKeyCustody = options.deviceKeyCustody ?? fileDeviceKeyCustody(options.dataDir);
  let piiKeys: ReturnType<typeof loadOrCreatePiiKeys>;
  try {
    deviceKey = loadOrCreateDeviceKey(sqlite, db, deviceKeyCustody);
    piiKeys = loadOrCreatePiiKeys(sqlite, db);
  } catch (error) {
    sqlite.close();
    throw toStorageError(error);
  }
  const checkpointer =
    options.backgroundCheckpoints === true
      ? new BackgroundCheckpointer(sqlite, databaseFile, options.dbKey, {
          onReport: (report) => {
            if (report.kind === 'error') {
              log.warn('database.checkpoint_failed', { code: report.code ?? 'error' });
            }
          },
        })
      : null;
  const store = new Store(
    sqlite,
    db,
    new AuditLog(sqlite, clock, deviceKey, options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY),
  );
  const settings = new SettingsService(store);
  const officers = new OfficerService(store, clock, options.scryptCost);
  const audit = new AuditService(store, clock, deviceKey, { file: databaseFile, key: Buffer.from(options.dbKey) });
  const consent = new ConsentService(
    store,
    clock,
    deviceKey,
    new NoticeLibrary(options.noticesDir ?? defaultNoticesDir()),
  );
  const ledger = new ErasureLedger(join(options.dataDir, LEDGER_FILE), options.dbKey);
  const applicants = new ApplicantService(store, clock, piiKeys, consent, settings, ledger);
  // Before anything reads applicants: a restored backup must not bring back anyone erased after it was taken.
  applicants.onErasures((applicantIds) => {
    const result = scrubCopies(databaseCopies(options.dataDir, databaseFile), options.dbKey, applicantIds);
    if (result.failed.length > 0) {
      log.warn('erasure.copies_not_scrubbed', { count: result.failed.length });
    }
  });
  let reapplied: string[];
  try {
    reapplied = applicants.reapplyLedger();
    // Score rows written before their inputs were sealed are sealed now (or blanked, if already erased).
    sealPlainScores(store, (applicantId) => applicants.dataKey(applicantId));
  } catch (error) {
    void checkpointer?.stop();
    sqlite.close();
    throw error;
  }
  const behaviour = new BehaviourService(store, clock, applicants, consent);
  const modelDir = options.modelDir === undefined ? defaultModelDir() : options.modelDir;
  const trustedModelPem = options.modelPublicKey ?? readFileSync(developmentPublicKeyPath(), 'utf8');
  // Score latencies and model load failures for the fleet report (in memory: since the last report or restart).
  const scoringPerformance = new ScoringPerformance();
  const model = new ModelService({
    trustedPublicKey: trustedModelPem,
    clock,
    policyByVersion: (version: string): PolicyDefaults | undefined => sync.policyCutoffsFor(version),
    recorder: scoringPerformance,
  });
  // The challenger of the release in use, scored in shadow beside the champion: it follows the champion, so every
  // load of a release folder (install, start-up, rollback, withdrawal) loads that folder's challenger or none.
  const challenger = new ModelService({
    trustedPublicKey: trustedModelPem,
    clock,
    policyByVersion: (version: string): PolicyDefaults | undefined => sync.policyCutoffsFor(version),
  });
  const loadModel = async (dir: string): Promise<ModelStatusView> => {
    const status = await model.loadDirectory(dir);
    const challengerDir = join(dir, CHALLENGER_DIR);
    if (status.state === 'verified' && status.source === dir && existsSync(join(challengerDir, 'manifest.json'))) {
      const shadow = await challenger.loadDirectory(challengerDir);
      log.info('model.challenger_loaded', {
        state: shadow.state,
        refusal: shadow.refusal,
        modelHash: shadow.modelHash,
      });
    } else {
      await challenger.release();
    }
    return status;
  };
  const scoring = new ScoringService({
    store,
    clock,
    applicants,
    consent,
    behaviour,
    model,
    challenger,
    recorder: scoringPerformance,
  });
  const decisions = new DecisionService(store, clock, applicants);
  const retention = new RetentionService({
    store,
    clock,
    applicants,
    openCase: (applicantId) => decisions.hasOpenCase(applicantId),
    backupsDir: join(options.dataDir, 'backups'),
  });
  const letters = new LetterService({
    store,
    applicants,
    consent,
    settings,
    decisions,
    scoring,
    spec: NEXIS_FEATURE_SPEC,
    policyReasonTexts: (version) => sync.policyReasonTexts(version),
    ...(options.fontsDir === undefined ? {} : { fontsDir: options.fontsDir }),
  });
  const listeners = new Set<EventListener>();
  const emit: EventListener = (connectionId, event, payload) => {
    for (const listener of listeners) {
      listener(connectionId, event, payload);
    }
  };
  const sessions = new SessionManager(
    clock,
    () => settings.get().idleTimeoutMinutes * 60_000,
    (session, reason) => {
      centralConsole.forget(session.id);
      store.transaction(() =>
        store.audit.append({
          actor: session.officerId,
          action: 'session.locked',
          subject: session.officerId,
          payload: { reason },
        }),
      );
      emit(session.id, 'session:locked', { reason });
    },
  );
  const endSessionsOf = (officerId: string, reason: 'account-disabled'): void => {
    for (const session of sessions.ofOfficer(officerId)) {
      sessions.end(session.id);
      centralConsole.forget(session.id);
      emit(session.id, 'session:ended', { reason });
    }
  };
  const trustedModelKey = loadPublicKey(trustedModelPem);
  const updates =
    options.updates === undefined
      ? null
      : new UpdateService({
          store,
          clock,
          port: options.updates.port,
          trustedKey: trustedModelKey,
          running: { version: options.appVersion ?? '0.0.0', channel: options.updates.channel },
          deviceId: deviceKey.deviceId,
        });
  updates?.recordStart();
  const sync: WorkstationSync = new WorkstationSync({
    store,
    deviceKey,
    clock,
    log,
    dataDir: options.dataDir,
    consent,
    applicants,
    officers,
    attachmentFor: createAttachmentFor({ consent, applicants, behaviour, scoring, decisions }),
    trustedModelKey,
    loadModel,
    modelStatus: () => model.status(),
    scoreRange: () => {
      if (model.status().state !== 'verified') {
        return undefined;
      }
      const { minScore, maxScore } = model.active().manifest.scaling;
      return { min: minScore, max: maxScore };
    },
    // The challenger shares the champion's score scale (releases.ts checks it), so the same cut-offs apply to it.
    applyPolicy: (policy) => {
      model.setPolicy(policy);
      challenger.setPolicy(policy);
    },
    policyInForce: () => (model.status().state === 'verified' ? model.active().manifest.policy : undefined),
    defaultModelDir: modelDir ?? defaultModelDir(),
    endSessionsOf: (officerId) => endSessionsOf(officerId, 'account-disabled'),
    ...(options.syncIntervalMs === undefined ? {} : { intervalMs: options.syncIntervalMs }),
    ...(options.maxCutoffStep === undefined ? {} : { maxCutoffStep: options.maxCutoffStep }),
    ...(options.syncTransportFor === undefined ? {} : { transportFor: options.syncTransportFor }),
    ...(updates === null || options.updates === undefined
      ? {}
      : {
          updates: {
            channel: options.updates.channel,
            offer: (text, percent) => void updates.offer(text, percent),
            unreadable: (code, reason) => updates.unreadable(code, reason),
          },
        }),
    ...(options.trustedServerUrl === undefined ? {} : { trustedServerUrl: options.trustedServerUrl }),
    selfReport: {
      appVersion: options.appVersion ?? '0.0.0',
      channel: options.updates?.channel ?? null,
      databaseBytes: () => databaseBytes(),
      freeDiskBytes: () => freeDiskBytes(options.dataDir),
      diagnostics: () => diagnostics.summary(),
      performance: () => scoringPerformance.snapshot(),
      featureBins: () => featureBinsForReport(store, clock.now()),
      delivered: (report) => {
        diagnostics.markSynced();
        if (report.performance !== undefined) {
          scoringPerformance.markDelivered(report.performance);
        }
      },
    },
  });
  const centralConsole = new CentralConsole({
    store,
    clock,
    trustedModelKey,
    // The console's administrator credentials go through the same transport as sync: a bank build's is bound to its
    // baked server, CA and pins.
    ...(options.syncTransportFor === undefined ? {} : { transportFor: options.syncTransportFor }),
    enrolledServerUrl: () => sync.state.serverUrl ?? options.trustedServerUrl,
    sessionUsable: (s) => {
      const current = sessions.get(s.id);
      return (
        current !== undefined &&
        !current.locked &&
        current.officerId === s.officerId &&
        current.signedInAt === s.signedInAt
      );
    },
  });
  // An installed (verified) release takes over from the shipped package.
  const modelReady: Promise<void> =
    modelDir === null
      ? Promise.resolve()
      : sync.loadInstalledModel().then(
          (status) =>
            log.info('model.loaded', { state: status.state, refusal: status.refusal, modelHash: status.modelHash }),
          // The model service counted the failure for the fleet report already (scoring-performance.ts).
          (error: unknown) =>
            log.error('model.load_failed', { error: error instanceof Error ? error.name : 'unknown' }),
        );
  const recovery = new RecoveryService({
    store,
    clock,
    log,
    dataDir: options.dataDir,
    dbKey: options.dbKey,
    custody: deviceKeyCustody,
    deviceId: deviceKey.deviceId,
    recipients: options.recoveryRecipients,
  });
  const services: WorkstationServices = {
    store,
    recovery,
    deviceKey,
    officers,
    sessions,
    settings,
    audit,
    consent,
    applicants,
    behaviour,
    model,
    scoring,
    decisions,
    retention,
    letters,
    sync,
    centralConsole,
    diagnostics,
    modelDir: () => sync.modelDir(),
    loadModel,
    emit,
    status: () => systemStatus(),
    applicantDetail: (applicantId) => {
      const row = applicants.get(applicantId);
      return {
        applicantId,
        status: row.status,
        createdAt: row.createdAt,
        createdBy: row.createdBy,
        erasedAt: row.erasedAt,
        personal: row.status === 'active' ? applicants.masked(applicantId) : null,
        purposes: consent.purposes(applicantId),
        receipts: consent.receiptsOf(applicantId),
        behaviour: behaviour.latest(applicantId),
        retention: row.status === 'active' ? retention.view(applicantId) : null,
        timeline: audit.forSubject(applicantId),
      };
    },
    exportApplicant: (actorId, applicantId) => {
      const row = applicants.requireActive(applicantId);
      const bundle: ExportBundle = {
        applicantId,
        exportedAt: clock.now().toISOString(),
        status: row.status,
        createdAt: row.createdAt,
        personal: applicants.personal(applicantId),
        consent: {
          purposes: consent.purposes(applicantId),
          receipts: consent.receiptsOf(applicantId).map((r) => consent.receipt(r.receiptId)),
        },
        behaviour: behaviour.latest(applicantId),
        history: audit.forSubject(applicantId),
      };
      store.transaction(() =>
        store.audit.append({ actor: actorId, action: 'applicant.exported', subject: applicantId }),
      );
      return {
        json: JSON.stringify(bundle, null, 2),
        text: exportText(bundle),
        // Check symbols such as * are not allowed in file names everywhere.
        fileName: `nexis-${applicantId.replace(/[^A-Za-z0-9-]/g, '_')}-export`,
      };
    },
    backup: (actorId) => {
      const at = clock.now();
      const written = writeBackup(sqlite, join(options.dataDir, 'backups'), at);
      store.transaction(() =>
        store.audit.append({ actor: actorId, action: 'database.backup_created', payload: { bytes: written.bytes } }),
      );
      log.info('database.backup_created', { bytes: written.bytes });
      return { ...written, createdAt: at.toISOString() };
    },
    recordSignOut: (officerId, reason) => {
      store.transaction(() =>
        store.audit.append({ actor: officerId, action: 'auth.signed_out', subject: officerId, payload: { reason } }),
      );
      // A ready update installs when the last officer signs out (the policy refuses while any form is unsaved).
      if (reason === 'signed-out' && sessions.openCount === 0) {
        updates?.installAt('sign-out');
      }
    },
    endSessionsOf,
  };

  function databaseBytes(): number {
    return [databaseFile, `${databaseFile}-wal`].reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0);
  }

  function systemStatus(): SystemStatus {
    const head = store.audit.head();
    const last = audit.lastVerification();
    const size = databaseBytes();
    const migrations = store.read(
      () => sqlite.prepare<[], { n: number }>('SELECT count(*) AS n FROM __drizzle_migrations').get()?.n ?? 0,
    );
    return {
      database: {
        cipher: `${String(sqlite.pragma('cipher', { simple: true }))} (SQLCipher 4 scheme)`,
        schemaVersion: `${migrations} migrations applied`,
        sizeBytes: size,
        journalMode: String(sqlite.pragma('journal_mode', { simple: true })),
      },
      audit: {
        entries: head.seq,
        headSeq: head.seq,
        headHash: head.hash,
        lastCheckpointSeq: audit.lastCheckpointSeq(),
        lastVerification: last,
      },
      model: { state: model.status().state, detail: model.status().detail },
      sync: sync.line(),
      device: { deviceId: deviceKey.deviceId, publicKey: deviceKey.publicKey },
      appVersion: options.appVersion ?? '0.0.0-dev',
      update: updateStatePart(updates?.status() ?? null),
    };
  }

  const dispatch = createDispatch(services, createHandlers(services), log);
  let closed = false;
  log.info('workstation.opened', { deviceId: deviceKey.deviceId });
  if (reapplied.length > 0) {
    log.warn('erasure.reapplied', { count: reapplied.length });
  }
  // The retention rule runs now and once a day; a failed run is logged and retried by the next, never fatal.
  const applyRetention = (): void => {
    if (sync.recoveryPending !== null) {
      // A restored workstation writes nothing before it has rejoined (its entries would fork the chain).
      return;
    }
    try {
      const run = retention.run();
      if (run.erased.length > 0 || run.kept.length > 0 || run.expiredBackups > 0) {
        log.info('retention.applied', {
          erased: run.erased.length,
          kept: run.kept.length,
          expiredBackups: run.expiredBackups,
        });
      }
    } catch (error) {
      log.error('retention.failed', { error: error instanceof Error ? error.name : 'unknown' });
    }
  };
  applyRetention();
  const retentionTimer = setInterval(applyRetention, DAY_MS);
  retentionTimer.unref();
  if (sync.recoveryPending === null) {
    recovery.start();
  }
  sync.start();

  return {
    ...services,
    updates,
    dataDir: options.dataDir,
    databaseFile,
    dispatch,
    modelReady,
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    disconnect: (connectionId) => {
      sessions.end(connectionId);
      centralConsole.forget(connectionId);
    },
    close: () => {
      if (!closed) {
        closed = true;
        clearInterval(retentionTimer);
        recovery.stop();
        listeners.clear();
        diagnostics.flush();
        // Timers stop now; a run in flight fails on the closed database and changes nothing (acks are idempotent).
        void sync.stop();
        void model.release();
        void challenger.release();
        void checkpointer?.stop();
        sqlite.close();
      }
    },
  };
}
