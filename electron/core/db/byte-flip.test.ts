/**
 * Byte-flip sweep (issue 13): a flipped byte anywhere in a used page of the encrypted file is reported as a typed
 * DB_CORRUPT (DB_KEY_INVALID for page 1, which holds the salt the key is checked with), never read as data. The bench
 * (bench/tamper.bench.ts) sweeps many more offsets with other seeds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlipFixture, flipAndCheck, runFlipSweep, type FlipFixture } from '../testing/byte-flip';
import { makeTempDir } from '../testing/temp-workstation';
import { rmSync } from 'node:fs';

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
