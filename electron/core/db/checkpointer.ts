/**
 * Write-ahead-log checkpoints off the officer's path. SQLite's automatic checkpoint runs inside the commit that
 * crosses its threshold, so one registration in a hundred paid for copying the whole log into the database (the p99
 * of an intake was three times its p90). Here a worker thread with its own connection runs a PASSIVE checkpoint every
 * few seconds: PASSIVE never blocks the writer or readers, it copies what it can. The main connection keeps an
 * automatic checkpoint only as a backstop, at a threshold the worker normally never lets the log reach.
 *
 * Durability is unchanged: a commit is durable once its log frames are synced (`synchronous=FULL`), whoever copies
 * them into the database later; a crash before a checkpoint leaves a longer log that the next open recovers
 * (`integrity.ts` checks it first). Erasures still run their own TRUNCATE checkpoint on the main connection.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteConnection } from './open';
import { watchWorkerExit } from './worker-exit';

/** The backstop: the main connection checkpoints itself only past this many pages (64 MiB at 4 KiB pages). */
export const BACKSTOP_PAGES = 16_384;
export const CHECKPOINT_INTERVAL_MS = 2_000;

// Plain CommonJS evaluated from this string, like parallel-walk.ts's workers: no bundler entry or TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
let db;
let timer;
const report = (message) => parentPort.postMessage(message);
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma("cipher='sqlcipher'");
  db.pragma('legacy=4');
  db.pragma('key="x\\'' + workerData.keyHex + '\\'"');
  db.pragma('busy_timeout = 100');
  db.pragma('synchronous = FULL');
  db.pragma('wal_autocheckpoint = 0');
  const run = () => {
    try {
      const [row] = db.pragma('wal_checkpoint(PASSIVE)');
      report({ kind: 'checkpoint', busy: row.busy, log: row.log, checkpointed: row.checkpointed });
    } catch (error) {
      report({ kind: 'error', code: (error && error.code) || 'error' });
    }
  };
  timer = setInterval(run, workerData.intervalMs);
  parentPort.on('message', (message) => {
    if (message === 'now') run();
    if (message === 'stop') {
      // Close, say so, and let the thread end by itself (worker-exit.ts says why it is never terminated).
      clearInterval(timer);
      db.close();
      db = undefined;
      report({ kind: 'stopped' });
      parentPort.close();
    }
  });
  report({ kind: 'ready' });
} catch (error) {
  if (db) db.close();
  report({ kind: 'error', code: (error && error.code) || 'error' });
}
`;

export interface CheckpointReport {
  readonly kind: 'ready' | 'checkpoint' | 'error' | 'stopped';
  readonly busy?: number;
  readonly log?: number;
  readonly checkpointed?: number;
  readonly code?: string;
}

export class BackgroundCheckpointer {
  readonly #worker: Worker;
  readonly #untilExit: (graceMs?: number) => Promise<void>;
  #stopped = false;

  constructor(
    sqlite: SqliteConnection,
    file: string,
    key: Uint8Array,
    options: { readonly intervalMs?: number; readonly onReport?: (report: CheckpointReport) => void } = {},
  ) {
    sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file,
        keyHex: Buffer.from(key).toString('hex'),
        modulePath: createRequire(import.meta.url).resolve('better-sqlite3'),
        intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS,
      },
    });
    this.#untilExit = watchWorkerExit(this.#worker);
    // The worker never keeps the process alive: closing the workstation stops it, and an exit needs no goodbye.
    this.#worker.unref();
    this.#worker.on('message', (report: CheckpointReport) => options.onReport?.(report));
    this.#worker.on('error', () => options.onReport?.({ kind: 'error', code: 'worker' }));
  }

  /** Asks for a checkpoint now (tests, and before a backup). */
  now(): void {
    if (!this.#stopped) {
      this.#worker.postMessage('now');
    }
  }

  /**
   * Stops the worker and waits until its connection is closed and its thread has ended, so the main connection can
   * close last. A checkpoint in progress finishes first (PASSIVE, so it is short).
   */
  async stop(): Promise<void> {
    if (this.#stopped) {
      return;
    }
    this.#stopped = true;
    this.#worker.postMessage('stop');
    await this.#untilExit();
  }
}
