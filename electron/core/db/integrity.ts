import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteConnection } from './open';
import { sqliteCode } from './open';

/**
 * Reads every page of every table and index (`PRAGMA quick_check`). With SQLCipher each page read checks the
 * page's HMAC, so a flipped byte anywhere in a used page is reported here rather than found later by chance.
 * Returns null when the file is sound, else a reason without any content from the file.
 */
export function checkDatabaseIntegrity(sqlite: SqliteConnection): string | null {
  try {
    const rows = sqlite.pragma('quick_check') as { quick_check: string }[];
    return describeQuickCheck(rows);
  } catch (error) {
    return damagedPage(sqliteCode(error));
  }
}

function describeQuickCheck(rows: { quick_check: string }[]): string | null {
  if (rows.length === 1 && rows[0]?.quick_check === 'ok') {
    return null;
  }
  return `database file damaged: SQLite quick_check found ${rows.length} problem(s)`;
}

function damagedPage(code: string | undefined): string {
  return `database file damaged: a page failed its integrity (HMAC) check (${code ?? 'error'})`;
}

// The worker is plain CommonJS evaluated from this string, so it needs no bundler entry or TypeScript loader in any
// runtime (tsx, Vitest, Electron). It opens its own read-only connection with the same cipher settings as open.ts.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  db.pragma("cipher='sqlcipher'");
  db.pragma('legacy=4');
  db.pragma('key="x\\'' + workerData.keyHex + '\\'"');
  parentPort.postMessage({ rows: db.pragma('quick_check') });
} catch (error) {
  parentPort.postMessage({ code: (error && error.code) || 'error' });
} finally {
  if (db) db.close();
}
`;

/**
 * The same check on a second core, so it overlaps with the hash-chain walk (verification of a million entries
 * would otherwise read and decrypt the whole file twice on one thread).
 */
export function checkDatabaseIntegrityInWorker(file: string, key: Uint8Array): Promise<string | null> {
  const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, keyHex: Buffer.from(key).toString('hex'), modulePath },
    });
    worker.once('message', (message: { rows?: { quick_check: string }[]; code?: string }) => {
      resolve(message.rows ? describeQuickCheck(message.rows) : damagedPage(message.code));
      void worker.terminate();
    });
    worker.once('error', (error) => resolve(damagedPage(sqliteCode(error))));
  });
}
