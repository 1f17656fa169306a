/**
 * What the main process does when something crashes (electron/main/crash.ts only forwards Electron's events here):
 * what to record, and whether to reload a renderer that has gone. Pure, so it is tested under Node.
 *
 *  - An uncaught exception in the main process leaves it in an unknown state: recorded, then the app quits (the
 *    database is closed first; saved work is safe in SQLite's journal, unsaved form input is lost either way).
 *  - An unhandled rejection is recorded and the app carries on (most are a failed background task).
 *  - A renderer that has gone is recorded and reloaded: the core keeps the officer's session (it is keyed by the
 *    window, not by the renderer process), so the reloaded screen reads it again. A renderer that keeps dying is
 *    not reloaded in a loop: after MAX_RELOADS within RELOAD_WINDOW_MS it stays down until the app is restarted.
 *  - A helper process (GPU, utility) that has gone is recorded; Chromium restarts it itself.
 *  - A clean exit is not a crash, and is neither recorded nor acted on.
 */
import type { CrashKind } from '../../../shared/sync/diagnostics';
import type { Clock } from '../clock';
import { toCrashDetail } from './error-counters';

export const MAX_RELOADS = 3;
export const RELOAD_WINDOW_MS = 60_000;

export type CrashEvent =
  | { readonly type: 'uncaught-exception'; readonly error: unknown }
  | { readonly type: 'unhandled-rejection'; readonly reason: unknown }
  | { readonly type: 'render-process-gone'; readonly reason: string }
  | { readonly type: 'child-process-gone'; readonly processType: string; readonly reason: string };

export interface CrashDecision {
  /** What to record; null: nothing happened that counts. */
  readonly record: { readonly kind: CrashKind; readonly detail: string } | null;
  readonly action: 'none' | 'reload-renderer' | 'quit';
}

/** The class name of a thrown value (`TypeError`), never its message. */
export function errorName(value: unknown): string {
  if (value instanceof Error) {
    return toCrashDetail(value.name);
  }
  return toCrashDetail(value === null ? 'null' : typeof value);
}

export class CrashPolicy {
  readonly #clock: Clock;
  #reloads: number[] = [];

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  decide(event: CrashEvent): CrashDecision {
    switch (event.type) {
      case 'uncaught-exception':
        return { record: { kind: 'main-uncaught', detail: errorName(event.error) }, action: 'quit' };
      case 'unhandled-rejection':
        return { record: { kind: 'main-rejection', detail: errorName(event.reason) }, action: 'none' };
      case 'render-process-gone': {
        if (event.reason === 'clean-exit') {
          return { record: null, action: 'none' };
        }
        return {
          record: { kind: 'renderer-gone', detail: toCrashDetail(event.reason) },
          action: this.#mayReload() ? 'reload-renderer' : 'none',
        };
      }
      case 'child-process-gone':
        if (event.reason === 'clean-exit') {
          return { record: null, action: 'none' };
        }
        return {
          record: { kind: 'child-gone', detail: toCrashDetail(`${event.processType}:${event.reason}`) },
          action: 'none',
        };
    }
  }

  #mayReload(): boolean {
    const now = this.#clock.now().getTime();
    this.#reloads = this.#reloads.filter((at) => now - at < RELOAD_WINDOW_MS);
    if (this.#reloads.length >= MAX_RELOADS) {
      return false;
    }
    this.#reloads.push(now);
    return true;
  }
}
