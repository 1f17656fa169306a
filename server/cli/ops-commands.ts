/**
 * The operator's database commands (docs/backup-restore.md):
 *   migrate [--backup-dir <dir> | --no-backup]   verified backup first (PostgreSQL), then the pending migrations
 *   backup --out <file>                          verified pg_dump (custom format), <file>.sha256 and <file>.sig
 *   restore --from <file> [--clean]              signature, checksum, contents, restore, schema and audit check,
 *                                                feed gap, audit entry
 *   retention                                    the retention rule now (every instance also runs it daily)
 * They work on PostgreSQL only (except a migrate without backup): the embedded PGlite folder is backed up by copying
 * it while the server is stopped.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { z } from 'zod';
import type { ServerConfig } from '../config';
import {
  MIGRATIONS_DIR,
  openDatabase,
  SchemaVersionError,
  type DatabaseTarget,
  type SchemaState,
} from '../db/database';
import { takeBackup, type BackupResult } from '../ops/backup';
import { connectionFromUrl, OpsError, withClient, type PgConnection } from '../ops/pg-tools';
import { checkRestored, FEED_RESTORE_GAP, restoreDump, type RestoredCheck, type RestoreReport } from '../ops/restore';
import type { Keyring } from '../security/keyring';
import { secretsFromKeyring, type ServerSecrets } from '../security/secrets';
import { runCentralRetention, type CentralRetentionRun } from '../sync/retention';
import { NEXIS_FEATURE_SPEC } from '../../shared/features';
import { appendServerAudit } from '../audit/server-audit';
import { exportTrainingSet, type TrainingExport } from '../retraining/export';
import { keyringFor, open } from './runtime';

export interface OpsContext {
  readonly config: ServerConfig;
  /** Where the command's report goes (the console in the CLI). */
  readonly out: (line: string) => void;
  /** The server's keys, for the audit chain `restore` verifies and extends; default: the configured keyring. */
  readonly keyring?: Keyring;
  /** Another migrations folder (the drills' newer and older builds); default: the shipped one. */
  readonly migrationsFolder?: string;
  readonly now?: () => Date;
}

export const MIGRATE_USAGE = 'usage: npm run server -- migrate [--backup-dir <dir> | --no-backup]';
export const BACKUP_USAGE = 'usage: npm run server -- backup --out <file>';
export const RESTORE_USAGE = 'usage: npm run server -- restore --from <file> [--clean]';

/** Runs a parseArgs call, turning its TypeError on an unknown or malformed option into a usage refusal. */
function parsed<T>(parseCall: () => T, usage: string): T {
  try {
    return parseCall();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OpsError('OPS_USAGE', `${reason}\n${usage}`);
  }
}

function embeddedRefusal(config: ServerConfig, command: string): OpsError {
  return new OpsError(
    'OPS_EMBEDDED_DATABASE',
    `${command} works on PostgreSQL (DATABASE_URL or DATABASE_URL_FILE); this server uses the embedded database in ` +
      `${config.pgliteDir}, which pg_dump cannot read. Back it up by stopping the server and copying that folder ` +
      '(keep the keyring file apart from the copy); restore by putting a copy back while the server is stopped.',
  );
}

/** The keyring signs backups and verifies them on restore: the context's, else the configured one. */
function secretsOf(context: OpsContext): ServerSecrets {
  return secretsFromKeyring(context.keyring ?? keyringFor(context.config).ring);
}

function postgres(config: ServerConfig, command: string): PgConnection {
  if (config.databaseUrl === undefined) {
    throw embeddedRefusal(config, command);
  }
  return connectionFromUrl(config.databaseUrl);
}

function targetOf(config: ServerConfig): DatabaseTarget {
  if (config.databaseUrl === undefined) {
    mkdirSync(config.pgliteDir, { recursive: true });
    return { kind: 'pglite', dataDir: config.pgliteDir };
  }
  return { kind: 'postgres', url: config.databaseUrl, poolSize: 2 };
}

const JournalSchema = z.object({ entries: z.array(z.object({ when: z.number(), tag: z.string() })) });

function journal(folder: string): { when: number; tag: string }[] {
  return JournalSchema.parse(JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8'))).entries;
}

const RECORDED_SQL = 'SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at';
const PRESENT_SQL = "SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present";

/** Creation times of the migrations the database records (drizzle's journal table), oldest first. */
async function recordedMigrations(target: DatabaseTarget): Promise<number[]> {
  if (target.kind === 'pglite') {
    const client = new PGlite(target.dataDir);
    try {
      const present = (await client.query<{ present: boolean }>(PRESENT_SQL)).rows[0]?.present === true;
      return present
        ? (await client.query<{ created_at: string }>(RECORDED_SQL)).rows.map((r) => Number(r.created_at))
        : [];
    } finally {
      await client.close();
    }
  }
  return withClient(connectionFromUrl(target.url), async (client) => {
    const present = (await client.query<{ present: boolean }>(PRESENT_SQL)).rows[0]?.present === true;
    return present
      ? (await client.query<{ created_at: string }>(RECORDED_SQL)).rows.map((r) => Number(r.created_at))
      : [];
  });
}

function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

export interface MigrateResult {
  /** Tags of the migrations applied, oldest first (empty: the schema was current). */
  readonly applied: readonly string[];
  /** The backup taken before migrating, when one was. */
  readonly backup: BackupResult | undefined;
  readonly state: SchemaState;
}

/**
 * `migrate`: refuses a schema newer than this build (the server's own check), takes the backup the rollback will
 * restore, then applies what is pending under the server's migration lock. In production a PostgreSQL is not migrated
 * without a backup unless the operator says `--no-backup` (a backup taken by other means, e.g. a storage snapshot).
 */
export async function runMigrate(context: OpsContext, args: string[]): Promise<MigrateResult> {
  const { values } = parsed(
    () => parseArgs({ args, options: { 'backup-dir': { type: 'string' }, 'no-backup': { type: 'boolean' } } }),
    MIGRATE_USAGE,
  );
  const { config, out } = context;
  const backupDir = values['backup-dir'];
  const noBackup = values['no-backup'] === true;
  if (backupDir !== undefined && noBackup) {
    throw new OpsError('OPS_USAGE', `--backup-dir and --no-backup exclude each other.\n${MIGRATE_USAGE}`);
  }
  if (config.databaseUrl === undefined && backupDir !== undefined) {
    throw embeddedRefusal(config, 'migrate --backup-dir');
  }
  if (config.production && config.databaseUrl !== undefined && backupDir === undefined && !noBackup) {
    throw new OpsError(
      'OPS_BACKUP_REQUIRED',
      'In production, migrate takes a backup first: pass --backup-dir <dir> (the rollback restores it), or ' +
        '--no-backup if a backup was taken by other means. Nothing was migrated.',
    );
  }
  const folder = context.migrationsFolder ?? MIGRATIONS_DIR;
  const target = targetOf(config);
  const migrations = { migrationsFolder: folder };
  try {
    const current = await openDatabase(target, { migrations: 'verify', ...migrations });
    try {
      const state = await current.schemaState();
      out(`Schema up to date (${state.applied} migrations): nothing to migrate, no backup taken.`);
      return { applied: [], backup: undefined, state };
    } finally {
      await current.close();
    }
  } catch (error) {
    // SCHEMA_NEWER propagates: a newer build migrated this database and this one must not touch it.
    if (!(error instanceof SchemaVersionError) || error.code !== 'SCHEMA_PENDING') {
      throw error;
    }
  }
  const recorded = await recordedMigrations(target);
  const last = recorded.at(-1) ?? -Infinity;
  const pending = journal(folder).filter((entry) => entry.when > last);
  let backup: BackupResult | undefined;
  if (backupDir !== undefined && config.databaseUrl !== undefined) {
    if (recorded.length === 0) {
      out('New database (no migration recorded): nothing to back up.');
    } else {
      const connection = connectionFromUrl(config.databaseUrl);
      mkdirSync(backupDir, { recursive: true, mode: 0o700 });
      const name = connection.database.replace(/[^A-Za-z0-9_-]/g, '_');
      const file = resolve(backupDir, `nexis-${name}-${stamp(context.now?.() ?? new Date())}-before-migrate.dump`);
      backup = await takeBackup(connection, file, secretsOf(context).signing, () => context.now?.() ?? new Date());
      out(
        `Backup before migrating: ${backup.file} (${backup.bytes} bytes, sha256 ${backup.sha256}), verified, ` +
          `signed by key ${backup.keyId}.`,
      );
    }
  }
  const database = await openDatabase(target, { migrations: 'apply', ...migrations });
  let state: SchemaState;
  try {
    state = await database.schemaState();
  } finally {
    await database.close();
  }
  // Read back rather than assumed: a second `migrate` that ran meanwhile may have applied some of them itself.
  const before = new Set(recorded);
  const now = new Set(await recordedMigrations(target));
  const applied = pending.filter((entry) => now.has(entry.when) && !before.has(entry.when)).map((entry) => entry.tag);
  out(
    applied.length === 0
      ? 'Applied no migration: another run applied them meanwhile.'
      : `Applied ${applied.length} migration(s): ${applied.join(', ')}.`,
  );
  out(`Schema now has ${state.applied} of ${state.shipped} migrations this build ships.`);
  if (backup !== undefined) {
    out(
      `Rollback: stop this build, restore ${basename(backup.file)} into a new, empty database ` +
        `(npm run server -- restore --from ${backup.file}), point DATABASE_URL at it, start the previous build.`,
    );
  } else if (config.databaseUrl !== undefined) {
    out('No backup was taken by this command: a rollback needs the one taken by other means.');
  }
  return { applied, backup, state };
}

/** `backup --out <file>`: a verified custom-format dump with its `.sha256` and the keyring's `.sig`. */
export async function runBackup(context: OpsContext, args: string[]): Promise<BackupResult> {
  const { values } = parsed(() => parseArgs({ args, options: { out: { type: 'string' } } }), BACKUP_USAGE);
  if (values.out === undefined || values.out === '') {
    throw new OpsError('OPS_USAGE', BACKUP_USAGE);
  }
  const connection = postgres(context.config, 'backup');
  const signer = secretsOf(context).signing;
  const result = await takeBackup(connection, resolve(values.out), signer, () => context.now?.() ?? new Date());
  context.out(`Backup of ${connection.label}: ${result.file}`);
  context.out(`  ${result.bytes} bytes, sha256 ${result.sha256} (in ${basename(result.file)}.sha256)`);
  context.out(`  signed by keyring key ${result.keyId} (in ${basename(result.file)}.sig)`);
  context.out(`  ${result.tables.length} tables; table of contents read back by pg_restore.`);
  return result;
}

export interface RestoreOutcome {
  /** 0: restored, schema matches this build, audit chain sound; 1: restored, but read the report. */
  readonly exitCode: number;
  readonly report: RestoreReport;
  readonly check: RestoredCheck;
}

/** `restore --from <file> [--clean]`: see server/ops/restore.ts for the order of checks. */
export async function runRestore(context: OpsContext, args: string[]): Promise<RestoreOutcome> {
  const { values } = parsed(
    () => parseArgs({ args, options: { from: { type: 'string' }, clean: { type: 'boolean' } } }),
    RESTORE_USAGE,
  );
  if (values.from === undefined || values.from === '') {
    throw new OpsError('OPS_USAGE', RESTORE_USAGE);
  }
  const { config, out } = context;
  const connection = postgres(config, 'restore');
  const secrets = secretsOf(context);
  const file = resolve(values.from);
  const report = await restoreDump(connection, file, {
    clean: values.clean === true,
    publicKeyFor: (keyId) => secrets.signingPublicKey(keyId),
  });
  out(
    `Restored ${basename(file)} (sha256 ${report.sha256}, signed by key ${report.keyId}, taken ${report.createdAt}) ` +
      `into ${connection.label}.`,
  );
  out('Rows per table:');
  for (const [table, rows] of Object.entries(report.rows)) {
    out(`  ${table}: ${rows}`);
  }
  out(
    `Feed ids continue at ${report.feedNextId} (${FEED_RESTORE_GAP} past the restored feed), so items published ` +
      'now reach devices that read further before the loss.',
  );
  const check = await checkRestored(
    connection,
    { publicKeyFor: (keyId) => secrets.signingPublicKey(keyId), signer: secrets.signing },
    { file, sha256: report.sha256, feedNextId: report.feedNextId },
    context.now?.() ?? new Date(),
    context.migrationsFolder,
  );
  out(
    check.schema.ok
      ? `Schema matches this build (${check.schema.state.applied} migrations).`
      : `This build cannot serve the restored schema (${check.schema.code}): ${check.schema.message}`,
  );
  out(check.audit.line);
  out(
    check.recorded
      ? 'Recorded in the server audit chain as database.restored.'
      : 'Not recorded in the server audit chain: run restore with the build that will serve this database.',
  );
  return { exitCode: check.schema.ok && check.audit.ok ? 0 : 1, report, check };
}

/**
 * `retention`: applies the retention rule to the central copies now and prints what it did (counts and ids: the ids
 * are pseudonymous and are also in the server audit chain). Instances run it at start and daily; this is for a
 * restored database before traffic returns, or to check the rule after a change.
 */
export async function runRetention(context: OpsContext): Promise<CentralRetentionRun> {
  const database = await open(context.config, 'verify');
  try {
    const run = await runCentralRetention(database.db, secretsOf(context).signing, context.now?.() ?? new Date());
    if (!run.ran) {
      context.out('Another instance is applying the retention rule right now: nothing done.');
      return run;
    }
    context.out(`Retention rule: ${run.checked} applicant(s) with central personal data looked at.`);
    context.out(`  erased: ${run.erased.length}${run.erased.length > 0 ? ` (${run.erased.join(', ')})` : ''}`);
    for (const because of ['legal-hold', 'open-case', 'term-unknown'] as const) {
      const kept = run.kept.filter((k) => k.because === because);
      context.out(`  kept past the term, ${because}: ${kept.length}`);
    }
    return run;
  } finally {
    await database.close();
  }
}

const EXPORT_USAGE = 'usage: npm run server -- export-training --out <file.csv> [--performance-months 1…60 (12)]';

/**
 * `export-training --out <file.csv>`: the training set of matured loans of consenting applicants (server/retraining/
 * export.ts), written once (an existing file is never overwritten) and readable by its owner only; the server audit
 * records the counts and the file's SHA-256, never a row.
 */
export async function runExportTraining(context: OpsContext, args: string[]): Promise<TrainingExport> {
  const { values } = parsed(
    () => parseArgs({ args, options: { out: { type: 'string' }, 'performance-months': { type: 'string' } } }),
    EXPORT_USAGE,
  );
  const months = z.coerce
    .number()
    .int()
    .min(1)
    .max(60)
    .safeParse(values['performance-months'] ?? '12');
  if (values.out === undefined || values.out === '' || !months.success) {
    throw new OpsError('OPS_USAGE', EXPORT_USAGE);
  }
  const file = resolve(values.out);
  const secrets = secretsOf(context);
  const database = await open(context.config, 'verify');
  try {
    const spec = NEXIS_FEATURE_SPEC;
    const result = await exportTrainingSet(database.db, secrets, {
      spec,
      performanceMonths: months.data,
      now: context.now?.() ?? new Date(),
    });
    try {
      writeFileSync(file, result.csv, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      throw new OpsError(
        'OPS_USAGE',
        `Cannot write ${file} (${error instanceof Error && 'code' in error ? String(error.code) : 'error'}): give a new file.`,
      );
    }
    const now = context.now?.() ?? new Date();
    // The file exists only with its audit entry: an append that fails takes the file away again.
    await database.db
      .transaction((tx) =>
        appendServerAudit(
          tx,
          secrets.signing,
          {
            actor: 'bootstrap',
            action: 'training.exported',
            payload: {
              spec: `${spec.id}@${spec.version}`,
              performanceMonths: months.data,
              rows: result.rows,
              bad: result.bad,
              notMatured: result.notMatured,
              ...result.excluded,
              sha256: result.sha256,
            },
          },
          now,
        ),
      )
      .catch((error: unknown) => {
        rmSync(file, { force: true });
        throw error;
      });
    context.out(`Training set: ${file} (${result.rows} rows, ${result.bad} bad; sha256 ${result.sha256}).`);
    context.out(`  columns: ${spec.features.map((f) => f.key).join(', ')}, ${spec.label.column}`);
    context.out(
      `  left out: ${result.excluded.noCentralSyncConsent} without central-sync consent, ${result.excluded.noBehaviouralRecord} without a readable behavioural record, ${result.excluded.otherSpecification} on another specification, ${result.excluded.invalidValues} with invalid values; ${result.notMatured} loans not matured yet.`,
    );
    context.out(
      `  next: npm run train -- --data ${file} --spec nexis --out <dir> --champion <dir> --champion-pub <pem>`,
    );
    return result;
  } finally {
    await database.close();
  }
}
