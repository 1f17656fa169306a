/**
 * The durable log: JSON lines appended to `<dataDir>/logs/nexis.log`, rotated by size (nexis.log → nexis.log.1 → …,
 * the oldest dropped), so a packaged app, whose stderr nobody sees, keeps its recent history in a bounded space.
 *
 * Hand-written rather than pino + pino-roll: pino-roll rotates inside a pino transport, i.e. on a worker thread with
 * asynchronous writes, so the lines just before a main-process crash (the ones a "Report a problem" bundle needs most)
 * can be lost, and it would add a worker-thread dependency to the Electron main process. This appender is synchronous
 * (`appendFileSync`, then `renameSync` to rotate): once `write` returns the line is in the file. Log volume is small
 * (events, not requests), so the synchronous write costs nothing noticeable.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const LOG_DIR = 'logs';
export const LOG_FILE = 'nexis.log';
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
/** Files kept in all: the current one and four rotated ones. */
export const DEFAULT_FILES = 5;

export interface RotatingFileOptions {
  readonly maxBytes?: number;
  readonly files?: number;
}

export function logFilePath(dataDir: string): string {
  return join(dataDir, LOG_DIR, LOG_FILE);
}

export class RotatingFile {
  readonly file: string;
  readonly #maxBytes: number;
  readonly #files: number;
  #size: number;
  /** Set after a failed write (disk full, permissions): later writes are tried again, silently. */
  failures = 0;

  constructor(file: string, options: RotatingFileOptions = {}) {
    this.file = file;
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.#files = Math.max(1, options.files ?? DEFAULT_FILES);
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    this.#size = existsSync(file) ? statSync(file).size : 0;
  }

  /** Appends one line (ending in a newline). Never throws: losing a log line must not fail what was being logged. */
  write(line: string): void {
    try {
      const bytes = Buffer.byteLength(line);
      if (this.#size > 0 && this.#size + bytes > this.#maxBytes) {
        this.#rotate();
      }
      appendFileSync(this.file, line, { mode: 0o600 });
      this.#size += bytes;
    } catch {
      this.failures += 1;
    }
  }

  /** The rotated file `n` back (0: the current file). */
  pathOf(n: number): string {
    return n === 0 ? this.file : `${this.file}.${n}`;
  }

  /** The last `count` lines, oldest first, reading back into rotated files when the current one is short. */
  tail(count: number): string[] {
    const lines: string[] = [];
    for (let n = 0; n < this.#files && lines.length < count; n += 1) {
      const path = this.pathOf(n);
      if (!existsSync(path)) {
        break;
      }
      const text = readFileSync(path, 'utf8');
      const own = text.split('\n').filter((l) => l.length > 0);
      lines.unshift(...own.slice(Math.max(0, own.length - (count - lines.length))));
    }
    return lines;
  }

  #rotate(): void {
    rmSync(this.pathOf(this.#files - 1), { force: true });
    for (let n = this.#files - 2; n >= 0; n -= 1) {
      if (existsSync(this.pathOf(n))) {
        renameSync(this.pathOf(n), this.pathOf(n + 1));
      }
    }
    this.#size = 0;
  }
}
