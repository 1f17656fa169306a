/**
 * Backup, restore and rollback drills on a real PostgreSQL, through the operator's commands (server/cli/ops-commands):
 * a database lost after its backup comes back and the devices carry on from their own chains; a damaged dump and an
 * occupied target are refused with the target unchanged; a release's migration is rolled back by restoring the
 * backup `migrate` took, after which the older build starts again. Every drill uses scratch databases of its own.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicKeyFromBase64, walkChain } from '../../audit-chain';
import { createHttpTransport } from '../../electron/core/sync/transport';
import { makeTempDir } from '../../electron/core/testing/temp-workstation';
import { runBackup, runMigrate, runRestore, type OpsContext } from '../cli/ops-commands';
import { runVerifyAudit } from '../cli/verify-audit';
import { readConfig } from '../config';
import { MIGRATIONS_DIR, openDatabase, SchemaVersionError, type Database } from '../db/database';
import { auditEntries, chainIssues, countersignedCheckpoints, devices, feedItems, serverAudit } from '../db/schema';
import { generateKeyring, type Keyring } from '../security/keyring';
import { secretsFromKeyring } from '../security/secrets';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';
import { OpsError, urlForDatabase } from './pg-tools';
import { FEED_RESTORE_GAP } from './restore';

const url = process.env.DATABASE_URL;
const SKIP = url === undefined || url === '';

/** The refusal an ops command raised, as code and message, for `expect`. */
async function refusal(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await work;
  } catch (error) {
    if (error instanceof OpsError) {
      return { code: error.code, message: error.message };
    }
    throw error;
  }
  throw new Error('the command was not refused');
}

describe.skipIf(SKIP)(
  `backup, restore and rollback drills on PostgreSQL${SKIP ? ' — skipped: DATABASE_URL is not set (server/scripts/ci-postgres.sh prints a superuser URL)' : ''}`,
  () => {
    const scratch: string[] = [];
    let dir: string;
    let keyring: Keyring;

    const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end();
      }
    };
    /** A new, empty database on the CI server (DATABASE_URL is a superuser's), dropped after the suite. */
    const createScratch = async (): Promise<string> => {
      const name = `nexis_drill_${randomBytes(5).toString('hex')}`;
      await admin((client) => client.query(`CREATE DATABASE ${name}`));
      scratch.push(name);
      return urlForDatabase(url ?? '', name);
    };
    const dropScratch = (dbUrl: string): Promise<unknown> =>
      admin((client) => client.query(`DROP DATABASE IF EXISTS ${new URL(dbUrl).pathname.slice(1)} WITH (FORCE)`));
    const relationCount = (dbUrl: string): Promise<number> =>
      admin(async () => {
        const client = new pg.Client({ connectionString: dbUrl });
        await client.connect();
        try {
          const result = await client.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind IN ('r', 'S') AND n.nspname IN ('public', 'drizzle')`,
          );
          return Number(result.rows[0]?.n ?? -1);
        } finally {
          await client.end();
        }
      });
    const context = (dbUrl: string, lines: string[] = [], extra: Partial<OpsContext> = {}): OpsContext => ({
      config: readConfig({ DATABASE_URL: dbUrl, NODE_ENV: 'development', NEXIS_METRICS_PORT: 'off' }),
      out: (line) => lines.push(line),
      keyring,
      ...extra,
    });
    const openPg = (dbUrl: string, migrationsFolder?: string): Promise<Database> =>
      openDatabase(
        { kind: 'postgres', url: dbUrl, poolSize: 4 },
        { migrations: 'verify', ...(migrationsFolder === undefined ? {} : { migrationsFolder }) },
      );
    /**
     * A fresh database at the current schema with a server on it and one enrolled device. The device reaches the
     * server through `central.url`, which a drill repoints at the server started on the restored database (as the
     * bank moves a DNS name), rather than reusing a port another suite may have taken meanwhile.
     */
    const populated = async (): Promise<{
      dbUrl: string;
      database: Database;
      server: TestServer;
      device: SimDevice;
      central: { url: string };
    }> => {
      const dbUrl = await createScratch();
      const migrated = await runMigrate(context(dbUrl), []);
      expect(migrated.state.pending).toBe(0);
      const database = await openPg(dbUrl);
      const server = await startTestServer(database, { keyring });
      const central = { url: server.url };
      const device = new SimDevice({
        checkpointEvery: 10,
        batchSize: 7,
        transport: () => ({
          request: (method, path, options) => createHttpTransport(central.url).request(method, path, options),
        }),
      });
      await device.client(central.url).enrol(central.url, await enrolmentCode(server, 'NBO-01'));
      return { dbUrl, database, server, device, central };
    };

    beforeAll(() => {
      dir = makeTempDir('nexis-drill-');
      keyring = generateKeyring();
    });
    afterAll(async () => {
      for (const name of scratch) {
        await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      }
      rmSync(dir, { recursive: true, force: true });
    });

    it(
      'restores a lost database from its backup; the device re-pushes what was lost and new feed items reach it',
      {
        timeout: 120_000,
      },
      async () => {
        const { dbUrl, database, server, device, central } = await populated();
        device.append(25);
        expect((await device.client(server.url).syncOnce()).push.ackedSeq).toBe(25);
        expect(
          (await server.publish('POST', '/v1/admin/erasure-requests', { applicantId: 'APP-B0000001' })).status,
        ).toBe(201);
        await device.client(server.url).syncOnce();
        const dump = join(dir, 'live.dump');
        // Taken while the server runs, as the nightly job does: pg_dump reads one consistent snapshot.
        const backup = await runBackup(context(dbUrl), ['--out', dump]);
        expect(readFileSync(`${dump}.sha256`, 'utf8')).toBe(`${backup.sha256}  live.dump\n`);
        expect(statSync(dump).mode & 0o777).toBe(0o600);
        expect(statSync(`${dump}.sig`).mode & 0o777).toBe(0o600);
        expect(JSON.parse(readFileSync(`${dump}.sig`, 'utf8'))).toMatchObject({
          keyId: secretsFromKeyring(keyring).signing.keyId,
          sha256: backup.sha256,
          size: backup.bytes,
          database: new URL(dbUrl).pathname.slice(1),
        });

        device.append(17);
        expect((await device.client(server.url).syncOnce()).push.ackedSeq).toBe(42);
        await server.publish('POST', '/v1/admin/erasure-requests', { applicantId: 'APP-B0000002' });
        await device.client(server.url).syncOnce();
        expect(device.pulled.map((item) => item.id)).toHaveLength(2);
        expect(device.state.countersigned?.seq).toBe(40);

        // The database is lost.
        await server.close();
        await database.close();
        await dropScratch(dbUrl);

        const target = await createScratch();
        const lines: string[] = [];
        const restored = await runRestore(context(target, lines), ['--from', dump]);
        expect(restored.exitCode).toBe(0);
        expect(restored.report.rows['public.audit_entries']).toBe(25);
        expect(restored.report.rows['public.devices']).toBe(1);
        expect(restored.check).toMatchObject({ schema: { ok: true }, audit: { ok: true }, recorded: true });
        expect(lines).toContain('  public.audit_entries: 25');

        // The server comes back at its address, on the restored database, in production's verify mode.
        const back = await openPg(target);
        const again = await startTestServer(back, { keyring });
        central.url = again.url;
        try {
          device.append(3);
          const report = await device.client(again.url).syncOnce();
          expect(report.push.ackedSeq).toBe(45);
          const stored = await back.db
            .select()
            .from(auditEntries)
            .where(eq(auditEntries.deviceId, device.deviceId))
            .orderBy(asc(auditEntries.seq));
          expect(stored.map((e) => ({ seq: e.seq, hash: e.hash }))).toEqual(
            device.entries.map((e) => ({ seq: e.seq, hash: e.hash })),
          );
          // The server's own verification of the device chain it now holds: hashes, links and the device's signatures.
          const [row] = await back.db.select().from(devices).where(eq(devices.deviceId, device.deviceId));
          const checkpoints = await back.db
            .select()
            .from(countersignedCheckpoints)
            .where(eq(countersignedCheckpoints.deviceId, device.deviceId))
            .orderBy(asc(countersignedCheckpoints.seq));
          expect(checkpoints.map((c) => c.seq)).toEqual([10, 20, 30, 40]);
          const publicKey = publicKeyFromBase64(row?.publicKey ?? '');
          const verdict = walkChain(
            stored,
            checkpoints.map((c) => ({ ...c, signature: c.deviceSignature })),
            () => ({ ok: true, signerId: device.deviceId, publicKey }),
          );
          expect(verdict).toMatchObject({ ok: true, entries: 45, headSeq: 45, checkpoints: 4 });
          expect(row).toMatchObject({ ackedSeq: 45, chainStatus: 'ok' });
          expect(await back.db.select().from(chainIssues)).toEqual([]);

          // A feed item published after the restore is numbered past the gap and reaches the device.
          await again.publish('POST', '/v1/admin/erasure-requests', { applicantId: 'APP-B0000003' });
          await device.client(again.url).syncOnce();
          const pulled = device.pulled.map((item) => item.id);
          expect(pulled).toHaveLength(3);
          expect(pulled[2]).toBeGreaterThan(FEED_RESTORE_GAP);
          const [first] = await back.db.select({ id: feedItems.id }).from(feedItems).orderBy(asc(feedItems.id));
          expect(first?.id).toBeLessThan(FEED_RESTORE_GAP);

          // The restore is on record, and the server's chain verifies with it.
          const restoredEntries = await back.db
            .select()
            .from(serverAudit)
            .where(eq(serverAudit.action, 'database.restored'));
          expect(restoredEntries).toHaveLength(1);
          const secrets = secretsFromKeyring(keyring);
          const audit: string[] = [];
          expect(
            await runVerifyAudit(
              back,
              (keyId) => secrets.signingPublicKey(keyId),
              (l) => audit.push(l),
            ),
          ).toBe(0);
        } finally {
          await again.close();
          await back.close();
        }
      },
    );

    it(
      'refuses a damaged dump, a dump without its checksum and an occupied target, leaving the target unchanged',
      {
        timeout: 120_000,
      },
      async () => {
        const { dbUrl, database, server, device, central } = await populated();
        device.append(5);
        await device.client(server.url).syncOnce();
        const dump = join(dir, 'refusals.dump');
        await runBackup(context(dbUrl), ['--out', dump]);
        expect(await refusal(runBackup(context(dbUrl), ['--out', dump]))).toMatchObject({ code: 'OPS_FILE_EXISTS' });

        const damaged = join(dir, 'damaged.dump');
        copyFileSync(dump, damaged);
        copyFileSync(`${dump}.sha256`, `${damaged}.sha256`);
        copyFileSync(`${dump}.sig`, `${damaged}.sig`);
        const bytes = readFileSync(damaged);
        const at = Math.floor(bytes.length / 2);
        bytes[at] = (bytes[at] ?? 0) ^ 0x01;
        writeFileSync(damaged, bytes);
        const empty = await createScratch();
        expect(await refusal(runRestore(context(empty), ['--from', damaged]))).toMatchObject({
          code: 'OPS_CHECKSUM_MISMATCH',
        });
        expect(await relationCount(empty)).toBe(0);

        // The real CLI process refuses in one line (a known error, no stack), exit 2.
        const cli = spawnSync(
          process.execPath,
          ['--import', 'tsx', 'server/cli/main.ts', 'restore', '--from', damaged],
          {
            // Development keyring made beside NEXIS_SERVER_DATA: in the drill's folder, not the repository's.
            env: {
              ...process.env,
              DATABASE_URL: empty,
              NODE_ENV: 'development',
              NEXIS_METRICS_PORT: 'off',
              NEXIS_SERVER_DATA: join(dir, 'server'),
              NEXIS_SERVER_KEYS_FILE: '',
              NEXIS_SERVER_KEYS: '',
            },
            encoding: 'utf8',
            timeout: 60_000,
          },
        );
        // Its development keyring is not the one that signed the dump: refused before the dump is read.
        expect(cli.status).toBe(2);
        expect(cli.stderr).toContain("which this server's keyring does not hold");
        expect(cli.stderr).not.toMatch(/\n\s+at /);
        expect(await relationCount(empty)).toBe(0);

        // A database prepared with roles.sql before the restore holds an empty drizzle schema the dump would create.
        const prepared = await createScratch();
        await admin(async () => {
          const client = new pg.Client({ connectionString: prepared });
          await client.connect();
          await client.query('CREATE SCHEMA drizzle').finally(() => client.end());
        });
        expect(await refusal(runRestore(context(prepared), ['--from', dump]))).toMatchObject({
          code: 'OPS_TARGET_NOT_EMPTY',
          message: expect.stringContaining('DROP SCHEMA drizzle') as string,
        });

        const unsummed = join(dir, 'unsummed.dump');
        copyFileSync(dump, unsummed);
        copyFileSync(`${dump}.sig`, `${unsummed}.sig`);
        expect(await refusal(runRestore(context(empty), ['--from', unsummed]))).toMatchObject({
          code: 'OPS_CHECKSUM_MISSING',
        });

        // Not a NEXIS dump: a custom-format dump of an empty database.
        const foreign = await createScratch();
        const notOurs = join(dir, 'empty.dump');
        expect(await refusal(runBackup(context(foreign), ['--out', notOurs]))).toMatchObject({
          code: 'OPS_DUMP_INVALID',
        });
        expect(existsSync(notOurs)).toBe(false);

        // The source database is occupied: without --clean nothing happens; with --clean not while a server is on it.
        const before = await database.db.select().from(auditEntries);
        expect(await refusal(runRestore(context(dbUrl), ['--from', dump]))).toMatchObject({
          code: 'OPS_TARGET_NOT_EMPTY',
        });
        expect(await refusal(runRestore(context(dbUrl), ['--from', dump, '--clean']))).toMatchObject({
          code: 'OPS_TARGET_IN_USE',
        });
        device.append(4);
        await device.client(server.url).syncOnce();
        expect(await database.db.select().from(auditEntries)).toHaveLength(before.length + 4);
        await server.close();
        await database.close();

        // Stopped: --clean puts the database back to the backup, and the device pushes its four entries again.
        const cleaned = await runRestore(context(dbUrl), ['--from', dump, '--clean']);
        expect(cleaned.exitCode).toBe(0);
        expect(cleaned.report.rows['public.audit_entries']).toBe(5);
        const back = await openPg(dbUrl);
        const again = await startTestServer(back, { keyring });
        central.url = again.url;
        try {
          expect((await device.client(again.url).syncOnce()).push.ackedSeq).toBe(9);
          expect(await back.db.select().from(chainIssues)).toEqual([]);
        } finally {
          await again.close();
          await back.close();
        }
      },
    );

    it(
      'rolls a release back: migrate backs up, the older build refuses the newer schema, the backup restores it',
      {
        timeout: 120_000,
      },
      async () => {
        const { dbUrl, database, server, device, central } = await populated();
        device.append(12);
        await device.client(server.url).syncOnce();
        await server.close();
        await database.close();

        // The newer build: the shipped migrations plus one that adds a table and a column.
        const newer = join(dir, 'newer-migrations');
        cpSync(MIGRATIONS_DIR, newer, { recursive: true });
        const journalFile = join(newer, 'meta', '_journal.json');
        const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as {
          entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
        };
        const last = journal.entries.at(-1) ?? { idx: -1, when: 0 };
        journal.entries.push({
          idx: last.idx + 1,
          version: '7',
          when: last.when + 60_000,
          tag: '9999_drill-newer',
          breakpoints: true,
        });
        writeFileSync(journalFile, JSON.stringify(journal, null, 2));
        writeFileSync(
          join(newer, '9999_drill-newer.sql'),
          'CREATE TABLE "drill_newer_feature" ("id" bigserial PRIMARY KEY, "note" text);\n--> statement-breakpoint\n' +
            'ALTER TABLE "devices" ADD COLUMN "drill_note" text;\n',
        );

        // In production a PostgreSQL is not migrated without a backup.
        const production = readConfig({
          DATABASE_URL: dbUrl,
          NODE_ENV: 'production',
          NEXIS_METRICS_PORT: 'off',
        });
        expect(
          await refusal(runMigrate({ ...context(dbUrl), config: production, migrationsFolder: newer }, [])),
        ).toMatchObject({ code: 'OPS_BACKUP_REQUIRED' });

        const backups = join(dir, 'before-migrate');
        const lines: string[] = [];
        const migrated = await runMigrate(
          {
            ...context(dbUrl, lines),
            config: production,
            migrationsFolder: newer,
            now: () => new Date('2026-12-02T09:30:00Z'),
          },
          ['--backup-dir', backups],
        );
        expect(migrated.applied).toEqual(['9999_drill-newer']);
        const backupFile = migrated.backup?.file ?? '';
        expect(backupFile).toMatch(/nexis-nexis_drill_[0-9a-f]+-20261202T093000Z-before-migrate\.dump$/);
        expect(existsSync(`${backupFile}.sha256`)).toBe(true);
        expect(existsSync(`${backupFile}.sig`)).toBe(true);
        expect(lines.join('\n')).toContain(`restore --from ${backupFile}`);

        // The older build (the shipped migrations) refuses to start on it, whatever its migration mode.
        for (const mode of ['verify', 'apply'] as const) {
          const opened = openDatabase({ kind: 'postgres', url: dbUrl }, { migrations: mode });
          await expect(opened).rejects.toBeInstanceOf(SchemaVersionError);
          await expect(opened).rejects.toMatchObject({
            code: 'SCHEMA_NEWER',
            message: expect.stringContaining('restore the backup `migrate` took before that migration') as string,
          });
        }
        await expect(runMigrate(context(dbUrl), [])).rejects.toMatchObject({ code: 'SCHEMA_NEWER' });
        // An in-place --clean would leave the newer build's table behind: refused, pointing at a new database.
        expect(await refusal(runRestore(context(dbUrl), ['--from', backupFile, '--clean']))).toMatchObject({
          code: 'OPS_TARGET_NOT_EMPTY',
          message: expect.stringContaining('public.drill_newer_feature') as string,
        });

        // Rollback: the pre-migration backup into a new database, and the older build starts on it.
        const rolledBack = await createScratch();
        const restored = await runRestore(context(rolledBack), ['--from', backupFile]);
        expect(restored.exitCode).toBe(0);
        expect(restored.report.rows['public.audit_entries']).toBe(12);
        expect(restored.report.rows['public.drill_newer_feature']).toBeUndefined();
        const older = await openPg(rolledBack);
        const again = await startTestServer(older, { keyring });
        central.url = again.url;
        try {
          expect(await older.schemaState()).toMatchObject({ pending: 0, newer: 0 });
          const stored = await older.db
            .select({ seq: auditEntries.seq, hash: auditEntries.hash })
            .from(auditEntries)
            .orderBy(asc(auditEntries.seq));
          expect(stored).toEqual(device.entries.map((e) => ({ seq: e.seq, hash: e.hash })));
          device.append(3);
          expect((await device.client(again.url).syncOnce()).push.ackedSeq).toBe(15);
        } finally {
          await again.close();
          await older.close();
        }
      },
    );
  },
);

describe('ops commands on the embedded database', () => {
  it('refuse backup and restore with how to back up the folder instead', async () => {
    const dataDir = makeTempDir('nexis-drill-pglite-');
    try {
      const config = readConfig({
        DATABASE_URL: '',
        NEXIS_SERVER_DATA: join(dataDir, 'server'),
        NODE_ENV: 'development',
        NEXIS_METRICS_PORT: 'off',
      });
      const context: OpsContext = { config, out: () => undefined, keyring: generateKeyring() };
      for (const work of [
        () => runBackup(context, ['--out', join(dataDir, 'x.dump')]),
        () => runRestore(context, ['--from', join(dataDir, 'x.dump')]),
        () => runMigrate(context, ['--backup-dir', dataDir]),
      ]) {
        expect(await refusal(work())).toMatchObject({
          code: 'OPS_EMBEDDED_DATABASE',
          message: expect.stringContaining('stopping the server and copying that folder') as string,
        });
      }
      // Without a backup, migrate applies the shipped migrations to the folder.
      const migrated = await runMigrate(context, []);
      expect(migrated.state).toMatchObject({ pending: 0, newer: 0 });
      expect((await runMigrate(context, [])).applied).toEqual([]);
      expect(await refusal(runMigrate(context, ['--bogus']))).toMatchObject({ code: 'OPS_USAGE' });
      expect(await refusal(runMigrate(context, ['--backup-dir', dataDir, '--no-backup']))).toMatchObject({
        code: 'OPS_USAGE',
      });
      expect(await refusal(runBackup(context, []))).toMatchObject({ code: 'OPS_USAGE' });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
