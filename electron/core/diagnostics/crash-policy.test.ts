import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crashDumpsDir, crashDumpStats, pruneCrashDumps } from './crash-dumps';
import { createManualClock } from '../clock';
import { createTempWorkstation } from '../testing/temp-workstation';
import { CrashPolicy, MAX_RELOADS, RELOAD_WINDOW_MS } from './crash-policy';

describe('the crash policy', () => {
  it('records an uncaught exception by class name only, and quits', () => {
    const policy = new CrashPolicy(createManualClock());
    const error = new RangeError('applicant Wanjiru Kamau +254 712 345 678');
    expect(policy.decide({ type: 'uncaught-exception', error })).toEqual({
      record: { kind: 'main-uncaught', detail: 'RangeError' },
      action: 'quit',
    });
    expect(policy.decide({ type: 'unhandled-rejection', reason: 'a string reason with a name' })).toEqual({
      record: { kind: 'main-rejection', detail: 'string' },
      action: 'none',
    });
    expect(policy.decide({ type: 'unhandled-rejection', reason: undefined })).toMatchObject({
      record: { detail: 'undefined' },
    });
  });

  it('reloads a gone renderer, but not in a loop: at most MAX_RELOADS a minute', () => {
    const clock = createManualClock();
    const policy = new CrashPolicy(clock);
    const gone = { type: 'render-process-gone', reason: 'crashed' } as const;
    const actions = Array.from({ length: MAX_RELOADS + 2 }, () => policy.decide(gone).action);
    expect(actions).toEqual([...Array<string>(MAX_RELOADS).fill('reload-renderer'), 'none', 'none']);
    // Still recorded when not reloaded.
    expect(policy.decide(gone).record).toEqual({ kind: 'renderer-gone', detail: 'crashed' });
    clock.advance(RELOAD_WINDOW_MS);
    expect(policy.decide(gone).action).toBe('reload-renderer');
  });

  it('ignores clean exits and records helper processes by type and reason', () => {
    const policy = new CrashPolicy(createManualClock());
    expect(policy.decide({ type: 'render-process-gone', reason: 'clean-exit' })).toEqual({
      record: null,
      action: 'none',
    });
    expect(policy.decide({ type: 'child-process-gone', processType: 'Sandbox helper', reason: 'oom' })).toEqual({
      record: { kind: 'child-gone', detail: 'Sandbox-helper:oom' },
      action: 'none',
    });
  });

  it('a recorded decision lands in the durable counters as the last crash', () => {
    const t = createTempWorkstation();
    try {
      const decision = new CrashPolicy(t.clock).decide({ type: 'render-process-gone', reason: 'oom' });
      if (decision.record !== null) {
        t.ws.diagnostics.crash(decision.record.kind, decision.record.detail);
      }
      expect(t.reopen().diagnostics.summary()).toMatchObject({
        total: { rendererCrashes: 1 },
        lastCrash: { kind: 'renderer-gone', detail: 'oom' },
      });
    } finally {
      t.cleanup();
    }
  });
});

describe('local crash dumps', () => {
  it('keeps only the newest dumps, and the bundle counts them without reading them', () => {
    const t = createTempWorkstation();
    try {
      const completed = join(crashDumpsDir(t.dir), 'completed');
      mkdirSync(completed, { recursive: true });
      for (let n = 0; n < 5; n += 1) {
        const file = join(completed, `dump-${String(n)}.dmp`);
        writeFileSync(file, 'Wanjiru Kamau +254 712 345 678');
        utimesSync(file, 1_700_000_000 + n, 1_700_000_000 + n);
      }
      writeFileSync(join(completed, 'settings.dat'), 'not a dump');
      expect(pruneCrashDumps(t.dir, 2)).toBe(3);
      expect(['dump-0', 'dump-2', 'dump-3', 'dump-4'].map((n) => existsSync(join(completed, `${n}.dmp`)))).toEqual([
        false,
        false,
        true,
        true,
      ]);
      expect(existsSync(join(completed, 'settings.dat'))).toBe(true);
      expect(crashDumpStats(t.dir)).toEqual({ count: 2, newestAt: new Date(1_700_000_004_000).toISOString() });
      const bundle = t.ws.diagnostics.bundle(t.ws).json;
      expect(JSON.parse(bundle)).toMatchObject({ crashDumps: { count: 2 } });
      expect(bundle).not.toContain('Wanjiru');
    } finally {
      t.cleanup();
    }
  });
});
