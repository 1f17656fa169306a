import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKSTOP_PAGES, BackgroundCheckpointer, type CheckpointReport } from './checkpointer';
import { openDatabase } from './open';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('background checkpointer', () => {
  it('copies the log into the database from its own connection while the main one keeps writing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexis-ckpt-'));
    dirs.push(dir);
    const file = join(dir, 'c.db');
    const key = randomBytes(32);
    const { sqlite } = openDatabase({ file, key, create: true });
    const reports: CheckpointReport[] = [];
    const threads = (): number => (process.platform === 'linux' ? readdirSync('/proc/self/task').length : 0);
    const baseline = threads();
    const checkpointer = new BackgroundCheckpointer(sqlite, file, key, {
      intervalMs: 60_000,
      onReport: (r) => reports.push(r),
    });
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES);
    sqlite.exec('CREATE TABLE t (i INTEGER PRIMARY KEY, v TEXT)');
    const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 300; i += 1) {
      insert.run(randomBytes(600).toString('hex'));
    }
    const until = async (ok: () => boolean): Promise<void> => {
      for (let i = 0; i < 200 && !ok(); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    await until(() => reports.some((r) => r.kind === 'ready'));
    checkpointer.now();
    await until(() => reports.some((r) => r.kind === 'checkpoint'));
    const done = reports.find((r) => r.kind === 'checkpoint');
    // Every frame written so far went into the database file, and none of it was in the way of the writer.
    expect(done?.log).toBeGreaterThan(100);
    expect(done?.checkpointed).toBe(done?.log);
    insert.run('after the checkpoint');
    await checkpointer.stop();
    expect(reports.some((r) => r.kind === 'stopped')).toBe(true);
    // Its thread ended by itself after closing its connection (it is never terminated mid-call: worker-exit.ts).
    expect(threads()).toBeLessThanOrEqual(baseline);
    sqlite.close();
    const again = openDatabase({ file, key, create: false });
    expect(again.sqlite.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 301 });
    expect(again.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    again.sqlite.close();
  });

  it('reports a connection it cannot open (wrong key) instead of failing silently', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexis-ckpt-'));
    dirs.push(dir);
    const file = join(dir, 'c.db');
    const { sqlite } = openDatabase({ file, key: randomBytes(32), create: true });
    const reports: CheckpointReport[] = [];
    const checkpointer = new BackgroundCheckpointer(sqlite, file, randomBytes(32), {
      intervalMs: 60_000,
      onReport: (r) => reports.push(r),
    });
    checkpointer.now();
    for (let i = 0; i < 200 && !reports.some((r) => r.kind === 'error'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(reports.find((r) => r.kind === 'error')).toMatchObject({ code: 'SQLITE_NOTADB' });
    await checkpointer.stop();
    sqlite.close();
  });
});
