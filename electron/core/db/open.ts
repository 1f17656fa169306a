/**
 * Opens the workstation's SQLCipher 4 database (better-sqlite3-multiple-ciphers, `sqlcipher` scheme, legacy=4),
 * checks the key before anything is written, sets the durability pragmas and applies pending migrations.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
// 'better-sqlite3' is installed as an alias of better-sqlite3-multiple-ciphers (package.json), so Drizzle's
// better-sqlite3 driver and this code share the one SQLCipher-capable build.
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { NexisError } from '../errors';
import * as schema from './schema';
import { defaultMigrationsDir } from './paths';
import { checkWriteAheadLog } from './integrity';

export type SqliteConnection = Database.Database;
export type NexisDb = BetterSQLite3Database<typeof schema>;

export interface OpenDatabaseOptions {
  readonly file: string;
  /** 32 raw key bytes; used as a raw SQLCipher key (no passphrase KDF). */
  readonly key: Uint8Array;
  /** Create the file when it does not exist yet. An existing file is never replaced. */
  readonly create: boolean;
  readonly migrationsDir?: string;
  readonly readonly?: boolean;
}

export interface OpenedDatabase {
  readonly sqlite: SqliteConnection;
  readonly db: NexisDb;
  readonly file: string;
}

export const KEY_BYTES = 32;

/** Applies the SQLCipher 4 scheme and the raw key to a fresh connection. Shared with backup/restore. */
export function applyCipherKey(sqlite: SqliteConnection, key: Uint8Array): void {
  if (key.length !== KEY_BYTES) {
    throw new NexisError('DB_KEY_INVALID', `The database key must be ${KEY_BYTES} bytes, got ${key.length}.`);
  }
  sqlite.pragma(`cipher='sqlcipher'`);
  sqlite.pragma('legacy=4');
  sqlite.pragma(`key="x'${Buffer.from(key).toString('hex')}'"`);
}

/** Reads the schema page: fails with SQLITE_NOTADB when the key is wrong (the file is left untouched). */
function checkKey(sqlite: SqliteConnection, file: string): void {
  try {
    sqlite.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (error) {
    sqlite.close();
    if (sqliteCode(error) === 'SQLITE_NOTADB') {
      throw new NexisError(
        'DB_KEY_INVALID',
        `The database key does not open ${file}, or the file is not a NEXIS database. The file was not changed.`,
        { cause: error },
      );
    }
    throw toStorageError(error);
  }
}

export function openDatabase(options: OpenDatabaseOptions): OpenedDatabase {
  const { file, key } = options;
  const exists = existsSync(file);
  if (!exists && !options.create) {
    throw new NexisError('NOT_FOUND', `No database at ${file}.`);
  }
  if (!exists) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  }
  // Before SQLite reads the log: its recovery would drop the frames after a damaged one without an error.
  const walDamage = exists ? checkWriteAheadLog(`${file}-wal`) : null;
  if (walDamage !== null) {
    throw new NexisError('DB_CORRUPT', `${walDamage}. The file was not changed; restore the latest backup.`);
  }
  const sqlite = new Database(file, { readonly: options.readonly ?? false, fileMustExist: exists });
  try {
    applyCipherKey(sqlite, key);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  checkKey(sqlite, file);
  try {
    if (!options.readonly) {
      sqlite.pragma('journal_mode = WAL');
      // FULL: a committed transaction survives power loss, not only a crash of the app.
      sqlite.pragma('synchronous = FULL');
    }
    sqlite.pragma('foreign_keys = ON');
    // Deleted content is overwritten with zeros, and sort/index temporaries never reach a temp file on disk.
    sqlite.pragma('secure_delete = ON');
    sqlite.pragma('temp_store = MEMORY');
    sqlite.pragma('busy_timeout = 5000');
    const db = drizzle({ client: sqlite, schema });
    if (!options.readonly) {
      migrate(db, { migrationsFolder: options.migrationsDir ?? defaultMigrationsDir() });
    }
    return { sqlite, db, file };
  } catch (error) {
    sqlite.close();
    throw toStorageError(error);
  }
}

export function sqliteCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

/** Maps SQLite failures to typed errors: a damaged page must be reported, never silently read. */
export function toStorageError(error: unknown): unknown {
  if (error instanceof NexisError) {
    return error;
  }
  const code = sqliteCode(error);
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT_VTAB') {
    return new NexisError(
      'DB_CORRUPT',
      'The database file is damaged (a page failed its integrity check). Restore the latest backup.',
      { cause: error },
    );
  }
  if (code?.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL' || code === 'SQLITE_CANTOPEN') {
    return new NexisError('IO_ERROR', `The database could not be read or written (${code}).`, { cause: error });
  }
  return error;
}
