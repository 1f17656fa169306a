/**
 * "Report a problem": one JSON file an officer can save and hand to support, built only from codes, versions,
 * counts and pseudonymous ids (docs/diagnostics.md lists every field). Nothing here reads applicants, decisions,
 * notes, officers' names or free-text messages: fields that are free text elsewhere (the sync error message, an
 * update refusal reason) are left out, and only their codes go in. The log lines were redacted when written
 * (log.ts) and are redacted again here, so a line written by an older version cannot carry more than a current one.
 */
import { statfsSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import type { DiagnosticsSummary } from '../../../shared/sync/diagnostics';
import type { SystemStatus } from '../../../shared/ipc/system';
import type { ModelStatusView } from '../../../shared/ipc/scoring';
import type { SyncStatusView } from '../../../shared/ipc/sync';
import { redact, type LogFields } from '../log';

export const BUNDLE_FORMAT = 'nexis-diagnostics/1';
export const BUNDLE_LOG_LINES = 500;

export interface BundleSources {
  status(): SystemStatus;
  readonly model: { status(): ModelStatusView };
  readonly sync: { status(): SyncStatusView };
}

export interface BundleContext {
  readonly generatedAt: string;
  readonly dataDir: string;
  readonly summary: DiagnosticsSummary;
  /** How many minidumps are kept locally (their contents never go in the bundle). */
  readonly crashDumps: { readonly count: number; readonly newestAt: string | null };
  readonly logLines: readonly string[];
}

/** Free space where the data folder is, or null where the platform cannot say. */
export function freeDiskBytes(dir: string): number | null {
  try {
    const stats = statfsSync(dir);
    return Number(stats.bavail) * Number(stats.bsize);
  } catch {
    return null;
  }
}

/** A logged line back as fields, redacted again; null when it is not one of our JSON lines. */
function relog(line: string): LogFields | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return null;
  }
  const fields: LogFields = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) {
      fields[key] = value;
    }
  }
  // The time, level and event are ours; everything else is treated as a field again.
  const { t, level, event, ...rest } = fields;
  if (typeof t !== 'string' || typeof level !== 'string' || typeof event !== 'string') {
    return null;
  }
  return { t, level, event: /^[a-z][a-z0-9_.-]{0,80}$/i.test(event) ? event : 'log.unnamed_event', ...redact(rest) };
}

export function buildDiagnosticsBundle(sources: BundleSources, context: BundleContext): string {
  const status = sources.status();
  const model = sources.model.status();
  const sync = sources.sync.status();
  const lines = context.logLines.map(relog);
  const update = status.update;
  const bundle = {
    format: BUNDLE_FORMAT,
    generatedAt: context.generatedAt,
    app: { version: status.appVersion },
    device: { deviceId: status.device.deviceId },
    os: {
      platform: platform(),
      arch: arch(),
      release: release(),
      cpus: cpus().length,
      totalMemoryBytes: totalmem(),
      node: process.versions.node,
      electron: process.versions.electron ?? null,
    },
    disk: { freeBytes: freeDiskBytes(context.dataDir), databaseBytes: status.database.sizeBytes },
    database: {
      schemaVersion: status.database.schemaVersion,
      journalMode: status.database.journalMode,
      cipher: status.database.cipher,
    },
    audit: {
      entries: status.audit.entries,
      lastCheckpointSeq: status.audit.lastCheckpointSeq,
      lastVerification: status.audit.lastVerification,
    },
    model: {
      state: model.state,
      refusal: model.refusal,
      modelId: model.modelId,
      modelVersion: model.modelVersion,
      modelHash: model.modelHash,
      policyVersion: model.policyVersion,
      specHash: model.specHash,
      synthetic: model.synthetic,
      signatureKeyId: model.signature?.keyId ?? null,
      trustedKeyId: model.trustedKeyId,
    },
    sync: {
      enrolled: sync.enrolled,
      revoked: sync.revoked,
      branchId: sync.branchId,
      state: sync.state,
      backlog: sync.backlog,
      headSeq: sync.headSeq,
      ackedSeq: sync.ackedSeq,
      lastSuccessAt: sync.lastSuccessAt,
      lastErrorCode: sync.lastError?.code ?? null,
      lastErrorAt: sync.lastError?.at ?? null,
      countersignedSeq: sync.countersigned?.seq ?? null,
      modelRelease: { current: sync.model.current, previous: sync.model.previous },
      policyRelease: sync.policy.current,
    },
    update:
      update.state === 'refused'
        ? { state: update.state, version: update.version, code: update.code }
        : update.state === 'none'
          ? { state: update.state }
          : update,
    diagnostics: context.summary,
    crashDumps: context.crashDumps,
    log: {
      lines: lines.filter((l): l is LogFields => l !== null),
      unreadableLines: lines.filter((l) => l === null).length,
    },
  };
  return `${JSON.stringify(bundle, null, 2)}\n`;
}
