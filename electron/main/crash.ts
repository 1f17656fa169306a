/**
 * Main-process crash handling and local minidumps. Thin: what is recorded and what happens next is decided by
 * electron/core/diagnostics/crash-policy.ts; the counters and the last crash are kept by the core's diagnostics
 * (durable, so the next start and the next sync still see them).
 */
import { mkdirSync } from 'node:fs';
import { app, crashReporter, dialog } from 'electron';
import type { CrashKind } from '../../shared/sync/diagnostics';
import { systemClock } from '../core/clock';
import { CrashPolicy, type CrashEvent } from '../core/diagnostics/crash-policy';
import { crashDumpsDir } from '../core/diagnostics/crash-dumps';

/** What the handlers record into: `ws.diagnostics` plus a way to close the database before quitting. */
export interface CrashSink {
  crash(kind: CrashKind, detail: unknown): void;
  flush(): void;
  /** Closes the workstation (database) before the app quits after an uncaught exception. */
  close?(): void;
}

/**
 * Minidumps of crashed processes, written to `<dataDir>/crashes` only: never uploaded (no server is configured and
 * `uploadToServer` is off). Call as early as possible, before `app.whenReady()`.
 */
export function startCrashReporter(dataDir: string): void {
  const dir = crashDumpsDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  app.setPath('crashDumps', dir);
  crashReporter.start({ uploadToServer: false, compress: true, ignoreSystemCrashHandler: true });
}

/** Records crashes of the main process, the renderer and helper processes; reloads a renderer that has gone. */
export function installCrashHandlers(sink: CrashSink): () => void {
  const policy = new CrashPolicy(systemClock);
  const handle = (event: CrashEvent): ReturnType<CrashPolicy['decide']> => {
    const decision = policy.decide(event);
    if (decision.record !== null) {
      try {
        sink.crash(decision.record.kind, decision.record.detail);
        sink.flush();
      } catch {
        // Recording must never turn one crash into two.
      }
    }
    return decision;
  };

  const onUncaught = (error: unknown): void => {
    handle({ type: 'uncaught-exception', error });
    try {
      sink.close?.();
    } finally {
      dialog.showErrorBox(
        'NEXIS must close',
        'An unexpected error stopped the workstation. Saved work is safe. Start NEXIS again; if this repeats, use ' +
          'Status → Report a problem and send the file to support.',
      );
      app.exit(1);
    }
  };
  const onRejection = (reason: unknown): void => {
    handle({ type: 'unhandled-rejection', reason });
  };
  const onRendererGone = (
    _event: Electron.Event,
    contents: Electron.WebContents,
    details: Electron.RenderProcessGoneDetails,
  ): void => {
    const decision = handle({ type: 'render-process-gone', reason: details.reason });
    // The core still holds the officer's session (keyed by the window); the reloaded renderer reads it again.
    if (decision.action === 'reload-renderer' && !contents.isDestroyed()) {
      contents.reload();
    }
  };
  const onChildGone = (_event: Electron.Event, details: Electron.Details): void => {
    handle({ type: 'child-process-gone', processType: details.type, reason: details.reason });
  };

  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onRejection);
  app.on('render-process-gone', onRendererGone);
  app.on('child-process-gone', onChildGone);
  return () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onRejection);
    app.off('render-process-gone', onRendererGone);
    app.off('child-process-gone', onChildGone);
  };
}
