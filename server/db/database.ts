/**
 * Opens the central database: PGlite (PostgreSQL in-process, in a local folder or in memory) by default, or a real
 * PostgreSQL through a connection pool when a URL is given. Both get the same Drizzle API and the same migrations.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { rowsOf } from './rows';
import * as schema from './schema';

export type Schema = typeof schema;
export type ServerDb = PgDatabase<PgQueryResultHKT, Schema>;

/**
 * `apply` (development, tests, a deliberate migration run): pending migrations are applied on open. `verify` (a
 * production `serve`): a pending migration is refused, because migrating is a separate step, taken after a backup,
 * that must not happen as a side effect of one instance of several starting. Either way a schema newer than this
 * build is refused: an older server never runs on a database a newer one migrated.
 */
export type MigrationMode = 'apply' | 'verify';

export interface OpenOptions {
  readonly migrations?: MigrationMode;
  /** Another migrations folder (tests of older and newer builds); default: the shipped one. */
  readonly migrationsFolder?: string;
}

/** The database's schema does not match this build; nothing was changed. */
export class SchemaVersionError extends Error {
  readonly code: 'SCHEMA_NEWER' | 'SCHEMA_PENDING';
  constructor(code: 'SCHEMA_NEWER' | 'SCHEMA_PENDING', message: string) {
    super(message);
    this.code = code;
  }
}

export interface SchemaState {
  /** Migrations recorded in the database. */
  readonly applied: number;
  /** Migrations this build ships. */
  readonly shipped: number;
  /** Shipped migrations the database has not had (drizzle applies those newer than its last recorded one). */
  readonly pending: number;
  /** Recorded migrations newer than anything this build ships: the database was migrated by a newer server. */
  readonly newer: number;
}

export type DatabaseTarget =
  | { readonly kind: 'pglite'; /** Folder, or undefined for in-memory. */ readonly dataDir?: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly poolSize?: number;
      /** Isolates tests sharing one database: tables and the migrations journal live in this schema. */
      readonly schemaName?: string;
    };

/** Connections of the pool now: open, idle, and requests waiting for one. */
export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

/** Told the duration of every query the driver ran (server/metrics), and whether it succeeded. */
export type QueryListener = (seconds: number, ok: boolean) => void;

export interface Database {
  readonly db: ServerDb;
  readonly kind: DatabaseTarget['kind'];
  /** PostgreSQL: the pg.Pool's counters. PGlite: its one in-process connection, always open, never waited for. */
  poolStats(): PoolStats;
  /** Calls `listener` after every query (transactions included); returns the unsubscribe. */
  onQuery(listener: QueryListener): () => void;
  /** Database reachable and every shipped migration applied. */
  ready(): Promise<{ ok: boolean; detail: string }>;
  /** Applied, shipped, pending and newer migrations, read now. */
  schemaState(): Promise<SchemaState>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/** Creation times of the migrations shipped with this build, from drizzle-kit's journal (what drizzle records). */
function shippedTimes(dir: string): number[] {
  const journal = JSON.parse(readFileSync(`${dir}/meta/_journal.json`, 'utf8')) as { entries: { when: number }[] };
  return journal.entries.map((entry) => entry.when);
}

/** How many migrations this build ships. */
export function shippedMigrations(dir = MIGRATIONS_DIR): number {
  return shippedTimes(dir).length;
}

async function schemaState(db: ServerDb, migrationsSchema: string, dir: string): Promise<SchemaState> {
  const shipped = shippedTimes(dir);
  const exists = rowsOf<{ present: boolean }>(
    await db.execute(sql`SELECT to_regclass(${`${migrationsSchema}.__drizzle_migrations`}) IS NOT NULL AS present`),
  )[0]?.present;
  const recorded =
    exists === true
      ? rowsOf<{ created_at: string | number }>(
          await db.execute(
            sql`SELECT created_at FROM ${sql.identifier(migrationsSchema)}.__drizzle_migrations ORDER BY created_at`,
          ),
        ).map((row) => Number(row.created_at))
      : [];
  const last = recorded.at(-1) ?? -Infinity;
  const newest = shipped.at(-1) ?? -Infinity;
  return {
    applied: recorded.length,
    shipped: shipped.length,
    pending: shipped.filter((when) => when > last).length,
    newer: recorded.filter((when) => when > newest).length,
  };
}

/** Refuses a newer schema always, and a pending migration when migrating is not this open's job. */
async function checkSchema(db: ServerDb, migrationsSchema: string, dir: string, mode: MigrationMode): Promise<void> {
  const state = await schemaState(db, migrationsSchema, dir);
  if (state.newer > 0) {
    throw new SchemaVersionError(
      'SCHEMA_NEWER',
      `The database schema is newer than this server: it has ${state.applied} migrations, this build knows ` +
        `${state.shipped}. Run the server version that migrated it, or roll back: restore the backup \`migrate\` took ` +
        'before that migration (`restore --from <dump>`, docs/backup-restore.md) and run this version on it.',
    );
  }
  if (mode === 'verify' && state.pending > 0) {
    throw new SchemaVersionError(
      'SCHEMA_PENDING',
      `The database needs ${state.pending} migration(s) this build ships: run \`migrate --backup-dir <dir>\` ` +
        '(it takes a verified backup first), then start the instances.',
    );
  }
}

/**
 * Query timing at the driver, below drizzle: drizzle's logger is told a query before it runs, never how long it took,
 * so the clients' `query` is wrapped instead. pg's Pool.query calls the client's with a callback, drizzle with a
 * promise; both are timed. A listener that throws never disturbs the query.
 */
function queryListeners(): { add: (l: QueryListener) => () => void; emit: (started: bigint, ok: boolean) => void } {
  const listeners = new Set<QueryListener>();
  return {
    add: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (started, ok) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      for (const listener of listeners) {
        try {
          listener(seconds, ok);
        } catch {
          // Measurement must never fail a query.
        }
      }
    },
  };
}

type AnyFunction = (...args: unknown[]) => unknown;

function timed(query: AnyFunction, emit: (started: bigint, ok: boolean) => void): AnyFunction {
  return (...args: unknown[]) => {
    const started = process.hrtime.bigint();
    const last = args.at(-1);
    if (typeof last === 'function') {
      const callback = last as AnyFunction;
      args[args.length - 1] = (error: unknown, result: unknown) => {
        emit(started, error === null || error === undefined);
        return callback(error, result);
      };
      return query(...args);
    }
    const result = query(...args);
    if (result instanceof Promise) {
      result.then(
        () => emit(started, true),
        () => emit(started, false),
      );
    }
    return result;
  };
}

function timePglite(client: PGlite, emit: (started: bigint, ok: boolean) => void): void {
  const query = timed(client.query.bind(client) as AnyFunction, emit);
  const transaction = client.transaction.bind(client);
  Object.assign(client, {
    query,
    transaction: <T>(callback: (tx: Transaction) => Promise<T>) =>
      transaction((tx) => {
        const txQuery = timed(tx.query.bind(tx) as AnyFunction, emit);
        return callback(
          new Proxy(tx, {
            get: (target, property) => {
              if (property === 'query') {
                return txQuery;
              }
              const value: unknown = Reflect.get(target, property, target);
              return typeof value === 'function' ? (value as AnyFunction).bind(target) : value;
            },
          }),
        );
      }),
  });
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Serialises migrations when several server processes start against one PostgreSQL. */
const MIGRATION_LOCK = 7_261_842;

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  const mode = options.migrations ?? 'apply';
  const migrationsFolder = options.migrationsFolder ?? MIGRATIONS_DIR;
  if (target.kind === 'pglite') {
    const client = new PGlite(target.dataDir);
    const listeners = queryListeners();
    timePglite(client, listeners.emit);
    const db = drizzlePglite({ client, schema });
    try {
      await checkSchema(db, 'drizzle', migrationsFolder, mode);
      if (mode === 'apply') {
        await migratePglite(db, { migrationsFolder });
      }
    } catch (error) {
      await client.close();
      throw error;
    }
    return wrap(db, 'pglite', 'drizzle', migrationsFolder, () => client.close(), {
      poolStats: () => ({ total: 1, idle: 0, waiting: 0 }),
      onQuery: listeners.add,
    });
  }
  const schemaName = target.schemaName;
  if (schemaName !== undefined && !SCHEMA_NAME.test(schemaName)) {
    throw new Error('schemaName must be a plain lower-case identifier');
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    ...(schemaName === undefined ? {} : { options: `-c search_path=${schemaName}` }),
  });
  // An idle client that loses its server must not crash the process; the next query reports the failure.
  pool.on('error', () => undefined);
  const listeners = queryListeners();
  pool.on('connect', (client) => {
    Object.assign(client, { query: timed(client.query.bind(client) as AnyFunction, listeners.emit) });
  });
  const db = drizzlePg({ client: pool, schema });
  const migrationsSchema = schemaName ?? 'drizzle';
  try {
    const lock = await pool.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      if (schemaName !== undefined) {
        await lock.query(`CREATE SCHEMA IF NOT EXISTS ${schemaName}`);
      }
      await checkSchema(db, migrationsSchema, migrationsFolder, mode);
      if (mode === 'apply') {
        await migratePg(db, { migrationsFolder, migrationsSchema });
      }
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      lock.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  return wrap(db, 'postgres', migrationsSchema, migrationsFolder, () => pool.end(), {
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    onQuery: listeners.add,
  });
}

function wrap(
  db: ServerDb,
  kind: DatabaseTarget['kind'],
  migrationsSchema: string,
  migrationsFolder: string,
  close: () => Promise<void>,
  instruments: Pick<Database, 'poolStats' | 'onQuery'>,
): Database {
  const expected = shippedMigrations(migrationsFolder);
  let closed = false;
  return {
    db,
    kind,
    ...instruments,
    ready: async () => {
      try {
        const result = await db.execute(
          sql`SELECT count(*)::int AS n FROM ${sql.identifier(migrationsSchema)}.__drizzle_migrations`,
        );
        const applied = Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
        return applied === expected
          ? { ok: true, detail: `${applied} migrations applied` }
          : { ok: false, detail: `${applied} of ${expected} migrations applied` };
      } catch {
        return { ok: false, detail: 'database unreachable' };
      }
    },
    schemaState: () => schemaState(db, migrationsSchema, migrationsFolder),
    close: async () => {
      if (!closed) {
        closed = true;
        await close();
      }
    },
  };
}
