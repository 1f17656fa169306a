/**
 * Recovery codes and re-enrolment with them (shared/sync/recovery.ts), over HTTP on PGlite and PostgreSQL: only a
 * security administrator issues one, only the device it names can use it, with its own key, and a refusal leaves
 * the code and the device as they were.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnrolResponseSchema } from '../../shared/sync/auth';
import { enrolmentMessage } from '../../shared/sync/messages';
import { RecoveryCodeCreatedSchema } from '../../shared/sync/recovery';
import type { Database } from '../db/database';
import { devices, enrolmentCodes, serverAudit } from '../db/schema';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { errorCode, field, request } from '../testing/http';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

function enrolBody(device: SimDevice, code: string): Record<string, string> {
  const { deviceId, publicKey } = device.key;
  return { code, deviceId, publicKey, signature: device.key.sign(enrolmentMessage(code, deviceId, publicKey)) };
}

/** Raw HTTP, so an attacker's spelling of the path reaches the server as written (fetch would normalise it). */
function raw(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: 'POST', path, headers: { ...headers, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.message === 'socket hang up' ? resolve(0) : reject(error),
    );
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.end('{}');
  });
}

const CODE_FORMAT = /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/;

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`device recovery codes on ${targetTitle(target)}`, () => {
    let database: Database;
    let server: TestServer;
    let now = new Date('2026-11-25T08:00:00.000Z');

    beforeAll(async () => {
      database = await target.open();
      server = await startTestServer(database, { now: () => now });
    });
    afterAll(async () => {
      await server.close();
      await database.close();
    });

    const enrolled = async (branchId = 'NBO-01'): Promise<{ device: SimDevice; token: string }> => {
      const device = new SimDevice();
      const answer = await request(server.url, 'POST', '/v1/enrol', {
        body: enrolBody(device, await enrolmentCode(server, branchId)),
      });
      expect(answer.status).toBe(201);
      return { device, token: field<string>(field(answer.body, 'accessToken'), 'token') };
    };
    const recoveryCode = async (deviceId: string, ttlMinutes?: number): Promise<string> => {
      const created = await server.admin(
        'POST',
        `/v1/admin/devices/${deviceId}/recovery-code`,
        ttlMinutes === undefined ? {} : { ttlMinutes },
      );
      expect(created.status).toBe(201);
      return RecoveryCodeCreatedSchema.parse(created.body).code;
    };
    const deviceRow = async (deviceId: string) =>
      (await database.db.select().from(devices).where(eq(devices.deviceId, deviceId)))[0];
    const codeRow = async (code: string) =>
      (
        await database.db
          .select()
          .from(enrolmentCodes)
          .where(eq(enrolmentCodes.codeHash, createHash('sha256').update(code).digest('hex')))
      )[0];
    const audited = async (action: string, subject: string) =>
      database.db
        .select()
        .from(serverAudit)
        .where(and(eq(serverAudit.action, action), eq(serverAudit.subject, subject)));
    const revoke = async (deviceId: string): Promise<void> => {
      expect((await server.publish('POST', `/v1/admin/devices/${deviceId}/revoke`)).status).toBe(201);
    };

    it('a security administrator issues a code bound to the device, stored as its hash only, and audited', async () => {
      const { device } = await enrolled('MSA-02');
      const created = await server.admin('POST', `/v1/admin/devices/${device.deviceId}/recovery-code`, {
        ttlMinutes: 30,
      });
      expect(created.status).toBe(201);
      const body = RecoveryCodeCreatedSchema.parse(created.body);
      expect(body).toMatchObject({ deviceId: device.deviceId, branchId: 'MSA-02' });
      expect(body.code).toMatch(CODE_FORMAT);
      expect(body.expiresAt).toBe(new Date(now.getTime() + 30 * 60_000).toISOString());
      const row = await codeRow(body.code);
      expect(row).toMatchObject({ deviceId: device.deviceId, branchId: 'MSA-02', usedAt: null, usedBy: null });
      expect(JSON.stringify(row)).not.toContain(body.code);
      const [entry] = await audited('device.recovery_code_created', device.deviceId);
      expect(entry?.actor).toBe(server.alice.adminId);
      expect(JSON.parse(entry?.payload ?? '{}')).toEqual({ branchId: 'MSA-02', expiresAt: body.expiresAt });

      const unknown = await server.admin('POST', `/v1/admin/devices/DEV-${'A'.repeat(16)}/recovery-code`, {});
      expect(unknown.status).toBe(404);
      expect(errorCode(unknown.body)).toBe('NOT_FOUND');
      for (const ttlMinutes of [0, 24 * 60 + 1, 1.5]) {
        const bad = await server.admin('POST', `/v1/admin/devices/${device.deviceId}/recovery-code`, { ttlMinutes });
        expect(bad.status, String(ttlMinutes)).toBe(400);
      }
    });

    it('refuses anyone but a security administrator, under any spelling of the path', async () => {
      const { device, token } = await enrolled();
      const before = await database.db.$count(enrolmentCodes);
      const path = `/v1/admin/devices/${device.deviceId}/recovery-code`;
      const auditor = await server.addAdmin('njeri.aud', ['auditor', 'release-manager', 'privacy-officer']);
      const forbidden = await auditor.request('POST', path, {});
      expect(forbidden.status).toBe(403);
      expect(errorCode(forbidden.body)).toBe('FORBIDDEN');
      const anonymous = await request(server.url, 'POST', path, { body: {} });
      expect(anonymous.status).toBe(401);
      expect((await request(server.url, 'POST', path, { body: {}, token })).status).toBe(401);
      // The canonical path answers with the right credentials, so the refusals below are about credentials.
      expect(await raw(server.port, path, { authorization: `Bearer ${server.adminToken}` })).toBe(201);
      const spellings = [
        path.replace('/admin/', '/%61dmin/'),
        path.replace('/admin/', '/%41DMIN/'),
        path.replace('recovery-code', 'recovery%2Dcode'),
        path.replace('/devices/', '/./devices/'),
        path.replace('/v1/', '/x/../v1/'),
        path.replace('/v1/', '//v1/'),
        `${path}/`,
        `${path};x`,
        path.toUpperCase(),
      ];
      for (const spelling of spellings) {
        const attempts: Record<string, string>[] = [
          {},
          { authorization: `Bearer ${token}` },
          { authorization: 'Bearer ' },
        ];
        for (const headers of attempts) {
          const status = await raw(server.port, spelling, headers);
          expect(status < 200 || status >= 300, `${spelling} answered ${status}`).toBe(true);
        }
      }
      expect(await database.db.$count(enrolmentCodes)).toBe(before + 1);
    });

    it('re-enrolment with the code reinstates the revoked device with its own key, audited, and a retry repeats it', async () => {
      const { device } = await enrolled();
      await revoke(device.deviceId);
      now = new Date(now.getTime() + 60_000);
      const code = await recoveryCode(device.deviceId);
      const recovered = await request(server.url, 'POST', '/v1/enrol', { body: enrolBody(device, code) });
      expect(recovered.status).toBe(201);
      const answer = EnrolResponseSchema.parse(recovered.body);
      expect(answer).toMatchObject({ deviceId: device.deviceId, branchId: 'NBO-01' });
      const row = await deviceRow(device.deviceId);
      expect(row?.revokedAt).toBeNull();
      expect(row?.recoveredAt?.toISOString()).toBe(now.toISOString());
      expect(row?.lastContactAt?.toISOString()).toBe(now.toISOString());
      expect((await codeRow(code))?.usedBy).toBe(device.deviceId);
      const entries = await audited('device.recovered', device.deviceId);
      expect(entries).toHaveLength(1);
      expect(entries[0]?.actor).toBe(device.deviceId);
      expect(JSON.parse(entries[0]?.payload ?? '{}')).toEqual({ branchId: 'NBO-01' });
      // The token of the answer opens the device surface again.
      const page = await request(server.url, 'GET', '/v1/sync/chain?after=0', { token: answer.accessToken.token });
      expect(page.status).toBe(200);

      // The answer was lost: the same device, same code, gets the same enrolment, recorded once.
      const retry = await request(server.url, 'POST', '/v1/enrol', { body: enrolBody(device, code) });
      expect(retry.status).toBe(201);
      expect(EnrolResponseSchema.parse(retry.body).deviceId).toBe(device.deviceId);
      expect(await audited('device.recovered', device.deviceId)).toHaveLength(1);

      // Revoked again, the used code does not lift it a second time.
      await revoke(device.deviceId);
      const reused = await request(server.url, 'POST', '/v1/enrol', { body: enrolBody(device, code) });
      expect(reused.status).toBe(401);
      expect(errorCode(reused.body)).toBe('ENROLMENT_CODE_INVALID');
      expect((await deviceRow(device.deviceId))?.revokedAt).not.toBeNull();
    });

    it('refuses another device, another key and an expired code without using the code or changing the device', async () => {
      const { device } = await enrolled();
      await revoke(device.deviceId);
      const code = await recoveryCode(device.deviceId, 5);
      const before = await deviceRow(device.deviceId);
      const { device: other } = await enrolled();
      const otherBefore = await deviceRow(other.deviceId);
      const stranger = new SimDevice();

      for (const attempt of [other, stranger]) {
        const refused = await request(server.url, 'POST', '/v1/enrol', { body: enrolBody(attempt, code) });
        expect(refused.status).toBe(401);
        expect(errorCode(refused.body)).toBe('ENROLMENT_CODE_INVALID');
      }
      // The device's id with a stranger's key: the id is not derived from that key.
      const borrowed = {
        code,
        deviceId: device.deviceId,
        publicKey: stranger.key.publicKey,
        signature: stranger.key.sign(enrolmentMessage(code, device.deviceId, stranger.key.publicKey)),
      };
      const mismatched = await request(server.url, 'POST', '/v1/enrol', { body: borrowed });
      expect(mismatched.status).toBe(400);
      expect(errorCode(mismatched.body)).toBe('INVALID_INPUT');
      // The right body signed by another key.
      const forged = { ...enrolBody(device, code), signature: stranger.key.sign('x') };
      expect(errorCode((await request(server.url, 'POST', '/v1/enrol', { body: forged })).body)).toBe(
        'SIGNATURE_INVALID',
      );

      expect(await deviceRow(device.deviceId)).toEqual(before);
      expect(await deviceRow(other.deviceId)).toEqual(otherBefore);
      expect(await deviceRow(stranger.deviceId)).toBeUndefined();
      expect(await codeRow(code)).toMatchObject({ usedAt: null, usedBy: null });
      expect(await audited('device.recovered', device.deviceId)).toHaveLength(0);

      now = new Date(now.getTime() + 6 * 60_000);
      const late = await request(server.url, 'POST', '/v1/enrol', { body: enrolBody(device, code) });
      expect(late.status).toBe(401);
      expect(errorCode(late.body)).toBe('ENROLMENT_CODE_INVALID');
      expect(await deviceRow(device.deviceId)).toEqual(before);
      expect(await codeRow(code)).toMatchObject({ usedAt: null, usedBy: null });

      // None of the refusals burnt a fresh code: the device itself can still use one.
      const fresh = await recoveryCode(device.deviceId);
      expect((await request(server.url, 'POST', '/v1/enrol', { body: enrolBody(device, fresh) })).status).toBe(201);
    });

    it('refuses when the stored key is not the one presented, leaving the code unused', async () => {
      const { device } = await enrolled();
      await revoke(device.deviceId);
      const code = await recoveryCode(device.deviceId);
      // A stored key other than the presented one (which the id check alone cannot tell apart): never reinstated.
      const otherKey = new SimDevice().key.publicKey;
      await database.db.update(devices).set({ publicKey: otherKey }).where(eq(devices.deviceId, device.deviceId));
      const refused = await request(server.url, 'POST', '/v1/enrol', { body: enrolBody(device, code) });
      expect(refused.status).toBe(401);
      expect(errorCode(refused.body)).toBe('ENROLMENT_CODE_INVALID');
      expect((await deviceRow(device.deviceId))?.revokedAt).not.toBeNull();
      expect(await codeRow(code)).toMatchObject({ usedAt: null, usedBy: null });
    });

    it('a plain enrolment code never reinstates an enrolled device, and stays usable', async () => {
      const { device } = await enrolled();
      await revoke(device.deviceId);
      const code = await enrolmentCode(server, 'NBO-01');
      const refused = await request(server.url, 'POST', '/v1/enrol', { body: enrolBody(device, code) });
      expect(refused.status).toBe(409);
      expect(errorCode(refused.body)).toBe('ALREADY_ENROLLED');
      const row = await deviceRow(device.deviceId);
      expect(row?.revokedAt).not.toBeNull();
      expect(row?.recoveredAt).toBeNull();
      expect(await codeRow(code)).toMatchObject({ usedAt: null });
      expect((await request(server.url, 'POST', '/v1/enrol', { body: enrolBody(new SimDevice(), code) })).status).toBe(
        201,
      );
    });
  });
}
