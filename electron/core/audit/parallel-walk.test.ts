/**
 * The parallel walk must give exactly the sequential walk's verdict (same first bad sequence, same reason) for any
 * tampering, with the chain cut into many short ranges so that seams fall everywhere; and the workers' copy of the
 * chain hash must give the same digest as audit-chain's for any stored values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash, hash } from 'node:crypto';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { chainHash } from '../../../audit-chain';
import { openDatabase } from '../db/open';
import { makeTempDir } from '../testing/temp-workstation';
import { applyTampering, createAuditFixture, tamperingArbitrary, type AuditFixture } from '../testing/tamper';
import { verifyAuditChain } from './verify';
import { WORKER_CHAIN_HASH_SOURCE } from './parallel-walk';

type WorkerChainHash = (
  prevHashHex: string,
  seq: number,
  ts: string,
  actor: string,
  action: string,
  subject: string | null,
  payload: string,
) => string;

const workerChainHash = (
  runInThisContext(`(function (createHash, hash) { ${WORKER_CHAIN_HASH_SOURCE}; return chainHash; })`) as (
    c: typeof createHash,
    h: typeof hash,
  ) => WorkerChainHash
)(createHash, hash);

let fixture: AuditFixture;
beforeAll(() => {
  fixture = createAuditFixture(613, 50);
  fixture.sqlite.pragma('wal_checkpoint(TRUNCATE)');
});
afterAll(() => {
  fixture.temp.cleanup();
});

const DROP_TRIGGERS =
  'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; ' +
  'DROP TRIGGER audit_checkpoints_no_update; DROP TRIGGER audit_checkpoints_no_delete;';

describe('parallel chain walk', () => {
  it("computes the workers' chain hash exactly as audit-chain does, for any stored values", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{64}$/), fc.string({ minLength: 64, maxLength: 64 }), fc.string()),
        fc.integer(),
        fc.string({ unit: 'binary' }),
        fc.string({ unit: 'binary' }),
        fc.string(),
        fc.option(fc.string({ unit: 'binary' })),
        fc.string({ unit: 'grapheme', maxLength: 20_000 }),
        (prevHash, seq, ts, actor, action, subject, payload) => {
          expect(workerChainHash(prevHash, seq, ts, actor, action, subject, payload)).toBe(
            chainHash(prevHash, { seq, ts, actor, action, subject, payload }),
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('gives the sequential verdict for an untouched log, at any range size', async () => {
    const { file, key } = { file: fixture.temp.ws.databaseFile, key: fixture.temp.key };
    const sequential = await verifyAuditChain(fixture.sqlite, fixture.device);
    expect(sequential).toMatchObject({ ok: true, headSeq: 613 });
    for (const rangeEntries of [1, 50, 97, 613, 5_000]) {
      const parallel = await verifyAuditChain(
        fixture.sqlite,
        fixture.device,
        { file, key },
        {
          parallelFrom: 0,
          rangeEntries,
        },
      );
      expect(parallel).toEqual(sequential);
    }
  });

  it('reports every random tampering exactly as the sequential walk does', async () => {
    const dir = makeTempDir('nexis-parallel-');
    const { file, key } = { file: fixture.temp.ws.databaseFile, key: fixture.temp.key };
    let failures = 0;
    await fc.assert(
      fc.asyncProperty(
        tamperingArbitrary(fixture),
        fc.integer({ min: 1, max: 120 }),
        fc.nat(),
        async (tampering, rangeEntries, run) => {
          const copy = join(dir, `copy-${run}-${Math.random().toString(36).slice(2)}.db`);
          copyFileSync(file, copy);
          const writer = openDatabase({ file: copy, key, create: false });
          writer.sqlite.exec(DROP_TRIGGERS);
          writer.sqlite.transaction(() => applyTampering({ ...fixture, sqlite: writer.sqlite }, tampering))();
          writer.sqlite.close();
          const reader = openDatabase({ file: copy, key, create: false, readonly: true });
          try {
            const sequential = await verifyAuditChain(reader.sqlite, fixture.device);
            const parallel = await verifyAuditChain(
              reader.sqlite,
              fixture.device,
              { file: copy, key },
              {
                parallelFrom: 0,
                rangeEntries,
              },
            );
            expect(parallel).toEqual(sequential);
            failures += sequential.ok ? 0 : 1;
          } finally {
            reader.sqlite.close();
          }
        },
      ),
      { numRuns: 150 },
    );
    // The comparison is only worth something if most tamperings were found.
    expect(failures).toBeGreaterThan(100);
  });
});

describe('parallel chain walk over a damaged file', () => {
  it('gives the verdict of the sequential path (page check first) for a flipped byte anywhere', async () => {
    const dir = makeTempDir('nexis-parallel-flip-');
    const { file, key } = { file: fixture.temp.ws.databaseFile, key: fixture.temp.key };
    const size = statSync(file).size;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 4096, max: size - 1 }), fc.nat(), async (offset, run) => {
        const copy = join(dir, `flip-${run}-${Math.random().toString(36).slice(2)}.db`);
        copyFileSync(file, copy);
        const bytes = readFileSync(copy);
        bytes[offset] = (bytes[offset] ?? 0) ^ 0x5a;
        writeFileSync(copy, bytes);
        const outcome = async (parallel: boolean): Promise<unknown> => {
          let reader;
          try {
            reader = openDatabase({ file: copy, key, create: false, readonly: true });
            return parallel
              ? await verifyAuditChain(
                  reader.sqlite,
                  fixture.device,
                  { file: copy, key },
                  { parallelFrom: 0, rangeEntries: 40 },
                )
              : await verifyAuditChain(reader.sqlite, fixture.device);
          } catch (error) {
            return { threw: error instanceof Error ? error.message : String(error) };
          } finally {
            reader?.sqlite.close();
          }
        };
        const sequential = await outcome(false);
        expect(sequential).not.toMatchObject({ ok: true });
        expect(await outcome(true)).toEqual(sequential);
      }),
      { numRuns: 40 },
    );
  });

  // A worker that fails (a damaged page) used to have the others terminated in the middle of a SQLite call, which
  // aborts the whole process now and then (better-sqlite3#1507; it crashed a CI run). Now the others stop between rows
  // and close their connections, and the walk answers only once every thread has ended: the process's thread count
  // (Linux /proc) is back where it was each time.
  it.runIf(process.platform === 'linux')(
    'answers only once every worker has closed its connection and ended, even when one fails mid-walk',
    async () => {
      const dir = makeTempDir('nexis-parallel-exit-');
      const { file, key } = { file: fixture.temp.ws.databaseFile, key: fixture.temp.key };
      const copy = join(dir, 'damaged.db');
      copyFileSync(file, copy);
      const bytes = readFileSync(copy);
      // One byte in every fifth page of the log's table: the walkers meet damage at different points.
      const pages = fixture.sqlite
        .prepare("SELECT pageno FROM dbstat WHERE name = 'audit_log' AND pagetype = 'leaf' ORDER BY pageno")
        .pluck()
        .all() as number[];
      expect(pages.length).toBeGreaterThan(20);
      for (const page of pages.filter((_, i) => i % 5 === 4)) {
        const at = (page - 1) * 4096 + 100;
        bytes[at] = (bytes[at] ?? 0) ^ 0x5a;
      }
      writeFileSync(copy, bytes);
      const threads = (): number => readdirSync('/proc/self/task').length;
      const verify = async (): Promise<unknown> => {
        const reader = openDatabase({ file: copy, key, create: false, readonly: true });
        try {
          return await verifyAuditChain(
            reader.sqlite,
            fixture.device,
            { file: copy, key },
            { parallelFrom: 0, rangeEntries: 20, workers: 4 },
          );
        } catch (error) {
          return { threw: error instanceof Error ? error.message : String(error) };
        } finally {
          reader.sqlite.close();
        }
      };
      const first = await verify();
      expect(first).not.toMatchObject({ ok: true });
      const baseline = threads();
      for (let run = 0; run < 25; run += 1) {
        expect(await verify()).toEqual(first);
        expect(threads()).toBeLessThanOrEqual(baseline);
      }
    },
  );
});
