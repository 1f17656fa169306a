/**
 * Byte-flip sweep (issue 13): a flipped byte anywhere in a used page of the encrypted file is reported as a typed
 * DB_CORRUPT (DB_KEY_INVALID for page 1, which holds the salt the key is checked with), never read as data. The bench
 * (bench/tamper.bench.ts) sweeps many more offsets with other seeds. A write-ahead log left by a crash is swept too:
 * SQLite itself would drop every frame after a damaged one without an error (integrity.ts, checkWriteAheadLog).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlipFixture, flipAndCheck, runFlipSweep, type FlipFixture } from '../testing/byte-flip';
import { createTempWorkstation, makeTempDir } from '../testing/temp-workstation';
import { intakeReady } from '../testing/intake-fixtures';
import { NexisError } from '../errors';
import { openDatabase } from './open';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

let fixture: FlipFixture;
beforeAll(async () => {
  fixture = await createFlipFixture();
}, 60_000);
afterAll(() => {
  fixture.cleanup();
});

describe('byte-flip sweep over a real database file', () => {
  it('reports every flip in a used page, and reads nothing changed anywhere', async () => {
    const report = await runFlipSweep(fixture, 1_200, 0x5eed);
    expect(report.failures).toEqual([]);
    const used = report.byPage.header.flips + report.byPage.btree.flips + report.byPage.overflow.flips;
    expect(used).toBeGreaterThan(1_000);
    expect(report.byPage.header.reported).toBe(report.byPage.header.flips);
    expect(report.byPage.btree.reported).toBe(report.byPage.btree.flips);
    expect(report.byPage.overflow.flips).toBeGreaterThan(0);
    expect(report.byPage.overflow.reported).toBe(report.byPage.overflow.flips);
  }, 60_000);

  it('is a sweep that can fail: the undamaged file, and a flip in a page nothing reads, read as they were', async () => {
    const workDir = makeTempDir('nexis-flip-');
    try {
      expect(await flipAndCheck(fixture, workDir, 0, 0)).toEqual({ kind: 'unchanged' });
      // The last free page is a leaf of the freelist: no query and no check reads it.
      const free = fixture.pages.lastIndexOf('free');
      expect(free, 'the fixture leaves free pages').toBeGreaterThan(0);
      expect(await flipAndCheck(fixture, workDir, free * fixture.pageSize + 200, 0x40)).toEqual({ kind: 'unchanged' });
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
});

describe('byte-flip sweep over a write-ahead log left by a crash', () => {
  it('refuses a log whose damage would drop committed transactions, and reads a sound one whole', async () => {
    const t = createTempWorkstation();
    try {
      await intakeReady(t);
      const { sqlite } = t.ws.store;
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      const insert = sqlite.prepare("INSERT INTO meta (key, value) VALUES (?, 'x')");
      for (let i = 0; i < 6; i += 1) {
        insert.run(`sweep.${i}`);
      }
      const expected = sqlite.prepare('SELECT key FROM meta ORDER BY key').all();
      // As a crash leaves it: the main file and its log, copied while the connection is open.
      const crashed = makeTempDir('nexis-wal-');
      const file = join(crashed, 'nexis.db');
      const wal = readFileSync(`${t.ws.databaseFile}-wal`);
      const main = readFileSync(t.ws.databaseFile);
      const frameBytes = 24 + 4096;
      const frames = (wal.length - 32) / frameBytes;
      const commits = Array.from({ length: frames }, (_, f) => f).filter(
        (f) => wal.readUInt32BE(32 + f * frameBytes + 4) !== 0,
      );
      expect(commits.length).toBeGreaterThanOrEqual(6);
      // Frames of the last transaction may be a torn write of a commit that was never acknowledged.
      const lastTransactionStart = (commits.at(-2) ?? 0) + 1;
      const readKeys = (): unknown[] => {
        const opened = openDatabase({ file, key: t.key, create: false });
        try {
          return opened.sqlite.prepare('SELECT key FROM meta ORDER BY key').all();
        } finally {
          opened.sqlite.close();
        }
      };
      const write = (bytes: Buffer) => {
        rmSync(`${file}-shm`, { force: true });
        writeFileSync(file, main);
        writeFileSync(`${file}-wal`, bytes);
      };
      write(wal);
      expect(readKeys()).toEqual(expected);
      let refused = 0;
      for (let frame = 0; frame < frames; frame += 1) {
        for (const within of [10, 20, 24 + 7, 24 + 2048, frameBytes - 1]) {
          const damaged = Buffer.from(wal);
          const offset = 32 + frame * frameBytes + within;
          damaged[offset] = (damaged[offset] ?? 0) ^ 0x10;
          write(damaged);
          try {
            const keys = readKeys();
            expect(frame, `a flip at ${offset} (frame ${frame + 1}) read without complaint`).toBeGreaterThanOrEqual(
              lastTransactionStart,
            );
            expect(keys.length).toBeGreaterThanOrEqual(expected.length - 1);
          } catch (error) {
            if (!(error instanceof NexisError) || error.code !== 'DB_CORRUPT') {
              throw error;
            }
            refused += 1;
          }
        }
      }
      expect(refused).toBeGreaterThanOrEqual(lastTransactionStart * 5);
      rmSync(crashed, { recursive: true, force: true });
    } finally {
      t.cleanup();
    }
  }, 60_000);
});
