import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolmentMessage, tokenRequestMessage } from '../../shared/sync/messages';
import type { Database } from '../db/database';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { errorCode, field, request } from '../testing/http';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

function enrolBody(device: SimDevice, code: string): Record<string, string> {
  const { deviceId, publicKey } = device.key;
  return { code, deviceId, publicKey, signature: device.key.sign(enrolmentMessage(code, deviceId, publicKey)) };
}

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`enrolment and tokens on ${targetTitle(target)}`, () => {
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

    it('enrols a device once with a one-time code and issues an access token', async () => {
      const device = new SimDevice();
      const code = await enrolmentCode(server, 'NBO-01');
      const enrolled = await request(server.url, 'POST', '/v1/enrol', { body: enrolBody(device, code) });
      expect(enrolled.status).toBe(201);
      expect(field(enrolled.body, 'deviceId')).toBe(device.deviceId);
      expect(field(enrolled.body, 'branchId')).toBe('NBO-01');
      const other = await request(server.url, 'POST', '/v1/enrol', { body: enrolBody(new SimDevice(), code) });
      expect(other.status).toBe(401);
      expect(errorCode(other.body)).toBe('ENROLMENT_CODE_INVALID');
      // The same device retrying after a lost answer gets its enrolment again.
      const retry = await request(server.url, 'POST', '/v1/enrol', { body: enrolBody(device, code) });
      expect(retry.status).toBe(201);
    });

    it('refuses an expired code, a signature by another key and a malformed body, changing nothing', async () => {
      const device = new SimDevice();
      const expired = await enrolmentCode(server, 'NBO-01');
      now = new Date(now.getTime() + 2 * 3600_000);
      const late = await request(server.url, 'POST', '/v1/enrol', { body: enrolBody(device, expired) });
      expect(errorCode(late.body)).toBe('ENROLMENT_CODE_INVALID');

      const code = await enrolmentCode(server, 'NBO-01');
      const forged = { ...enrolBody(device, code), signature: new SimDevice().key.sign('x') };
      expect(errorCode((await request(server.url, 'POST', '/v1/enrol', { body: forged })).body)).toBe(
        'SIGNATURE_INVALID',
      );
      const extra = { ...enrolBody(device, code), admin: true };
      const refused = await request(server.url, 'POST', '/v1/enrol', { body: extra });
      expect(refused.status).toBe(400);
      expect(errorCode(refused.body)).toBe('INVALID_INPUT');
      // The code survived both refusals.
      expect((await request(server.url, 'POST', '/v1/enrol', { body: enrolBody(device, code) })).status).toBe(201);
    });

    it('refreshes a token by signing a one-time challenge, refuses expired tokens and revoked devices', async () => {
      const device = new SimDevice();
      const code = await enrolmentCode(server, 'MSA-02');
      await request(server.url, 'POST', '/v1/enrol', { body: enrolBody(device, code) });
      const challenge = await request(server.url, 'POST', '/v1/auth/challenge', {
        body: { deviceId: device.deviceId },
      });
      const nonce = field<string>(challenge.body, 'nonce');
      const signature = device.key.sign(tokenRequestMessage(device.deviceId, nonce));
      const issued = await request(server.url, 'POST', '/v1/auth/token', {
        body: { deviceId: device.deviceId, nonce, signature },
      });
      expect(issued.status).toBe(200);
      const token = field<string>(issued.body, 'token');
      const replay = await request(server.url, 'POST', '/v1/auth/token', {
        body: { deviceId: device.deviceId, nonce, signature },
      });
      expect(errorCode(replay.body)).toBe('CHALLENGE_INVALID');

      expect((await request(server.url, 'GET', '/v1/sync/pull', { token })).status).toBe(200);
      expect(errorCode((await request(server.url, 'GET', '/v1/sync/pull', { token: `${token}x` })).body)).toBe(
        'UNAUTHENTICATED',
      );
      now = new Date(now.getTime() + 11 * 60_000);
      expect(errorCode((await request(server.url, 'GET', '/v1/sync/pull', { token })).body)).toBe('TOKEN_EXPIRED');

      await server.publish('POST', `/v1/admin/devices/${device.deviceId}/revoke`);
      const challenge2 = await request(server.url, 'POST', '/v1/auth/challenge', {
        body: { deviceId: device.deviceId },
      });
      const nonce2 = field<string>(challenge2.body, 'nonce');
      const refused = await request(server.url, 'POST', '/v1/auth/token', {
        body: {
          deviceId: device.deviceId,
          nonce: nonce2,
          signature: device.key.sign(tokenRequestMessage(device.deviceId, nonce2)),
        },
      });
      expect(refused.status).toBe(403);
      expect(errorCode(refused.body)).toBe('DEVICE_REVOKED');
    });

    it('a revoked device is refused with a still-valid token, and its client stops', async () => {
      const device = new SimDevice();
      const client = device.client(server.url);
      await client.enrol(server.url, await enrolmentCode(server, 'NBO-01'));
      device.append(3);
      await client.syncOnce();
      await server.publish('POST', `/v1/admin/devices/${device.deviceId}/revoke`);
      device.append(1);
      await expect(client.syncOnce()).rejects.toMatchObject({ code: 'DEVICE_REVOKED', retryable: false });
      expect(device.state.revoked).toBe(true);
    });
  });
}
