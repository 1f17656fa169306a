/**
 * Named central administrators and four eyes, over HTTP against the real server: first sign-in with TOTP enrolment,
 * single-use codes, lockout, session limits, roles on every route, proposals that take effect only when a second
 * administrator with the role approves them, and every event in the server's audit chain without personal data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEFAULT_ADMIN_POLICY, createAdminAccount } from './accounts';
import { verifyServerAudit } from '../audit/server-audit';
import type { Database } from '../db/database';
import { rowsOf } from '../db/rows';
import { costOf, hashPassword, OWASP_SCRYPT } from '../security/passwords';
import { secretsFromKeyring } from '../security/secrets';
import { TOTP_PERIOD_SECONDS, totpCode } from '../security/totp';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { errorCode, field, request } from '../testing/http';
import { signedOfficer, signedPolicy } from '../testing/releases';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, firstSignIn, startTestServer, TEST_SCRYPT, type TestServer } from '../testing/test-server';

const step = (at: Date): number => Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);

it('hashes administrator passwords with scrypt at OWASP cost by default', async () => {
  const hash = await hashPassword('a long enough password');
  expect(costOf(hash)).toEqual(OWASP_SCRYPT);
  expect(OWASP_SCRYPT.N).toBeGreaterThanOrEqual(2 ** 17);
});

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`central administrators on ${targetTitle(target)}`, () => {
    let database: Database;
    let server: TestServer;
    // Aligned to the start of a TOTP step, so codes of "now" and "now + 30 s" are distinct steps.
    let now = new Date(Math.ceil(Date.UTC(2026, 11, 1, 9) / 30_000) * 30_000);

    const create = async (username: string, roles: Parameters<typeof createAdminAccount>[2]['roles']) =>
      database.db.transaction((tx) =>
        createAdminAccount(
          tx,
          secretsFromKeyring(server.keyring),
          { username, roles, createdBy: 'bootstrap' },
          { scryptCost: TEST_SCRYPT },
          now,
        ),
      );
    const signIn = (body: Record<string, string>) => request(server.url, 'POST', '/v1/auth/admin/sign-in', { body });
    const auditActions = async (): Promise<string[]> =>
      rowsOf<{ action: string }>(await database.db.execute(sql`SELECT action FROM server_audit ORDER BY seq`)).map(
        (r) => r.action,
      );

    beforeAll(async () => {
      database = await target.open();
      server = await startTestServer(database, {
        now: () => now,
        adminPolicy: { ...DEFAULT_ADMIN_POLICY, scryptCost: TEST_SCRYPT },
      });
    });
    afterAll(async () => {
      await server.close();
      await database.close();
    });

    it('enrols TOTP at the first sign-in and replaces the one-time password', async () => {
      const created = await create('wanjiku.sec', ['security-admin']);
      const started = await signIn({ username: 'wanjiku.sec', password: created.oneTimePassword });
      expect(started.status).toBe(200);
      expect(field(started.body, 'status')).toBe('totp-enrolment');
      const ticket = field<string>(started.body, 'ticket');
      const secret = field<string>(started.body, 'secret');
      expect(field<string>(started.body, 'otpauthUri')).toMatch(/^otpauth:\/\/totp\//);
      const enrol = (totp: string, newPassword: string) =>
        request(server.url, 'POST', '/v1/auth/admin/totp', { body: { ticket, totp, newPassword } });
      const wrongCode = await enrol(totpCode(secret, new Date(now.getTime() + 300_000)), 'a brand new password');
      expect(errorCode(wrongCode.body)).toBe('UNAUTHENTICATED');
      expect(errorCode((await enrol(totpCode(secret, now), created.oneTimePassword)).body)).toBe('INVALID_INPUT');
      const enrolled = await enrol(totpCode(secret, now), 'a brand new password');
      expect(enrolled.status).toBe(200);
      const token = field<{ token: string }>(enrolled.body, 'session').token;
      const me = await request(server.url, 'GET', '/v1/admin/session', { token });
      expect(me.body).toMatchObject({ username: 'wanjiku.sec', roles: ['security-admin'] });
      // The ticket is spent, and the one-time password no longer works.
      expect(errorCode((await enrol(totpCode(secret, now), 'another new password')).body)).toBe('SESSION_EXPIRED');
      expect(errorCode((await signIn({ username: 'wanjiku.sec', password: created.oneTimePassword })).body)).toBe(
        'UNAUTHENTICATED',
      );
    });

    it('needs the second factor, and accepts each code once', async () => {
      const admin = await server.provision('otieno.rel', ['release-manager']);
      const password = admin.password;
      expect(errorCode((await signIn({ username: 'otieno.rel', password })).body)).toBe('SECOND_FACTOR_REQUIRED');
      const code = admin.nextTotp();
      expect((await signIn({ username: 'otieno.rel', password, totp: code })).status).toBe(200);
      const replay = await signIn({ username: 'otieno.rel', password, totp: code });
      expect(replay.status).toBe(401);
      expect(errorCode(replay.body)).toBe('UNAUTHENTICATED');
      expect((await signIn({ username: 'otieno.rel', password, totp: admin.nextTotp() })).status).toBe(200);
      expect(await auditActions()).toEqual(expect.arrayContaining(['admin.signed_in', 'admin.sign_in_failed']));
    });

    it('checks roles on every administrator route', async () => {
      const auditor = await server.addAdmin('njeri.aud', ['auditor']);
      const release = await server.addAdmin('mutua.rel', ['release-manager']);
      const privacy = await server.addAdmin('halima.priv', ['privacy-officer']);
      expect((await auditor.request('GET', '/v1/admin/devices')).status).toBe(200);
      expect((await auditor.request('GET', '/v1/admin/audit')).status).toBe(200);
      for (const [client, path, body] of [
        [auditor, '/v1/admin/enrolment-codes', { branchId: 'NBO-01' }],
        [auditor, '/v1/admin/policy-releases', signedPolicy(1, { version: 'p1', cutoffs: {}, reasonTexts: {} })],
        [release, '/v1/admin/enrolment-codes', { branchId: 'NBO-01' }],
        [release, '/v1/admin/erasure-requests', { applicantId: 'NEX-AAAAA-BBBBB-C' }],
        [privacy, '/v1/admin/policy-releases', signedPolicy(1, { version: 'p1', cutoffs: {}, reasonTexts: {} })],
        [privacy, '/v1/admin/administrators', { username: 'sneaky', roles: ['security-admin'] }],
        [auditor, '/v1/admin/proposals/1/approve', { reason: 'looks fine' }],
      ] as const) {
        const answer = await client.request('POST', path, body);
        expect(answer.status, `${client.username} ${path}`).toBe(403);
        expect(errorCode(answer.body)).toBe('FORBIDDEN');
      }
    });

    it('publishes a policy only after a second release manager approves it', async () => {
      const device = new SimDevice();
      await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'NBO-01'));
      const pulled = async (): Promise<string[]> => {
        const token = device.state.token(now, 0) ?? '';
        const page = await request(server.url, 'GET', '/v1/sync/pull', { token });
        return field<{ kind: string }[]>(page.body, 'items').map((i) => i.kind);
      };
      const policy = signedPolicy(1, { version: 'pol-4eyes', cutoffs: { approve: 610, refer: 550 }, reasonTexts: {} });
      const proposed = await server.alice.request('POST', '/v1/admin/policy-releases', policy);
      expect(proposed.status).toBe(202);
      const proposal = field<{ id: number; status: string; diff: unknown[] }>(proposed.body, 'proposal');
      expect(proposal.status).toBe('pending');
      expect(proposal.diff).toEqual(expect.arrayContaining([{ label: 'Cut-off approve', before: null, after: '610' }]));
      expect(await pulled()).not.toContain('policy.release');
      expect(errorCode((await server.alice.request('POST', '/v1/admin/policy-releases', policy)).body)).toBe(
        'CONFLICT',
      );
      const own = await server.alice.request('POST', `/v1/admin/proposals/${proposal.id}/approve`, {
        reason: 'my own',
      });
      expect(own.status).toBe(403);
      expect(errorCode(own.body)).toBe('FOUR_EYES_REQUIRED');
      const noReason = await server.bob.request('POST', `/v1/admin/proposals/${proposal.id}/approve`, { reason: '' });
      expect(noReason.status).toBe(400);
      expect(await pulled()).not.toContain('policy.release');
      const approved = await server.bob.request('POST', `/v1/admin/proposals/${proposal.id}/approve`, {
        reason: 'cut-offs agreed by the credit committee',
      });
      expect(approved.status).toBe(200);
      expect(field<{ status: string }>(approved.body, 'proposal').status).toBe('approved');
      expect(await pulled()).toContain('policy.release');
      const again = await server.bob.request('POST', `/v1/admin/proposals/${proposal.id}/reject`, {
        reason: 'too late',
      });
      expect(errorCode(again.body)).toBe('CONFLICT');

      // The next proposal's diff shows what is in force; a rejection publishes nothing.
      const next = await server.alice.request(
        'POST',
        '/v1/admin/policy-releases',
        signedPolicy(2, { version: 'pol-4eyes-2', cutoffs: { approve: 640, refer: 550 }, reasonTexts: {} }),
      );
      const nextProposal = field<{ id: number; diff: unknown[] }>(next.body, 'proposal');
      expect(nextProposal.diff).toEqual(
        expect.arrayContaining([
          { label: 'Version', before: 'pol-4eyes', after: 'pol-4eyes-2' },
          { label: 'Cut-off approve', before: '610', after: '640' },
        ]),
      );
      const rejected = await server.bob.request('POST', `/v1/admin/proposals/${nextProposal.id}/reject`, {
        reason: 'approve cut-off too strict for the pilot',
      });
      expect(field<{ status: string }>(rejected.body, 'proposal').status).toBe('rejected');
      expect((await pulled()).filter((k) => k === 'policy.release')).toHaveLength(1);
    });

    it('shows an elevated officer grant against the grant in force, and publishes it only on approval', async () => {
      const first = await server.alice.request(
        'POST',
        '/v1/admin/officers',
        signedOfficer(1, { officerId: 'OFF-00000000BEEF0001', username: 'zawadi', role: 'officer' }),
      );
      expect(first.status).toBe(201);
      const elevated = await server.alice.request(
        'POST',
        '/v1/admin/officers',
        signedOfficer(2, { officerId: 'OFF-00000000BEEF0001', username: 'zawadi', role: 'admin' }),
      );
      expect(elevated.status).toBe(202);
      const proposal = field<{ id: number; kind: string; diff: unknown[] }>(elevated.body, 'proposal');
      expect(proposal.kind).toBe('officer.grant');
      expect(proposal.diff).toEqual(
        expect.arrayContaining([
          { label: 'Role', before: 'officer', after: 'admin' },
          { label: 'Serial', before: '1', after: '2' },
        ]),
      );
    });

    it('revokes a device and creates an administrator only with a second security administrator', async () => {
      const device = new SimDevice();
      await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'MSA-01'));
      const proposed = await server.alice.request('POST', `/v1/admin/devices/${device.deviceId}/revoke`);
      expect(proposed.status).toBe(202);
      const token = device.state.token(now, 0) ?? '';
      expect((await request(server.url, 'GET', '/v1/sync/pull', { token })).status).toBe(200);
      const id = field<{ id: number }>(proposed.body, 'proposal').id;
      await server.bob.request('POST', `/v1/admin/proposals/${id}/approve`, { reason: 'laptop reported stolen' });
      expect(errorCode((await request(server.url, 'GET', '/v1/sync/pull', { token })).body)).toBe('DEVICE_REVOKED');

      const admin = await server.alice.request('POST', '/v1/admin/administrators', {
        username: 'new.sec',
        roles: ['security-admin'],
      });
      const adminProposal = field<{ id: number }>(admin.body, 'proposal').id;
      const approved = await server.bob.request('POST', `/v1/admin/proposals/${adminProposal}/approve`, {
        reason: 'second security officer hired',
      });
      const createdAdmin = field<{ username: string; oneTimePassword: string }>(approved.body, 'createdAdmin');
      expect(createdAdmin.username).toBe('new.sec');
      now = new Date((step(now) + 2) * 30_000);
      const { token: session } = await firstSignIn(server.url, 'new.sec', createdAdmin.oneTimePassword, () => now);
      expect((await request(server.url, 'GET', '/v1/admin/session', { token: session })).status).toBe(200);
    });

    it('locks an account after five failures, writes nothing for unknown names, and unlocks after the period', async () => {
      const admin = await server.provision('kamau.priv', ['privacy-officer']);
      const before = (await auditActions()).length;
      for (let i = 0; i < 20; i += 1) {
        expect((await signIn({ username: 'nobody.here', password: 'guess guess guess' })).status).toBe(401);
      }
      expect((await auditActions()).length).toBe(before);
      const answers: (string | undefined)[] = [];
      for (let i = 0; i < 7; i += 1) {
        answers.push(errorCode((await signIn({ username: 'kamau.priv', password: 'wrong password!' })).body));
      }
      expect(answers).toEqual([
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'ACCOUNT_LOCKED',
        'ACCOUNT_LOCKED',
        'ACCOUNT_LOCKED',
      ]);
      // Bounded: five failures and one lockout; attempts during the lockout write nothing.
      const written = (await auditActions()).slice(before);
      expect(written).toEqual([...Array<string>(5).fill('admin.sign_in_failed'), 'admin.locked_out']);
      expect(
        errorCode((await signIn({ username: 'kamau.priv', password: admin.password, totp: admin.nextTotp() })).body),
      ).toBe('ACCOUNT_LOCKED');
      now = new Date(now.getTime() + 16 * 60_000);
      expect((await signIn({ username: 'kamau.priv', password: admin.password, totp: admin.nextTotp() })).status).toBe(
        200,
      );
    });

    it('ends sessions when idle, when old, and at sign-out', async () => {
      const admin = await server.provision('achieng.aud', ['auditor']);
      const open = async (): Promise<string> => {
        now = new Date((step(now) + 2) * 30_000);
        const answer = await signIn({ username: 'achieng.aud', password: admin.password, totp: admin.nextTotp() });
        return field<{ token: string }>(answer.body, 'session').token;
      };
      const devices = (token: string) => request(server.url, 'GET', '/v1/admin/devices', { token });
      const idle = await open();
      expect((await devices(idle)).body).toMatchObject({ devices: expect.any(Array) as unknown });
      now = new Date(now.getTime() + 16 * 60_000);
      expect(errorCode((await devices(idle)).body)).toBe('SESSION_EXPIRED');
      const old = await open();
      // Used every 10 minutes it never idles out, but it ends 60 minutes after sign-in.
      for (let i = 0; i < 5; i += 1) {
        now = new Date(now.getTime() + 10 * 60_000);
        expect((await devices(old)).status).toBe(200);
      }
      now = new Date(now.getTime() + 11 * 60_000);
      expect(errorCode((await devices(old)).body)).toBe('SESSION_EXPIRED');
      const signedOut = await open();
      expect((await request(server.url, 'POST', '/v1/admin/session/sign-out', { token: signedOut })).status).toBe(204);
      expect(errorCode((await devices(signedOut)).body)).toBe('SESSION_EXPIRED');
    });

    it('records every authentication and administrator event in a sound chain, without user names', async () => {
      const actions = new Set(await auditActions());
      for (const action of [
        'admin.created',
        'admin.totp_enrolment_started',
        'admin.totp_enrolled',
        'admin.signed_in',
        'admin.sign_in_failed',
        'admin.locked_out',
        'admin.signed_out',
        'proposal.created',
        'proposal.approved',
        'proposal.rejected',
        'enrolment.code_created',
        'device.enrolled',
      ]) {
        expect(actions, action).toContain(action);
      }
      const secrets = secretsFromKeyring(server.keyring);
      expect(await verifyServerAudit(database.db, (id) => secrets.signingPublicKey(id))).toMatchObject({ ok: true });
      const text = JSON.stringify(rowsOf(await database.db.execute(sql`SELECT * FROM server_audit`)));
      for (const name of ['alice', 'bob', 'wanjiku', 'otieno', 'kamau', 'nobody.here', 'new.sec']) {
        expect(text).not.toContain(name);
      }
    });
  });
}
