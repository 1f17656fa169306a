/**
 * The workstation's diagnostics: the durable log file, the error counters with the last crash, and (bundle.ts) the
 * "Report a problem" bundle. `openDiagnostics` runs first in `createWorkstation`, so every core log line reaches
 * the file and every `log.error` is counted.
 */
import type { CrashKind, DiagnosticsSummary } from '../../../shared/sync/diagnostics';
import type { Clock } from '../clock';
import { countingLogger, createJsonLogger, teeLogger, type Logger } from '../log';
import { ErrorCounters, toCrashDetail, type RendererErrorReport } from './error-counters';
import { logFilePath, RotatingFile, type RotatingFileOptions } from './rotating-file';
import { BUNDLE_LOG_LINES, buildDiagnosticsBundle, type BundleSources } from './bundle';
import { crashDumpStats, pruneCrashDumps } from './crash-dumps';

export interface Diagnostics {
  /** The core's logger: stderr (or the caller's logger) and the log file; every `error` is counted. */
  readonly log: Logger;
  /** Counters since the last successful sync and in total, and the last crash: sent with each sync. */
  summary(): DiagnosticsSummary;
  /** A sync run succeeded: the "since sync" counters restart from zero. */
  markSynced(): void;
  /** A main-process crash, a renderer or helper process gone (electron/main/crash.ts). */
  crash(kind: CrashKind, detail: unknown): void;
  /** `system:reportError` (rate-limited; see error-counters.ts). */
  rendererError(report: RendererErrorReport): void;
  /** The last `count` lines of the log file, oldest first (already redacted when written). */
  logTail(count: number): string[];
  /** The "Report a problem" bundle (bundle.ts): JSON text and a file name to save it under. */
  bundle(sources: BundleSources): { fileName: string; json: string };
  /** Writes counts held only in memory; called on close. */
  flush(): void;
}

export interface DiagnosticsOptions {
  readonly dataDir: string;
  readonly clock: Clock;
  /** The caller's logger (stderr in the app and the harness); the log file is written besides it. */
  readonly logger: Logger;
  readonly logFile?: RotatingFileOptions;
}

export function openDiagnostics(options: DiagnosticsOptions): { diagnostics: Diagnostics; log: Logger } {
  const file = new RotatingFile(logFilePath(options.dataDir), options.logFile);
  const uncounted = teeLogger(
    options.logger,
    createJsonLogger(
      (line) => file.write(line),
      () => options.clock.now(),
    ),
  );
  const counters = new ErrorCounters({ dataDir: options.dataDir, clock: options.clock, log: uncounted });
  const log = countingLogger(uncounted, () => counters.coreError());
  const pruned = pruneCrashDumps(options.dataDir);
  if (pruned > 0) {
    log.info('diagnostics.crash_dumps_pruned', { count: pruned });
  }
  const diagnostics: Diagnostics = {
    log,
    summary: () => counters.summary(),
    markSynced: () => counters.markSynced(),
    crash: (kind, detail) => {
      uncounted.error('process.crash', { kind, detail: toCrashDetail(detail) });
      counters.crash(kind, detail);
    },
    rendererError: (report) => {
      counters.rendererError(report);
    },
    logTail: (count) => file.tail(count),
    bundle: (sources) => {
      const at = options.clock.now();
      // Logged (and so in its own tail) before it is built: the bundle shows when it was asked for.
      uncounted.info('diagnostics.bundle_created', { lines: BUNDLE_LOG_LINES });
      const json = buildDiagnosticsBundle(sources, {
        generatedAt: at.toISOString(),
        dataDir: options.dataDir,
        summary: counters.summary(),
        crashDumps: crashDumpStats(options.dataDir),
        logLines: file.tail(BUNDLE_LOG_LINES),
      });
      const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
      return { fileName: `nexis-diagnostics-${stamp}.json`, json };
    },
    flush: () => counters.flush(),
  };
  return { diagnostics, log };
}
