/**
 * The recovery service on a real workstation with test recipients: the administrator picks a folder (a temp folder
 * standing for the removable drive), a bundle lands there and opens with the bank's identity, the laptop keeps no
 * copy. An unplugged drive fails with a typed, audited error shown in the status; the schedule never throws.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../lifecycle/retention';
import { ADMIN, createTempWorkstation, makeTempDir, type TempWorkstation } from '../testing/temp-workstation';
import { readRecoveryBundle } from './recovery-bundle';
import { RECOVERY_RETRY_MS, RECOVERY_STAGING_DIR } from './recovery-service';

let identity: string;
let recipient: string;
beforeAll(async () => {
  identity = await generateX25519Identity();
  recipient = await identityToRecipient(identity);
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
});

function drive(): string {
  const dir = makeTempDir('nexis-drive-');
  cleanups.push(() => execFileSync('rm', ['-rf', dir]));
  return realpathSync(dir);
}

/** `null`: a development build, with no recovery recipient. */
async function adminWorkstation(recipients: readonly string[] | null = [recipient]): Promise<TempWorkstation> {
  const t = createTempWorkstation(recipients === null ? {} : { recoveryRecipients: recipients });
  cleanups.push(() => t.cleanup());
  const setup = await t.call('admin', 'auth:setup', ADMIN);
  expect(setup.ok).toBe(true);
  return t;
}

/** Read from the service: the clock moves by days below, and the admin's session locks meanwhile. */
function auditOf(t: TempWorkstation, action: string): Record<string, unknown>[] {
  return t.ws.audit.list({ page: 1, pageSize: 50, action }).entries.map((entry) => entry.payload);
}

describe('recovery backups', () => {
  it('writes a bundle to the chosen folder that opens with the bank identity, and keeps no copy on the laptop', async () => {
    const t = await adminWorkstation();
    const folder = drive();
    const set = await t.call('admin', 'recovery:setFolder', { folder });
    expect(set).toMatchObject({ ok: true, value: { enabled: true, folder, lastSuccess: null } });
    // The path stays in meta; the trail records only that a folder was set.
    expect(auditOf(t, 'recovery.folder_set')).toEqual([{ replaced: false }]);

    const run = await t.call('admin', 'recovery:runNow', {});
    if (!run.ok) {
      throw new Error(`${run.error.code}: ${run.error.message}`);
    }
    expect(readdirSync(folder)).toEqual([run.value.fileName]);
    const bundle = await readRecoveryBundle(join(folder, run.value.fileName), identity);
    expect(bundle.dbKey.equals(t.key)).toBe(true);
    expect(bundle.header.deviceId).toBe(t.ws.deviceKey.deviceId);
    expect(bundle.sha256).toBe(run.value.sha256);
    expect(readdirSync(join(t.dir, RECOVERY_STAGING_DIR))).toEqual([]);

    const [written] = auditOf(t, 'recovery.bundle_written');
    expect(written).toMatchObject({ trigger: 'manual', bytes: run.value.bytes, sha256: run.value.sha256 });
    expect(written?.auditHeadSeq).toBe(bundle.header.auditHead.seq);
    const status = await t.call('admin', 'recovery:status', {});
    expect(status).toMatchObject({
      ok: true,
      value: {
        lastSuccess: { at: t.clock.now().toISOString(), bytes: run.value.bytes },
        lastFailure: null,
        nextDue: new Date(t.clock.now().getTime() + DAY_MS).toISOString(),
        running: false,
      },
    });
    // No path anywhere in the trail.
    const all = await t.call('admin', 'audit:list', { page: 1, pageSize: 200 });
    expect(JSON.stringify(all)).not.toContain(folder);
  });

  it('an unplugged drive fails with a typed, audited error shown in the status; the schedule does not throw', async () => {
    const t = await adminWorkstation();
    const folder = join(drive(), 'usb');
    mkdirSync(folder);
    expect((await t.call('admin', 'recovery:setFolder', { folder })).ok).toBe(true);
    execFileSync('rm', ['-rf', folder]);

    const manual = await t.call('admin', 'recovery:runNow', {});
    expect(manual).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(auditOf(t, 'recovery.bundle_failed')).toEqual([{ trigger: 'manual', code: 'FOLDER_MISSING' }]);
    const status = await t.call('admin', 'recovery:status', {});
    expect(status).toMatchObject({
      ok: true,
      value: { lastSuccess: null, lastFailure: { at: t.clock.now().toISOString(), code: 'FOLDER_MISSING' } },
    });
    expect(readdirSync(join(t.dir, RECOVERY_STAGING_DIR))).toEqual([]);

    // The schedule retries only after the back-off, and swallows the failure.
    expect(await t.ws.recovery.tick()).toBeNull();
    expect(auditOf(t, 'recovery.bundle_failed')).toHaveLength(1);
    t.clock.advance(RECOVERY_RETRY_MS);
    await expect(t.ws.recovery.tick()).resolves.toBeNull();
    expect(auditOf(t, 'recovery.bundle_failed')).toEqual([
      { trigger: 'schedule', code: 'FOLDER_MISSING' },
      { trigger: 'manual', code: 'FOLDER_MISSING' },
    ]);

    // The drive is back: the next due run writes, and the one after waits a day.
    mkdirSync(folder);
    t.clock.advance(RECOVERY_RETRY_MS);
    const scheduled = await t.ws.recovery.tick();
    expect(scheduled?.fileName).toMatch(/\.nexisbak$/);
    expect(readdirSync(folder)).toHaveLength(1);
    expect(auditOf(t, 'recovery.bundle_written')).toMatchObject([{ trigger: 'schedule' }]);
    t.clock.advance(DAY_MS - 1);
    expect(await t.ws.recovery.tick()).toBeNull();
    t.clock.advance(1);
    expect(await t.ws.recovery.tick()).not.toBeNull();
    expect(readdirSync(folder)).toHaveLength(2);
  });

  it('refuses a folder that is missing, relative or inside the data folder, and clears a set one', async () => {
    const t = await adminWorkstation();
    const inside = join(t.dir, 'elsewhere');
    mkdirSync(inside);
    expect(await t.call('admin', 'recovery:setFolder', { folder: inside })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await t.call('admin', 'recovery:setFolder', { folder: join(drive(), 'absent') })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await t.call('admin', 'recovery:setFolder', { folder: 'relative/usb' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(auditOf(t, 'recovery.folder_set')).toEqual([]);

    const folder = drive();
    expect((await t.call('admin', 'recovery:setFolder', { folder })).ok).toBe(true);
    expect(await t.call('admin', 'recovery:clearFolder', {})).toMatchObject({
      ok: true,
      value: { folder: null, nextDue: null },
    });
    expect(auditOf(t, 'recovery.folder_cleared')).toEqual([{}]);
    expect(await t.call('admin', 'recovery:runNow', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await t.ws.recovery.tick()).toBeNull();
    expect(readdirSync(folder)).toEqual([]);
  });

  it('is for administrators only', async () => {
    const t = await adminWorkstation();
    const created = await t.call('admin', 'officers:create', {
      username: 'otieno.officer',
      displayName: 'Otieno',
      role: 'officer',
      password: 'temporary pass 123',
    });
    expect(created.ok).toBe(true);
    expect(
      (await t.call('officer', 'auth:signIn', { username: 'otieno.officer', password: 'temporary pass 123' })).ok,
    ).toBe(true);
    for (const channel of ['recovery:status', 'recovery:clearFolder', 'recovery:runNow'] as const) {
      expect(await t.call('officer', channel, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await t.call('officer', 'recovery:setFolder', { folder: drive() })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(t.ws.recovery.folder()).toBeNull();
  });

  it('a build without recovery recipients writes nothing and says why', async () => {
    const t = await adminWorkstation(null);
    const folder = drive();
    expect(await t.call('admin', 'recovery:setFolder', { folder })).toMatchObject({
      ok: true,
      value: { enabled: false, folder, nextDue: null },
    });
    const run = await t.call('admin', 'recovery:runNow', {});
    expect(run).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(run.ok ? '' : run.error.message).toMatch(/no bank recovery key/);
    t.clock.advance(2 * DAY_MS);
    expect(await t.ws.recovery.tick()).toBeNull();
    expect(readdirSync(folder)).toEqual([]);
    expect(auditOf(t, 'recovery.bundle_failed')).toEqual([]);
  });
});
