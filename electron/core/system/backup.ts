/**
 * Encrypted online backups. `VACUUM INTO` writes a consistent snapshot while the app keeps working; with
 * SQLite3 Multiple Ciphers the copy is encrypted with the same scheme and key (better-sqlite3's page-level
 * `backup()` refuses an encrypted source, and a plaintext copy must never exist).
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { NexisError } from '../errors';
import { openDatabase, toStorageError, type SqliteConnection } from '../db/open';

export function writeBackup(sqlite: SqliteConnection, backupsDir: string, at: Date): { file: string; bytes: number } {
  mkdirSync(backupsDir, { recursive: true, mode: 0o700 });
  const file = join(backupsDir, `nexis-${at.toISOString().replace(/[:.]/g, '-')}.db`);
  if (existsSync(file)) {
    throw new NexisError('CONFLICT', `A backup named ${basename(file)} already exists.`);
  }
  try {
    sqlite.prepare('VACUUM INTO ?').run(file);
  } catch (error) {
    throw toStorageError(error);
  }
  return { file, bytes: statSync(file).size };
}

/** Checks that a backup opens with the key and passes SQLite's integrity check. */
export function checkBackup(file: string, key: Uint8Array): void {
  const opened = openDatabase({ file, key, create: false, readonly: true });
  try {
    const result = opened.sqlite.pragma('integrity_check', { simple: true });
    if (result !== 'ok') {
      throw new NexisError('DB_CORRUPT', `The backup ${basename(file)} fails its integrity check.`);
    }
  } catch (error) {
    throw toStorageError(error);
  } finally {
    opened.sqlite.close();
  }
}

/**
 * Replaces the database with a checked backup. The current file is kept beside it (renamed), never deleted.
 * The workstation must be closed.
 */
export function restoreBackup(
  backupFile: string,
  databaseFile: string,
  key: Uint8Array,
  at: Date,
): { previous: string | null } {
  checkBackup(backupFile, key);
  const staging = join(dirname(databaseFile), `.restore-${process.pid}.db`);
  copyFileSync(backupFile, staging);
  let previous: string | null = null;
  if (existsSync(databaseFile)) {
    previous = `${databaseFile}.before-restore-${at.toISOString().replace(/[:.]/g, '-')}`;
    renameSync(databaseFile, previous);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(databaseFile + suffix)) {
        renameSync(databaseFile + suffix, previous + suffix);
      }
    }
  }
  renameSync(staging, databaseFile);
  return { previous };
}
