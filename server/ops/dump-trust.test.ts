/**
 * What a restore trusts, on a real PostgreSQL: only a dump signed by the server's keyring, byte for byte as signed,
 * and holding nothing the shipped migrations do not create. The crafted dumps here are real pg_dump archives of a
 * scratch database that was given a SECURITY DEFINER function with a trigger on `devices` (the privilege escalation a
 * restore must not install) or an extra table, then signed with the real keyring: only the allow-list can stop them.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../electron/core/testing/temp-workstation';
import { runBackup, runMigrate, runRestore, type OpsContext } from '../cli/ops-commands';
import { readConfig } from '../config';
import { generateKeyring, type Keyring } from '../security/keyring';
import { secretsFromKeyring } from '../security/secrets';
import { sha256File } from './backup';
import { parseDumpList, SHIPPED_DUMP_ENTRIES } from './dump-contents';
import { writeDumpSignature } from './dump-signature';
import { connectionFromUrl, OpsError, runPgTool, urlForDatabase } from './pg-tools';

const url = process.env.DATABASE_URL;
const SKIP = url === undefined || url === '';

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
  `what a restore trusts, on PostgreSQL${SKIP ? ' — skipped: DATABASE_URL is not set (server/scripts/ci-postgres.sh)' : ''}`,
  () => {
    const scratch: string[] = [];
    let dir: string;
    let keyring: Keyring;

    const sql = async (dbUrl: string, text: string): Promise<pg.QueryResult> => {
      const client = new pg.Client({ connectionString: dbUrl });
      await client.connect();
      try {
        return await client.query(text);
      } finally {
        await client.end();
      }
    };
    const createScratch = async (): Promise<string> => {
      const name = `nexis_trust_${randomBytes(5).toString('hex')}`;
      await sql(url ?? '', `CREATE DATABASE ${name}`);
      scratch.push(name);
      return urlForDatabase(url ?? '', name);
    };
    const context = (dbUrl: string, extra: Partial<OpsContext> = {}): OpsContext => ({
      config: readConfig({ DATABASE_URL: dbUrl, NODE_ENV: 'development', NEXIS_METRICS_PORT: 'off' }),
      out: () => undefined,
      keyring,
      ...extra,
    });
    const migrated = async (): Promise<string> => {
      const dbUrl = await createScratch();
      expect((await runMigrate(context(dbUrl), [])).state.pending).toBe(0);
      return dbUrl;
    };
    /** What the target holds outside PostgreSQL's own schemas: relations, functions and triggers. */
    const footprint = async (dbUrl: string): Promise<number> => {
      const result = await sql(
        dbUrl,
        `SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%')
              + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))
              + (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal) AS n`,
      );
      return Number((result.rows[0] as { n: string }).n);
    };
    /** A pg_dump of the database with a `.sha256` and a signature by `signer`: all an attacker with the keyring makes. */
    const signedDump = async (dbUrl: string, name: string, signer = secretsFromKeyring(keyring).signing) => {
      const file = join(dir, name);
      const connection = connectionFromUrl(dbUrl);
      await runPgTool('pg_dump', ['--format=custom', '--no-password', `--file=${file}`], connection);
      const sha256 = await sha256File(file);
      writeFileSync(`${file}.sha256`, `${sha256}  ${name}\n`);
      writeDumpSignature(file, signer, {
        sha256,
        size: statSync(file).size,
        database: connection.database,
        createdAt: new Date().toISOString(),
      });
      return file;
    };

    beforeAll(() => {
      dir = makeTempDir('nexis-trust-');
      keyring = generateKeyring();
    });
    afterAll(async () => {
      for (const name of scratch) {
        await sql(url ?? '', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
      rmSync(dir, { recursive: true, force: true });
    });

    it('allows exactly what a dump of a freshly migrated database holds', { timeout: 60_000 }, async () => {
      const dbUrl = await migrated();
      const { stdout } = await runPgTool('pg_restore', ['--list', await signedDump(dbUrl, 'fresh.dump')], undefined);
      // A new migration that creates something fails here until SHIPPED_DUMP_ENTRIES lists it.
      expect(
        parseDumpList(stdout)
          .map((e) => e.key)
          .sort(),
      ).toEqual([...SHIPPED_DUMP_ENTRIES].sort());
    });

    it(
      'refuses a dump that is unsigned, signed by another keyring, or altered and re-checksummed',
      { timeout: 90_000 },
      async () => {
        const source = await migrated();
        const dump = join(dir, 'genuine.dump');
        await runBackup(context(source), ['--out', dump]);
        const target = await createScratch();
        const before = await footprint(target);

        const unsigned = join(dir, 'unsigned.dump');
        copyFileSync(dump, unsigned);
        copyFileSync(`${dump}.sha256`, `${unsigned}.sha256`);
        expect(await refusal(runRestore(context(target), ['--from', unsigned]))).toMatchObject({
          code: 'OPS_DUMP_UNSIGNED',
        });

        // A dump of this very database, signed by a keyring that is not the server's.
        const foreign = await signedDump(source, 'foreign.dump', secretsFromKeyring(generateKeyring()).signing);
        expect(await refusal(runRestore(context(target), ['--from', foreign]))).toMatchObject({
          code: 'OPS_DUMP_SIGNATURE_INVALID',
          message: expect.stringContaining('does not hold') as string,
        });

        // The signature's own fields edited (a bigger size to match an appended payload): the signature fails.
        const edited = join(dir, 'edited.dump');
        copyFileSync(dump, edited);
        copyFileSync(`${dump}.sha256`, `${edited}.sha256`);
        const sig = JSON.parse(readFileSync(`${dump}.sig`, 'utf8')) as Record<string, unknown>;
        writeFileSync(`${edited}.sig`, JSON.stringify({ ...sig, size: Number(sig.size) + 1 }));
        expect(await refusal(runRestore(context(target), ['--from', edited]))).toMatchObject({
          code: 'OPS_DUMP_SIGNATURE_INVALID',
          message: expect.stringContaining('does not verify') as string,
        });

        // Tampered, and its .sha256 rewritten to match: the checksum passes, the signed SHA-256 does not.
        const tampered = join(dir, 'tampered.dump');
        const bytes = readFileSync(dump);
        const at = Math.floor(bytes.length / 2);
        bytes[at] = (bytes[at] ?? 0) ^ 0x01;
        writeFileSync(tampered, bytes);
        writeFileSync(`${tampered}.sha256`, `${await sha256File(tampered)}  tampered.dump\n`);
        copyFileSync(`${dump}.sig`, `${tampered}.sig`);
        expect(await refusal(runRestore(context(target), ['--from', tampered]))).toMatchObject({
          code: 'OPS_DUMP_SIGNATURE_INVALID',
          message: expect.stringContaining('not the dump its signature covers') as string,
        });
        expect(await footprint(target)).toBe(before);

        // The genuine one restores.
        expect((await runRestore(context(target), ['--from', dump])).exitCode).toBe(0);
      },
    );

    it(
      'refuses a signed dump holding a SECURITY DEFINER trigger function or an extra table, target unchanged',
      { timeout: 90_000 },
      async () => {
        const escalating = await migrated();
        await sql(
          escalating,
          `CREATE FUNCTION public.nexis_escalate() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
           BEGIN EXECUTE 'ALTER ROLE nobody_in_particular SUPERUSER'; RETURN NEW; END $$;
           CREATE TRIGGER devices_escalate BEFORE INSERT ON public.devices
             FOR EACH ROW EXECUTE FUNCTION public.nexis_escalate();`,
        );
        const withTable = await migrated();
        await sql(withTable, 'CREATE TABLE public.drop_box (payload text)');

        const target = await createScratch();
        const before = await footprint(target);
        const trap = await signedDump(escalating, 'escalating.dump');
        const trapRefusal = await refusal(runRestore(context(target), ['--from', trap]));
        expect(trapRefusal).toMatchObject({ code: 'OPS_DUMP_UNEXPECTED' });
        expect(trapRefusal.message).toContain('FUNCTION public nexis_escalate()');
        expect(trapRefusal.message).toContain('TRIGGER public devices devices_escalate');
        expect(await footprint(target)).toBe(before);

        const extra = await signedDump(withTable, 'extra-table.dump');
        const extraRefusal = await refusal(runRestore(context(target), ['--from', extra]));
        expect(extraRefusal).toMatchObject({ code: 'OPS_DUMP_UNEXPECTED' });
        expect(extraRefusal.message).toContain('TABLE public drop_box');
        expect(await footprint(target)).toBe(before);

        // `backup` of such a database refuses too: it would write a backup that no restore accepts.
        expect(await refusal(runBackup(context(withTable), ['--out', join(dir, 'never.dump')]))).toMatchObject({
          code: 'OPS_DUMP_UNEXPECTED',
        });
      },
    );
  },
);
