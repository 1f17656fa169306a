import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempWorkstation, type TempWorkstation } from '../testing/temp-workstation';
import { DIAGNOSTICS_FILE, toCrashDetail, toWhere } from './error-counters';

let temp: TempWorkstation | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

describe('error counters and the last crash', () => {
  it('count core errors and crashes since the last sync and in total, and survive a restart', () => {
    const t = createTempWorkstation();
    temp = t;
    const d = t.ws.diagnostics;
    d.log.error('ipc.unexpected', { channel: 'applicants:get' });
    d.crash('main-uncaught', 'TypeError');
    d.crash('child-gone', 'GPU:crashed');
    t.clock.advance(1_000);
    d.crash('renderer-gone', 'oom');
    expect(d.summary()).toMatchObject({
      sinceSync: { coreErrors: 1, mainCrashes: 1, childCrashes: 1, rendererCrashes: 1, rendererErrors: 0 },
      total: { coreErrors: 1, mainCrashes: 1, childCrashes: 1, rendererCrashes: 1 },
      lastSyncAt: null,
      lastCrash: { kind: 'renderer-gone', detail: 'oom', at: t.clock.now().toISOString() },
    });
    d.markSynced();
    d.log.error('sync.failed');
    const reopened = t.reopen().diagnostics.summary();
    expect(reopened).toMatchObject({
      sinceSync: { coreErrors: 1, mainCrashes: 0, rendererCrashes: 0 },
      total: { coreErrors: 2, mainCrashes: 1, rendererCrashes: 1 },
      lastSyncAt: t.clock.now().toISOString(),
      lastCrash: { kind: 'renderer-gone', detail: 'oom' },
    });
  });

  it('starts again from zero when the counters file is unreadable, and says so in the log', () => {
    const t = createTempWorkstation();
    temp = t;
    t.ws.diagnostics.crash('main-rejection', 'Error');
    writeFileSync(join(t.dir, DIAGNOSTICS_FILE), '{"version": 1, "total": "garbage"');
    const summary = t.reopen().diagnostics.summary();
    expect(summary.total.mainCrashes).toBe(0);
    expect(summary.lastCrash).toBeNull();
    expect(readFileSync(join(t.dir, 'logs', 'nexis.log'), 'utf8')).toContain('"event":"diagnostics.counters_reset"');
  });

  it('keeps a crash detail to a name or code: a message becomes identifier characters, never a sentence', () => {
    expect(toCrashDetail('TypeError')).toBe('TypeError');
    expect(toCrashDetail('Sandbox helper:crashed')).toBe('Sandbox-helper:crashed');
    expect(toCrashDetail({ message: 'secret' })).toBe('unknown');
    expect(toCrashDetail('')).toBe('unknown');
    expect(toCrashDetail('x'.repeat(100))).toHaveLength(60);
  });

  it('keeps component names in "where" and drops numbers and emails', () => {
    expect(toWhere('at ApplicantCard (renderer/src/App.tsx:12:5)\n  at Screen')).toBe(
      'at>ApplicantCard>renderer/src/App.tsx:12:5>at>Screen',
    );
    expect(toWhere('Card +254 712 345 678 28765432 A1234567 a@b.example')).toBe('Card');
  });
});
