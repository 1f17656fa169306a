import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempWorkstation, type TempWorkstation } from '../testing/temp-workstation';
import { RENDERER_REPORTS_PER_MINUTE } from './error-counters';
import { logFilePath } from './rotating-file';

let temp: TempWorkstation | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

function logLines(t: TempWorkstation, event: string): Record<string, unknown>[] {
  return readFileSync(logFilePath(t.dir), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.event === event);
}

describe('system:reportError', () => {
  it('records a signed-out renderer error in the log file and the counters, durably', async () => {
    const t = createTempWorkstation();
    temp = t;
    const result = await t.call('window-1', 'system:reportError', {
      screen: 'sign-in',
      errorName: 'TypeError',
      where: 'SignInScreen > PasswordField',
    });
    expect(result).toEqual({ ok: true, value: {} });
    expect(logLines(t, 'renderer.error')).toEqual([
      expect.objectContaining({ screen: 'sign-in', errorName: 'TypeError', where: 'SignInScreen>PasswordField' }),
    ]);
    const after = t.ws.diagnostics.summary();
    expect(after.total.rendererErrors).toBe(1);
    expect(after.lastCrash).toEqual({ at: t.clock.now().toISOString(), kind: 'renderer-error', detail: 'TypeError' });
    // A crash right after must not lose it: a new workstation on the same folder reads the same counters.
    expect(t.reopen().diagnostics.summary()).toEqual(after);
  });

  it('refuses loose input: a screen name outside [a-z-], extra keys, an overlong error name', async () => {
    const t = createTempWorkstation();
    temp = t;
    for (const input of [
      { screen: 'Sign In', errorName: 'TypeError', where: '' },
      { screen: 'status', errorName: 'TypeError', where: '', message: 'x' },
      { screen: 'status', errorName: 'E'.repeat(61), where: '' },
      { screen: '', errorName: 'TypeError', where: '' },
    ]) {
      expect(await t.ws.dispatch('w', 'system:reportError', input)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
    }
    expect(t.ws.diagnostics.summary().total.rendererErrors).toBe(0);
  });

  it('logs at most the per-minute limit from a looping renderer but counts every report', async () => {
    const t = createTempWorkstation();
    temp = t;
    const report = { screen: 'applicants', errorName: 'RangeError', where: 'List' };
    for (let i = 0; i < RENDERER_REPORTS_PER_MINUTE + 30; i += 1) {
      await t.call('w', 'system:reportError', report);
    }
    expect(logLines(t, 'renderer.error')).toHaveLength(RENDERER_REPORTS_PER_MINUTE);
    expect(t.ws.diagnostics.summary().total.rendererErrors).toBe(RENDERER_REPORTS_PER_MINUTE + 30);
    // The next minute: logging resumes, and the suppressed count is logged once.
    t.clock.advance(60_000);
    await t.call('w', 'system:reportError', report);
    expect(logLines(t, 'renderer.error')).toHaveLength(RENDERER_REPORTS_PER_MINUTE + 1);
    expect(logLines(t, 'renderer.errors_suppressed')).toEqual([expect.objectContaining({ count: 30 })]);
    const stored = JSON.parse(readFileSync(join(t.dir, 'diagnostics.json'), 'utf8')) as {
      total: { rendererErrors: number };
    };
    expect(stored.total.rendererErrors).toBe(RENDERER_REPORTS_PER_MINUTE + 31);
  });
});
