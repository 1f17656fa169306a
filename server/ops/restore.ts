/**
 * `restore`: a verified dump into a PostgreSQL database, then a check of what was restored. The order is the
 * safety: the keyring's signature, then one private copy of the dump that everything after reads, its checksum and
 * the signed SHA-256, then the archive's table of contents against the shipped schema, then the target (empty, or
 * for `--clean` unused and holding nothing the dump would not replace), and only then pg_restore of exactly the
 * checked entries in a single transaction (a failure half-way leaves the target as it was).
 */
import { chmodSync, constants, copyFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { appendServerAudit, verifyServerAudit, type AuditSigner } from '../audit/server-audit';
import { openDatabase, SchemaVersionError, type SchemaState, type ServerDb } from '../db/database';
import * as schema from '../db/schema';
import { listDump, sha256File, verifyChecksum, type DumpContents } from './backup';
import { verifyDumpSignature, type DumpSignature } from './dump-signature';
import { OpsError, runPgTool, withClient, type PgConnection } from './pg-tools';

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
  /** The keyring's public keys by id: the dump's `.sig` must verify with one (server/ops/dump-signature.ts). */
  readonly publicKeyFor: (keyId: string) => string | undefined;
}

export interface RestoreReport {
  readonly sha256: string;
  /** The keyring key that signed the dump, and when the backup was taken (as signed). */
  readonly keyId: string;
  readonly createdAt: string;
  /** Rows per table after the restore (counts only, never contents). */
  readonly rows: Readonly<Record<string, number>>;
  /** Where the feed's next id now starts. */
  readonly feedNextId: number;
}

/** Tables, sequences and views outside PostgreSQL's own schemas, as `schema.name`. */
async function userRelations(client: pg.Client): Promise<{ tables: string[]; relations: string[] }> {
  const result = await client.query<{ name: string; kind: string }>(
    `SELECT n.nspname || '.' || c.relname AS name, c.relkind AS kind
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'S', 'v', 'm')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        AND n.nspname NOT LIKE 'pg_temp%'
      ORDER BY 1`,
  );
  return {
    tables: result.rows.filter((r) => r.kind === 'r' || r.kind === 'p').map((r) => r.name),
    relations: result.rows.map((r) => r.name),
  };
}

export async function rowCounts(connection: PgConnection): Promise<Record<string, number>> {
  return withClient(connection, async (client) => {
    const out: Record<string, number> = {};
    for (const name of (await userRelations(client)).tables) {
      const [s = '', table = ''] = name.split('.');
      const quoted = `${client.escapeIdentifier(s)}.${client.escapeIdentifier(table)}`;
      const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoted}`);
      out[name] = Number(result.rows[0]?.n ?? 0);
    }
    return out;
  });
}

/** Refuses a target that `pg_restore` must not write: see the module comment. */
async function checkTarget(connection: PgConnection, dump: DumpContents, clean: boolean): Promise<void> {
  await withClient(connection, async (client) => {
    const existing = await userRelations(client);
    if (existing.relations.length === 0) {
      if (clean) {
        return;
      }
      // pg_restore's CREATE SCHEMA would fail on it half-way; say so before anything runs.
      const present = await client.query<{ nspname: string }>(
        'SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[])',
        [dump.schemas],
      );
      const clash = present.rows.map((r) => r.nspname);
      if (clash.length > 0) {
        throw new OpsError(
          'OPS_TARGET_NOT_EMPTY',
          `${connection.label} already has the schema ${clash.join(', ')} the backup creates (was roles.sql run ` +
            `before the restore?): nothing was restored. Drop it (DROP SCHEMA ${clash.join(', ')}), restore, then ` +
            'run roles.sql.',
        );
      }
      return;
    }
    if (!clean) {
      throw new OpsError(
        'OPS_TARGET_NOT_EMPTY',
        `${connection.label} already holds ${existing.tables.length} table(s): nothing was restored. Restore into a ` +
          'new, empty database (createdb), or pass --clean to drop and replace what the dump holds (destructive).',
      );
    }
    const others = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    const sessions = Number(others.rows[0]?.n ?? 0);
    if (sessions > 0) {
      throw new OpsError(
        'OPS_TARGET_IN_USE',
        `${connection.label} has ${sessions} other open session(s): stop every server instance before --clean ` +
          'replaces the database under them. Nothing was restored.',
      );
    }
    // --clean drops only what the dump creates; anything else (a newer build's table) would survive the "rollback".
    const known = new Set(dump.relations);
    const leftovers = existing.relations.filter((name) => !known.has(name));
    if (leftovers.length > 0) {
      throw new OpsError(
        'OPS_TARGET_NOT_EMPTY',
        `${connection.label} holds ${leftovers.length} table(s) or sequence(s) the backup does not ` +
          `(${leftovers.slice(0, 5).join(', ')}${leftovers.length > 5 ? ', …' : ''}), e.g. from a newer build's ` +
          'migration; --clean would leave them behind. Nothing was restored: restore into a new, empty database ' +
          '(createdb) and point DATABASE_URL at it.',
      );
    }
  });
}

/** Moves the feed's id sequence past any cursor a device may hold (FEED_RESTORE_GAP); returns the next id. */
async function jumpFeedSequence(connection: PgConnection): Promise<number> {
  return withClient(connection, async (client) => {
    const sequence = (
      await client.query<{ seq: string | null }>(`SELECT pg_get_serial_sequence('public.feed_items', 'id') AS seq`)
    ).rows[0]?.seq;
    if (sequence === null || sequence === undefined) {
      throw new OpsError('OPS_DUMP_INVALID', 'The restored feed_items table has no id sequence.');
    }
    // The name comes from PostgreSQL itself, already quoted where needed; the value read is what the dump carried.
    const last = (await client.query<{ last_value: string }>(`SELECT last_value FROM ${sequence}`)).rows[0];
    const result = await client.query<{ next: string }>(
      `SELECT setval($1::regclass,
         GREATEST((SELECT coalesce(max(id), 0) FROM public.feed_items), $2::bigint) + $3::bigint, true) + 1 AS next`,
      [sequence, last?.last_value ?? '0', FEED_RESTORE_GAP],
    );
    return Number(result.rows[0]?.next ?? 0);
  });
}

/**
 * The dump as restored: one private copy (a folder only this user can enter), so that what is hashed, listed and
 * restored is the same bytes even if someone rewrites the original meanwhile.
 */
interface VerifiedCopy {
  readonly file: string;
  readonly dir: string;
  readonly signature: DumpSignature;
}

async function verifiedCopy(file: string, publicKeyFor: (keyId: string) => string | undefined): Promise<VerifiedCopy> {
  if (!existsSync(file)) {
    throw new OpsError('OPS_USAGE', `${file} does not exist.`);
  }
  const signature = verifyDumpSignature(file, publicKeyFor);
  const dir = mkdtempSync(join(tmpdir(), 'nexis-restore-'));
  try {
    chmodSync(dir, 0o700);
    const copy = join(dir, 'backup.dump');
    copyFileSync(file, copy, constants.COPYFILE_EXCL);
    chmodSync(copy, 0o600);
    const actual = await sha256File(copy);
    verifyChecksum(file, actual);
    if (actual !== signature.sha256 || statSync(copy).size !== signature.size) {
      throw new OpsError(
        'OPS_DUMP_SIGNATURE_INVALID',
        `${basename(file)} is not the dump its signature covers (altered after the backup, its checksum rewritten): ` +
          'nothing was restored. Use another copy or an earlier backup.',
      );
    }
    return { file: copy, dir, signature };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

export async function restoreDump(
  connection: PgConnection,
  file: string,
  options: RestoreOptions,
): Promise<RestoreReport> {
  const copy = await verifiedCopy(file, options.publicKeyFor);
  try {
    const contents = await listDump(copy.file, basename(file));
    await checkTarget(connection, contents, options.clean);
    const useList = join(copy.dir, 'restore.list');
    writeFileSync(useList, contents.useList, { mode: 0o600, flag: 'wx' });
    await runPgTool(
      'pg_restore',
      [
        // Ownership and grants are the target's: the restoring role owns what it restores, and a role named in the
        // source cluster's grants need not exist here.
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        '--single-transaction',
        '--no-password',
        ...(options.clean ? ['--clean', '--if-exists'] : []),
        // Only the entries checked against the shipped schema (server/ops/dump-contents.ts).
        `--use-list=${useList}`,
        `--dbname=${connection.database}`,
        copy.file,
      ],
      connection,
    );
  } finally {
    rmSync(copy.dir, { recursive: true, force: true });
  }
  const feedNextId = await jumpFeedSequence(connection);
  return {
    sha256: copy.signature.sha256,
    keyId: copy.signature.keyId,
    createdAt: copy.signature.createdAt,
    rows: await rowCounts(connection),
    feedNextId,
  };
}

export interface RestoredCheck {
  /** The schema state, or why this build would refuse it (SCHEMA_PENDING: run `migrate`; SCHEMA_NEWER: newer build). */
  readonly schema: { ok: true; state: SchemaState } | { ok: false; code: SchemaVersionError['code']; message: string };
  readonly audit: { ok: boolean; line: string };
  /** Whether the restore itself was appended to the server's audit chain (`database.restored`). */
  readonly recorded: boolean;
}

function serverDb(connection: PgConnection): { db: ServerDb; end: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: connection.url, max: 2 });
  pool.on('error', () => undefined);
  return { db: drizzle({ client: pool, schema }), end: () => pool.end() };
}

export interface RestoreKeys {
  readonly publicKeyFor: (keyId: string) => string | undefined;
  readonly signer: AuditSigner;
}

/**
 * What the restored database is: its schema as this build sees it, and its audit chain recomputed. The chain is
 * verified directly (not through an opened Database) so that a restore this build cannot serve is still checked. A
 * sound chain on a schema this build knows then records the restore itself, so the gap it leaves is on record; on
 * another schema this build's table definitions may not fit, so nothing is written.
 */
export async function checkRestored(
  connection: PgConnection,
  keys: RestoreKeys,
  record: { file: string; sha256: string; feedNextId: number },
  now: Date,
  migrationsFolder?: string,
): Promise<RestoredCheck> {
  let schemaCheck: RestoredCheck['schema'];
  try {
    const database = await openDatabase(
      { kind: 'postgres', url: connection.url, poolSize: 2 },
      { migrations: 'verify', ...(migrationsFolder === undefined ? {} : { migrationsFolder }) },
    );
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
        recorded: false,
      };
    }
    const audit = {
      ok: true,
      line: `server audit chain sound: ${result.entries} entries, head ${result.headSeq} (${result.headHash})`,
    };
    if (!schemaCheck.ok) {
      return { schema: schemaCheck, audit, recorded: false };
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
    return { schema: schemaCheck, audit, recorded: true };
  } finally {
    await end();
  }
}
