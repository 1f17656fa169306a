/**
 * Opens the central database: PGlite (PostgreSQL in-process, in a local folder or in memory) by default, or a real
 * PostgreSQL through a connection pool when a URL is given. Both get the same Drizzle API and the same migrations.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
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

export type DatabaseTarget =
  | { readonly kind: 'pglite'; /** Folder, or undefined for in-memory. */ readonly dataDir?: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly poolSize?: number;
      /** Isolates tests sharing one database: tables and the migrations journal live in this schema. */
      readonly schemaName?: string;
    };

export interface Database {
  readonly db: ServerDb;
  readonly kind: DatabaseTarget['kind'];
  /** Database reachable and every shipped migration applied. */
  ready(): Promise<{ ok: boolean; detail: string }>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/** Tags of the migrations shipped with this build, from drizzle-kit's journal. */
export function shippedMigrations(dir = MIGRATIONS_DIR): number {
  const journal = JSON.parse(readFileSync(`${dir}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Serialises migrations when several server processes start against one PostgreSQL. */
const MIGRATION_LOCK = 7_261_842;

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'pglite') {
    const client = new PGlite(target.dataDir);
    const db = drizzlePglite({ client, schema });
    try {
      await migratePglite(db, { migrationsFolder: MIGRATIONS_DIR });
    } catch (error) {
      await client.close();
      throw error;
    }
    return wrap(db, 'pglite', 'drizzle', () => client.close());
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
  const db = drizzlePg({ client: pool, schema });
  const migrationsSchema = schemaName ?? 'drizzle';
  try {
    const lock = await pool.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      if (schemaName !== undefined) {
        await lock.query(`CREATE SCHEMA IF NOT EXISTS ${schemaName}`);
      }
      await migratePg(db, { migrationsFolder: MIGRATIONS_DIR, migrationsSchema });
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      lock.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  return wrap(db, 'postgres', migrationsSchema, () => pool.end());
}

function wrap(
  db: ServerDb,
  kind: DatabaseTarget['kind'],
  migrationsSchema: string,
  close: () => Promise<void>,
): Database {
  const expected = shippedMigrations();
  let closed = false;
  return {
    db,
    kind,
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
    close: async () => {
      if (!closed) {
        closed = true;
        await close();
      }
    },
  };
}
