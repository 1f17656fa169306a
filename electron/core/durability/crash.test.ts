import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../db/keys';
import { openDatabase } from '../db/open';
import { makeTempDir } from '../testing/temp-workstation';
import { checkDrillSite } from './crash-check';
import { openCrashDrill, type CrashDrill, type CrashRun } from './crash-drill';
import { runFirstStartDrill } from './crash-first-start';
import type { Ack } from './crash-protocol';

// A different stream of writes and kill points on every CI run; the seed is in every failure message so a failing
// drill can be replayed with NEXIS_CRASH_SEED.
const SEED = Number(process.env.NEXIS_CRASH_SEED ?? Date.now() % 2 ** 31);
const RUNS = 5;

let drill: CrashDrill;
beforeAll(async () => {
  drill = await openCrashDrill({ seed: SEED });
});
afterAll(() => drill.close());

/** What a run must show, in one object so a failure prints all of it. */
function verdict(run: CrashRun) {
  return {
    seed: SEED,
    run: run.run,
    failure: run.child.failure,
    signal: run.child.signal,
    missing: run.check.missing,
    torn: run.check.torn,
    chainOk: run.check.chain.ok,
    chainReason: run.check.chain.ok ? null : run.check.chain.reason,
    integrity: run.check.integrity,
    foreignKeys: run.check.foreignKeys,
    openError: run.check.openError,
  };
}

describe('crash durability (SIGKILL at random points)', () => {
  it('keeps every acknowledged write, no torn transaction, a verifying chain and a sound file', async () => {
    // A few more runs in the rare case that every kill came before the first decision: the checks must not be vacuous.
    const decided = (): boolean => drill.acks.some((a) => a.ack === 'decision');
    for (let i = 0; i < RUNS || (!decided() && i < RUNS + 5); i++) {
      const run = await drill.run();
      expect(verdict(run)).toEqual({
        seed: SEED,
        run: i + 1,
        failure: null,
        signal: 'SIGKILL',
        missing: [],
        torn: [],
        chainOk: true,
        chainReason: null,
        integrity: ['ok'],
        foreignKeys: [],
        openError: null,
      });
      // The reopened chain holds at least every acknowledged entry.
      const lastAcked = Math.max(0, ...drill.acks.map((a) => a.audit.seq));
      expect(run.check.headSeq).toBeGreaterThanOrEqual(lastAcked);
    }
    expect(decided(), `seed ${SEED}`).toBe(true);
  }, 90_000);

  it('the checker reports an acknowledged write that is gone, its torn transaction, and a forged acknowledgement', async () => {
    // Runs until there is an acknowledged behavioural record to remove (the first test nearly always left one).
    for (let i = 0; i < 3 && !drill.acks.some((a) => a.ack === 'behaviour'); i++) {
      await drill.run();
    }
    const removed = drill.acks.findLast((a) => a.ack === 'behaviour');
    expect(removed, `seed ${SEED}`).toBeDefined();
    if (removed === undefined) {
      return;
    }
    const copyDir = makeTempDir('nexis-crash-copy-');
    try {
      cpSync(drill.site.dataDir, copyDir, { recursive: true });
      const copy = { ...drill.site, dataDir: copyDir };
      expect((await checkDrillSite(copy, drill.acks)).ok).toBe(true);

      const { sqlite } = openDatabase({ file: join(copyDir, DATABASE_FILE), key: copy.key, create: false });
      expect(sqlite.prepare('DELETE FROM behavioural_records WHERE id = ?').run(removed.id).changes).toBe(1);
      sqlite.close();
      const forged: Ack = { ...removed, ack: 'audit', id: 'forged', audit: { ...removed.audit, hash: '0'.repeat(64) } };
      const check = await checkDrillSite(copy, [...drill.acks, forged]);
      expect(check.ok).toBe(false);
      expect(check.missing).toEqual([removed, forged]);
      expect(check.torn).toEqual([{ table: 'behavioural_records', problem: 'audit-without-row', id: removed.id }]);
      // Deleting a row is not corruption: the chain and the file are still sound, only the drill's own checks fail.
      expect(check.chain.ok).toBe(true);
      expect(check.integrity).toEqual(['ok']);
    } finally {
      rmSync(copyDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a very first start killed at random points leaves a folder the next start opens, with a sound chain and file', async () => {
    const runs = await runFirstStartDrill({ runs: RUNS, seed: SEED });
    expect(
      runs.map((r) => ({
        seed: SEED,
        run: r.run,
        failure: r.child.failure,
        restartError: r.restartError,
        chainOk: r.check?.chain.ok,
        integrity: r.check?.integrity,
      })),
    ).toEqual(
      runs.map((r) => ({
        seed: SEED,
        run: r.run,
        failure: null,
        restartError: null,
        chainOk: true,
        integrity: ['ok'],
      })),
    );
  }, 60_000);
});
