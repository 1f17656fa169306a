/**
 * `restore`: a verified dump into a PostgreSQL database, then a check of what was restored. The order is the
 * safety: checksum, then the archive's table of contents, then the target's emptiness, and only then pg_restore in a
 * single transaction (a failure half-way leaves the target as it was).
 */
import { basename } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { appendServerAudit, verifyServerAudit, type AuditSigner } from '../audit/server-audit';
import { openDatabase, SchemaVersionError, type SchemaState, type ServerDb } from '../db/database';
import * as schema from '../db/schema';
import { listDump, verifyChecksum } from './backup';
import { OpsError, runPgTool, scrub, type PgConnection } from './pg-tools';

/**
 * How far the feed's id sequence jumps after a restore. Devices may hold pull cursors beyond the restored feed (they
 * read items published after the backup); a new item numbered at or below such a cursor would never reach them. The
 * restored database cannot know those cursors, so new ids start above anything that could have been issued between
 * the backup and the loss: a billion feed items is orders of magnitude beyond the bank's release, officer and
 * withdrawal traffic, and the ids (bigint, read as JavaScript numbers up to 2^53) have room for millions of restores.
 */
export const FEED_RESTORE_GAP = 1_000_000_000;

export interface RestoreOptions {
  /** Drop and recreate what the dump holds in a target that is not empty: destructive. */
  readonly clean: boolean;
}

export interface RestoreReport {
  readonly sha256: string;
  /** Rows per table after the restore (counts only, never contents). */
  readonly rows: Readonly<Record<string, number>>;
  /** Where the feed's next id now starts. */
  readonly feedNextId: number;
}

async function withClient<T>(connection: PgConnection, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    host: connection.env.PGHOST,
    port: Number(connection.env.PGPORT),
    user: connection.env.PGUSER,
    password: connection.env.PGPASSWORD,
    database: connection.env.PGDATABASE,
  });
  try {
    await client.connect();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new OpsError('OPS_TOOL_FAILED', `cannot connect to ${connection.label}: ${scrub(message, connection)}`);
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Tables outside PostgreSQL's own schemas, as `schema.table`. */
async function userTables(client: pg.Client): Promise<{ schema: string; table: string }[]> {
  const result = await client.query<{ table_schema: string; table_name: string }>(
    `SELECT table_schema, table_name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
        AND table_schema NOT LIKE 'pg_toast%' ORDER BY table_schema, table_name`,
  );
  return result.rows.map((r) => ({ schema: r.table_schema, table: r.table_name }));
}

export async function rowCounts(connection: PgConnection): Promise<Record<string, number>> {
  return withClient(connection, async (client) => {
    const out: Record<string, number> = {};
    for (const { schema: s, table } of await userTables(client)) {
      const name = `${client.escapeIdentifier(s)}.${client.escapeIdentifier(table)}`;
      const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`);
      out[`${s}.${table}`] = Number(result.rows[0]?.n ?? 0);
    }
    return out;
  });
}

export async function restoreDump(
  connection: PgConnection,
  file: string,
  options: RestoreOptions,
): Promise<RestoreReport> {
  const sha256 = await verifyChecksum(file);
  await listDump(file);
  const existing = await withClient(connection, userTables);
  if (existing.length > 0 && !options.clean) {
    throw new OpsError(
      'OPS_TARGET_NOT_EMPTY',
      `${connection.label} already holds ${existing.length} table(s): nothing was restored. Restore into a new, ` +
        'empty database (createdb), or pass --clean to drop and replace what the dump holds (destructive).',
    );
  }
  await runPgTool(
    'pg_restore',
    [
      '--no-owner',
      '--exit-on-error',
      '--single-transaction',
      '--no-password',
      ...(options.clean ? ['--clean', '--if-exists'] : []),
      `--dbname=${connection.database}`,
      file,
    ],
    connection,
  );
  const feedNextId = await withClient(connection, async (client) => {
    const result = await client.query<{ next: string }>(
      `SELECT setval(pg_get_serial_sequence('public.feed_items', 'id'),
         GREATEST((SELECT coalesce(max(id), 0) FROM public.feed_items),
                  (SELECT last_value FROM public.feed_items_id_seq)) + $1, true) + 1 AS next`,
      [FEED_RESTORE_GAP],
    );
    return Number(result.rows[0]?.next ?? 0);
  });
  return { sha256, rows: await rowCounts(connection), feedNextId };
}

export interface RestoredCheck {
  /** The schema state, or why this build would refuse it (SCHEMA_PENDING: run `migrate`; SCHEMA_NEWER: newer build). */
  readonly schema: { ok: true; state: SchemaState } | { ok: false; code: SchemaVersionError['code']; message: string };
  readonly audit: { ok: boolean; line: string };
}

function serverDb(connection: PgConnection): { db: ServerDb; end: () => Promise<void> } {
  const pool = new pg.Pool({
    host: connection.env.PGHOST,
    port: Number(connection.env.PGPORT),
    user: connection.env.PGUSER,
    password: connection.env.PGPASSWORD,
    database: connection.env.PGDATABASE,
    max: 2,
  });
  pool.on('error', () => undefined);
  return { db: drizzle({ client: pool, schema }), end: () => pool.end() };
}

/**
 * What the restored database is: its schema as this build sees it, and its audit chain recomputed. The chain is
 * verified directly (not through an opened Database) so that a restore for a rollback, whose schema this build
 * calls pending, is still checked. A sound chain then records the restore itself, so the gap it leaves is on record.
 */
export async function checkRestored(
  url: string,
  connection: PgConnection,
  keys: { publicKeyFor: (keyId: string) => string | undefined; signer: AuditSigner },
  record: { file: string; sha256: string; feedNextId: number },
  now: Date,
): Promise<RestoredCheck> {
  let schemaCheck: RestoredCheck['schema'];
  try {
    const database = await openDatabase({ kind: 'postgres', url, poolSize: 2 }, { migrations: 'verify' });
    try {
      schemaCheck = { ok: true, state: await database.schemaState() };
    } finally {
      await database.close();
    }
  } catch (error) {
    if (!(error instanceof SchemaVersionError)) {
      throw error;
    }
    schemaCheck = { ok: false, code: error.code, message: error.message };
  }
  const { db, end } = serverDb(connection);
  try {
    const result = await verifyServerAudit(db, keys.publicKeyFor);
    if (!result.ok) {
      return {
        schema: schemaCheck,
        audit: { ok: false, line: `server audit chain BROKEN at sequence ${result.firstBadSeq}: ${result.reason}` },
      };
    }
    await db.transaction(async (tx) => {
      await appendServerAudit(
        tx,
        keys.signer,
        {
          actor: 'bootstrap',
          action: 'database.restored',
          subject: null,
          payload: { dump: basename(record.file), sha256: record.sha256, feedNextId: record.feedNextId },
        },
        now,
      );
    });
    return {
      schema: schemaCheck,
      audit: {
        ok: true,
        line: `server audit chain sound: ${result.entries} entries, head ${result.headSeq} (${result.headHash})`,
      },
    };
  } finally {
    await end();
  }
}
