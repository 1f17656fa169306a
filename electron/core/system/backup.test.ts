import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempWorkstation, ADMIN, type TempWorkstation } from '../testing/temp-workstation';
import { checkBackup, restoreBackup } from './backup';

let temp: TempWorkstation | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

const CLI = join(process.cwd(), 'electron', 'core', 'cli', 'main.ts');
function cli(dataDir: string, key: Buffer, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args, '--data', dataDir], {
    encoding: 'utf8',
    env: { ...process.env, NEXIS_DB_KEY: key.toString('hex') },
  });
}

describe('encrypted backup and restore', () => {
  it('writes an encrypted backup that opens only with the key and restores with its audit chain intact', async () => {
    const t = createTempWorkstation();
    temp = t;
    await t.ws.dispatch('admin', 'auth:setup', ADMIN);
    const result = await t.call('admin', 'system:backup', {});
    expect(result.ok).toBe(true);
    const file = result.ok ? result.value.file : '';
    expect(readFileSync(file).includes(Buffer.from(ADMIN.displayName))).toBe(false);
    expect(() => checkBackup(file, t.key)).not.toThrow();
    expect(() => checkBackup(file, randomBytes(32))).toThrow(expect.objectContaining({ code: 'DB_KEY_INVALID' }));

    // Work continues after the backup; restoring brings back the state at backup time.
    await t.ws.dispatch('admin', 'officers:create', {
      username: 'later.one',
      displayName: 'Later',
      role: 'officer',
      password: 'temporary pass 123',
    });
    t.ws.close();
    const { previous } = restoreBackup(file, t.ws.databaseFile, t.key, new Date());
    expect(previous !== null && existsSync(previous)).toBe(true);
    const restored = t.reopen();
    expect(restored.officers.list().map((o) => o.username)).toEqual([ADMIN.username]);
    expect(await restored.audit.verify('system')).toMatchObject({ ok: true });
  });
});

describe('nexis CLI', () => {
  it('verify-audit passes on a sound database and names the first bad sequence number after tampering', async () => {
    const t = createTempWorkstation();
    temp = t;
    await t.ws.dispatch('admin', 'auth:setup', ADMIN);
    await t.ws.dispatch('admin', 'audit:verify', {});
    await t.ws.dispatch('admin', 'audit:verify', {});
    t.ws.close();
    const good = cli(t.dir, t.key, 'verify-audit');
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/audit chain OK: 3 entries/);

    const ws = t.reopen();
    ws.store.sqlite.exec(
      "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET action = 'officer.deleted' WHERE seq = 2;",
    );
    ws.close();
    const bad = cli(t.dir, t.key, 'verify-audit');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/BROKEN at sequence 2/);
    t.reopen();
  });

  it('refuses a wrong key with a clear message and a non-zero exit', async () => {
    const t = createTempWorkstation();
    temp = t;
    t.ws.close();
    const run = cli(t.dir, randomBytes(32), 'verify-audit');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/DB_KEY_INVALID/);
    t.reopen();
  });
});
