/**
 * Runs sync in the background: every `intervalMs` when healthy, with exponential backoff and full jitter after a
 * failure. One run at a time; `trigger()` asks for a run soon; `stop()` waits for the run in flight. The officer's
 * work never waits on it: failures only change the status this loop reports.
 */
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import type { SyncClient, SyncReport } from './client';
import { SyncError } from './types';

export interface SyncLoopStatus {
  readonly running: boolean;
  readonly consecutiveFailures: number;
  readonly lastReport: SyncReport | null;
  readonly lastError: { code: string; message: string } | null;
  readonly nextRunInMs: number | null;
}

export interface SyncLoopOptions {
  readonly intervalMs?: number;
  readonly backoff?: BackoffOptions;
  /** Non-retryable failures (chain conflict, refused input) are retried no faster than this. */
  readonly permanentRetryMs?: number;
  readonly onStatus?: (status: SyncLoopStatus) => void;
}

export class SyncLoop {
  readonly #client: SyncClient;
  readonly #intervalMs: number;
  readonly #backoff: BackoffOptions;
  readonly #permanentRetryMs: number;
  readonly #onStatus: ((status: SyncLoopStatus) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #stopped = true;
  #failures = 0;
  #lastReport: SyncReport | null = null;
  #lastError: { code: string; message: string } | null = null;
  #nextRunInMs: number | null = null;

  constructor(client: SyncClient, options: SyncLoopOptions = {}) {
    this.#client = client;
    this.#intervalMs = options.intervalMs ?? 60_000;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#permanentRetryMs = options.permanentRetryMs ?? 15 * 60_000;
    this.#onStatus = options.onStatus;
  }

  start(): void {
    if (!this.#stopped) {
      return;
    }
    this.#stopped = false;
    this.#schedule(0);
  }

  trigger(): void {
    if (!this.#stopped && this.#inFlight === undefined) {
      this.#schedule(0);
    }
  }

  /** Runs once now (after the run in flight, if any) and answers with the outcome; the schedule carries on after. */
  async runNow(): Promise<SyncLoopStatus> {
    // Several callers may wait on the same run: each re-checks after waking, so one run at a time holds.
    while (this.#inFlight !== undefined) {
      await this.#inFlight;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const run = this.#run().finally(() => {
      this.#inFlight = undefined;
    });
    this.#inFlight = run;
    await run;
    return this.status();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#inFlight;
  }

  status(): SyncLoopStatus {
    return {
      running: this.#inFlight !== undefined,
      consecutiveFailures: this.#failures,
      lastReport: this.#lastReport,
      lastError: this.#lastError,
      nextRunInMs: this.#nextRunInMs,
    };
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#nextRunInMs = delayMs;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#inFlight = this.#run().finally(() => {
        this.#inFlight = undefined;
      });
    }, delayMs);
    this.#timer.unref();
  }

  async #run(): Promise<void> {
    let delay = this.#intervalMs;
    try {
      this.#lastReport = await this.#client.syncOnce();
      this.#failures = 0;
      this.#lastError = null;
    } catch (error) {
      const syncError = error instanceof SyncError ? error : new SyncError('SERVER', 'Sync failed.', true);
      this.#failures += 1;
      this.#lastError = { code: syncError.code, message: syncError.message };
      if (syncError.code === 'DEVICE_REVOKED' || syncError.code === 'NOT_ENROLLED') {
        this.#stopped = true;
      }
      delay = syncError.retryable
        ? backoffDelay(this.#failures - 1, this.#backoff)
        : Math.max(this.#permanentRetryMs, backoffDelay(this.#failures - 1, this.#backoff));
    }
    this.#onStatus?.(this.status());
    if (!this.#stopped) {
      this.#schedule(delay);
    } else {
      this.#nextRunInMs = null;
    }
  }
}
