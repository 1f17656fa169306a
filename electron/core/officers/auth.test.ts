import { afterEach, describe, expect, it } from 'vitest';
import { createTempWorkstation, ADMIN, type TempWorkstation } from '../testing/temp-workstation';
import type { Channel, ChannelInput } from '../../../shared/ipc/contract';
import { LOCKOUT_MS, MAX_FAILED_SIGN_INS } from './officer-service';

let temp: TempWorkstation | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

function call<C extends Channel>(t: TempWorkstation, conn: string, channel: C, input: ChannelInput<C>) {
  return t.call(conn, channel, input);
}

async function setUp(): Promise<TempWorkstation> {
  const t = createTempWorkstation();
  temp = t;
  expect(await call(t, 'admin', 'auth:setup', ADMIN)).toMatchObject({ ok: true });
  return t;
}

function actions(t: TempWorkstation): string[] {
  return (t.ws.store.sqlite.prepare('SELECT action FROM audit_log ORDER BY seq').all() as { action: string }[]).map(
    (r) => r.action,
  );
}

describe('first-run setup and sign-in', () => {
  it('creates the first administrator once, and refuses a second setup', async () => {
    const t = await setUp();
    expect(await call(t, 'x', 'auth:status', {})).toMatchObject({
      ok: true,
      value: { setupRequired: false, session: null },
    });
    expect(await call(t, 'x', 'auth:setup', { ...ADMIN, username: 'mallory' })).toMatchObject({
      ok: false,
      error: { code: 'SETUP_DONE' },
    });
    expect(t.ws.officers.count()).toBe(1);
  });

  it('enforces the password policy with a message a person can act on', async () => {
    const t = createTempWorkstation();
    temp = t;
    const result = await call(t, 'c', 'auth:setup', { ...ADMIN, password: 'short' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'PASSWORD_POLICY', message: expect.stringMatching(/12 characters/) },
    });
    expect(t.ws.officers.count()).toBe(0);
  });

  it('signs in with the right password and refuses a wrong one with one message for unknown users and bad passwords', async () => {
    const t = await setUp();
    const wrong = await call(t, 'c2', 'auth:signIn', { username: ADMIN.username, password: 'not the password!' });
    const unknown = await call(t, 'c2', 'auth:signIn', { username: 'nobody', password: 'not the password!' });
    expect(wrong).toEqual(unknown);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    expect(await call(t, 'c2', 'auth:signIn', { username: ADMIN.username, password: ADMIN.password })).toMatchObject({
      ok: true,
    });
    expect(actions(t)).toContain('auth.signed_in');
  });

  it(`locks an account for 15 minutes after ${MAX_FAILED_SIGN_INS} failures, audited, even against the right password`, async () => {
    const t = await setUp();
    for (let i = 0; i < MAX_FAILED_SIGN_INS - 1; i += 1) {
      expect(
        await call(t, 'c', 'auth:signIn', { username: ADMIN.username, password: `wrong password ${i}` }),
      ).toMatchObject({
        error: { code: 'INVALID_CREDENTIALS' },
      });
    }
    expect(await call(t, 'c', 'auth:signIn', { username: ADMIN.username, password: 'wrong password 5' })).toMatchObject(
      {
        error: { code: 'ACCOUNT_LOCKED' },
      },
    );
    expect(await call(t, 'c', 'auth:signIn', { username: ADMIN.username, password: ADMIN.password })).toMatchObject({
      error: { code: 'ACCOUNT_LOCKED' },
    });
    expect(actions(t)).toContain('auth.locked_out');
    t.clock.advance(LOCKOUT_MS + 1);
    expect(await call(t, 'c', 'auth:signIn', { username: ADMIN.username, password: ADMIN.password })).toMatchObject({
      ok: true,
    });
  });
});

describe('roles and officer administration', () => {
  async function withOfficer(role: 'officer' | 'auditor' | 'supervisor') {
    const t = await setUp();
    const created = await call(t, 'admin', 'officers:create', {
      username: `${role}.one`,
      displayName: 'Test Person',
      role,
      password: 'temporary pass 123',
    });
    expect(created).toMatchObject({ ok: true, value: { role, mustChangePassword: true } });
    const signIn = await call(t, role, 'auth:signIn', { username: `${role}.one`, password: 'temporary pass 123' });
    expect(signIn.ok).toBe(true);
    return { t, id: created.ok ? created.value.id : '' };
  }

  it('forces a temporary password to be changed before anything else', async () => {
    const { t } = await withOfficer('officer');
    expect(await call(t, 'officer', 'system:status', {})).toMatchObject({
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/temporary password/) },
    });
    expect(
      await call(t, 'officer', 'auth:changePassword', {
        currentPassword: 'temporary pass 123',
        newPassword: 'my own new secret',
      }),
    ).toMatchObject({
      ok: true,
      value: { officer: { mustChangePassword: false } },
    });
    expect(await call(t, 'officer', 'system:status', {})).toMatchObject({ ok: true });
  });

  it('checks roles in the core: an officer cannot list audit entries or create accounts', async () => {
    const { t } = await withOfficer('officer');
    await call(t, 'officer', 'auth:changePassword', {
      currentPassword: 'temporary pass 123',
      newPassword: 'my own new secret',
    });
    expect(await call(t, 'officer', 'audit:list', { page: 1, pageSize: 10 })).toMatchObject({
      error: { code: 'FORBIDDEN' },
    });
    const before = t.ws.officers.count();
    expect(
      await call(t, 'officer', 'officers:create', {
        username: 'sneaky',
        displayName: 'X',
        role: 'admin',
        password: 'whatever password',
      }),
    ).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect(t.ws.officers.count()).toBe(before);
  });

  it('an auditor reads and verifies the audit trail but cannot change settings', async () => {
    const { t } = await withOfficer('auditor');
    await call(t, 'auditor', 'auth:changePassword', {
      currentPassword: 'temporary pass 123',
      newPassword: 'my own new secret',
    });
    expect(await call(t, 'auditor', 'audit:verify', {})).toMatchObject({ ok: true, value: { ok: true } });
    expect(await call(t, 'auditor', 'system:updateSettings', { idleTimeoutMinutes: 30 })).toMatchObject({
      error: { code: 'FORBIDDEN' },
    });
  });

  it('disabling an account ends its sessions and refuses its sign-in', async () => {
    const { t, id } = await withOfficer('supervisor');
    const ended: string[] = [];
    t.ws.onEvent((conn, event) => ended.push(`${conn}:${event}`));
    expect(await call(t, 'admin', 'officers:setStatus', { officerId: id, status: 'disabled' })).toMatchObject({
      ok: true,
    });
    expect(ended).toContain('supervisor:session:ended');
    expect(await call(t, 'supervisor', 'auth:status', {})).toMatchObject({ value: { session: null } });
    expect(
      await call(t, 'supervisor', 'auth:signIn', { username: 'supervisor.one', password: 'temporary pass 123' }),
    ).toMatchObject({
      error: { code: 'ACCOUNT_DISABLED' },
    });
  });

  it('refuses to disable the last administrator or oneself', async () => {
    const t = await setUp();
    const me = t.ws.officers.list()[0];
    expect(await call(t, 'admin', 'officers:setStatus', { officerId: me?.id ?? '', status: 'disabled' })).toMatchObject(
      {
        error: { code: 'FORBIDDEN' },
      },
    );
  });

  it('a reset clears a lockout and forces a new password', async () => {
    const { t, id } = await withOfficer('officer');
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i += 1) {
      await call(t, 'other', 'auth:signIn', { username: 'officer.one', password: `wrong password ${i}` });
    }
    expect(t.ws.officers.get(id).lockedUntil).not.toBeNull();
    expect(
      await call(t, 'admin', 'officers:resetPassword', { officerId: id, newPassword: 'fresh temporary 456' }),
    ).toMatchObject({
      ok: true,
      value: { lockedUntil: null, mustChangePassword: true },
    });
    expect(
      await call(t, 'other', 'auth:signIn', { username: 'officer.one', password: 'fresh temporary 456' }),
    ).toMatchObject({ ok: true });
  });
});

describe('session lock', () => {
  it('locks an idle session, refuses work while locked, and unlocks with the password', async () => {
    const t = await setUp();
    const events: string[] = [];
    t.ws.onEvent((conn, event, payload) => events.push(`${conn}:${event}:${JSON.stringify(payload)}`));
    t.clock.advance(10 * 60_000);
    t.ws.sessions.sweep();
    expect(events).toEqual(['admin:session:locked:{"reason":"idle"}']);
    expect(await call(t, 'admin', 'system:status', {})).toMatchObject({ error: { code: 'SESSION_LOCKED' } });
    expect(await call(t, 'admin', 'auth:unlock', { password: 'wrong password!!' })).toMatchObject({
      error: { code: 'INVALID_CREDENTIALS' },
    });
    expect(await call(t, 'admin', 'auth:unlock', { password: ADMIN.password })).toMatchObject({
      ok: true,
      value: { locked: false },
    });
    expect(await call(t, 'admin', 'system:status', {})).toMatchObject({ ok: true });
  });

  it('counts reported activity, so an officer busy on a form is not locked', async () => {
    const t = await setUp();
    t.clock.advance(9 * 60_000);
    expect(await call(t, 'admin', 'auth:activity', {})).toMatchObject({ ok: true, value: { locked: false } });
    t.clock.advance(9 * 60_000);
    expect(await call(t, 'admin', 'system:status', {})).toMatchObject({ ok: true });
    t.clock.advance(10 * 60_000);
    expect(await call(t, 'admin', 'auth:activity', {})).toMatchObject({ ok: true, value: { locked: true } });
  });

  it('does not count a screen polling status as activity: an open sync console still locks', async () => {
    const t = await setUp();
    for (let minute = 1; minute <= 9; minute += 1) {
      t.clock.advance(60_000);
      expect(await call(t, 'admin', 'sync:status', {})).toMatchObject({ ok: true });
    }
    t.clock.advance(61_000);
    expect(await call(t, 'admin', 'sync:status', {})).toMatchObject({ error: { code: 'SESSION_LOCKED' } });
  });

  it('uses the configured idle timeout', async () => {
    const t = await setUp();
    expect(await call(t, 'admin', 'system:updateSettings', { idleTimeoutMinutes: 2 })).toMatchObject({ ok: true });
    t.clock.advance(90_000);
    expect(await call(t, 'admin', 'system:status', {})).toMatchObject({ ok: true });
    t.clock.advance(121_000);
    expect(await call(t, 'admin', 'system:status', {})).toMatchObject({ error: { code: 'SESSION_LOCKED' } });
  });
});

describe('officer accounts published by the bank (sync pull)', () => {
  const central = { officerId: 'OFF-00000000BEEF0001', username: 'zawadi.officer', role: 'officer' as const };

  it('creates the account with no usable password, audited as system, and applies later changes once', async () => {
    const t = await setUp();
    expect(await t.ws.officers.upsertFromCentral({ ...central, status: 'active' })).toBe('applied');
    expect(await t.ws.officers.upsertFromCentral({ ...central, status: 'active' })).toBe('ignored');
    const created = t.ws.officers.get(central.officerId);
    expect(created).toMatchObject({ role: 'officer', status: 'active', mustChangePassword: true });
    expect(
      await call(t, 'x', 'auth:signIn', { username: central.username, password: 'anything at all 1' }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    expect(await t.ws.officers.upsertFromCentral({ ...central, role: 'supervisor', status: 'disabled' })).toBe(
      'applied',
    );
    expect(t.ws.officers.get(central.officerId)).toMatchObject({ role: 'supervisor', status: 'disabled' });
    expect(actions(t).filter((a) => a === 'officer.synced')).toHaveLength(2);
  });

  it('refuses a username held by another local account, and never removes the last active administrator', async () => {
    const t = await setUp();
    expect(await t.ws.officers.upsertFromCentral({ ...central, username: ADMIN.username, status: 'active' })).toBe(
      'rejected',
    );
    const admin = t.ws.officers.list()[0];
    expect(admin?.role).toBe('admin');
    expect(
      await t.ws.officers.upsertFromCentral({
        officerId: admin?.id ?? '',
        username: ADMIN.username,
        role: 'officer',
        status: 'active',
      }),
    ).toBe('rejected');
    expect(t.ws.officers.get(admin?.id ?? '').role).toBe('admin');
    expect(actions(t)).not.toContain('officer.synced');
  });
});
