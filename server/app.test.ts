import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './db/database';
import { TEST_DATABASES, targetTitle } from './testing/databases';
import { errorCode, field, request } from './testing/http';
import { SimDevice } from './testing/sim-device';
import { enrolmentCode, startTestServer, type TestServer } from './testing/test-server';

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`central API basics on ${targetTitle(target)}`, () => {
    let database: Database;
    let server: TestServer;

    beforeAll(async () => {
      database = await target.open();
      server = await startTestServer(database, { rateLimitPerIpPerMinute: 40, rateLimitPerDevicePerMinute: 5 });
    });
    afterAll(async () => {
      await server.close();
      await database.close();
    });

    it('answers liveness and readiness (database reachable, migrations current)', async () => {
      const live = await request(server.url, 'GET', '/health');
      expect(live.status).toBe(200);
      expect(field(live.body, 'status')).toBe('ok');
      const ready = await request(server.url, 'GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(field(ready.body, 'status')).toBe('ready');
    });

    it('sends security headers and no CORS grant; refuses cross-origin requests', async () => {
      const live = await request(server.url, 'GET', '/health');
      expect(live.headers.get('x-content-type-options')).toBe('nosniff');
      expect(live.headers.get('cache-control')).toBe('no-store');
      expect(live.headers.get('access-control-allow-origin')).toBeNull();
      const cors = await request(server.url, 'GET', '/health', { headers: { origin: 'https://example.org' } });
      expect(cors.status).toBe(403);
      expect(errorCode(cors.body)).toBe('ORIGIN_REFUSED');
    });

    it('answers unknown routes and bad admin tokens with typed errors', async () => {
      expect(errorCode((await request(server.url, 'GET', '/nope')).body)).toBe('NOT_FOUND');
      const anonymous = await request(server.url, 'GET', '/v1/admin/devices');
      expect(anonymous.status).toBe(401);
      const wrong = await request(server.url, 'GET', '/v1/admin/devices', { token: 'nxa_wrong' });
      expect(errorCode(wrong.body)).toBe('UNAUTHENTICATED');
      const bad = await server.admin('POST', '/v1/admin/enrolment-codes', { branchId: 'lower case' });
      expect(bad.status).toBe(400);
      expect(errorCode(bad.body)).toBe('INVALID_INPUT');
    });

    it('limits requests per device with RATE_LIMITED', async () => {
      const device = new SimDevice();
      await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'NBO-01'));
      const token = device.state.token(new Date(), 0);
      const codes: (string | undefined)[] = [];
      for (let i = 0; i < 6; i += 1) {
        const answer = await request(server.url, 'GET', '/v1/sync/pull', { token });
        codes.push(answer.status === 200 ? 'ok' : errorCode(answer.body));
      }
      expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED']);
    });

    it('limits requests per IP with RATE_LIMITED', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 45; i += 1) {
        statuses.push((await request(server.url, 'GET', '/v1/sync/pull')).status);
      }
      expect(statuses).toContain(429);
      const limited = await request(server.url, 'GET', '/v1/sync/pull');
      expect(errorCode(limited.body)).toBe('RATE_LIMITED');
      // Liveness is exempt: a load balancer must always get an answer.
      expect((await request(server.url, 'GET', '/health')).status).toBe(200);
    });

    it('while draining, says not-ready and refuses every other route before it runs, whatever the spelling', async () => {
      const draining = await startTestServer(await target.open());
      expect((await request(draining.url, 'GET', '/health/ready')).status).toBe(200);
      draining.startDraining();
      const ready = await request(draining.url, 'GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({ status: 'not-ready', detail: 'draining: this instance is stopping' });
      expect((await request(draining.url, 'GET', '/health')).status).toBe(200);
      // Refused before authentication or rate limiting: an unauthenticated pull gets 503, not 401, and the answer
      // closes the connection so a proxy's keep-alive pool lets go of this instance. Spellings of the health paths
      // that are not those routes are refused too (the check is on the matched route, not the raw URL).
      for (const [method, path] of [
        ['GET', '/v1/sync/pull'],
        ['POST', '/v1/enrol'],
        ['POST', '/v1/sync/push'],
        ['GET', '/health/../v1/sync/pull'],
        ['GET', '/health%2Fready'],
        ['GET', '/v1/admin/devices'],
        ['GET', '/no-such-route'],
      ] as const) {
        const refused = await request(draining.url, method, path, method === 'POST' ? { body: {} } : {});
        expect({ path, status: refused.status, code: errorCode(refused.body) }).toEqual({
          path,
          status: 503,
          code: 'UNAVAILABLE',
        });
        expect(refused.headers.get('connection')).toBe('close');
        expect(refused.headers.get('retry-after')).toBe('1');
      }
      await draining.close();
    });

    it('reports not-ready once the database is gone', async () => {
      const other = await target.open();
      const doomed = await startTestServer(other);
      await other.close();
      const ready = await request(doomed.url, 'GET', '/health/ready');
      expect(ready.status).toBe(503);
      await doomed.close();
    });
  });
}

describe('edge hardening', () => {
  it('believes X-Forwarded-For only from the configured proxies', async () => {
    const database = await openDatabase({ kind: 'pglite' });
    const behindProxy = await startTestServer(database, { trustedProxies: ['127.0.0.1'], rateLimitPerIpPerMinute: 3 });
    const direct = await startTestServer(database, { rateLimitPerIpPerMinute: 3 });
    try {
      const hit = async (server: TestServer, client: string) =>
        (await request(server.url, 'GET', '/v1/sync/pull', { headers: { 'x-forwarded-for': client } })).status;
      // Behind the proxy each client has its own budget.
      expect([
        await hit(behindProxy, '192.0.2.1'),
        await hit(behindProxy, '192.0.2.1'),
        await hit(behindProxy, '192.0.2.1'),
      ]).not.toContain(429);
      expect(await hit(behindProxy, '192.0.2.1')).toBe(429);
      expect(await hit(behindProxy, '192.0.2.2')).toBe(401);
      // Without a configured proxy the header is ignored: a client cannot pick a fresh budget by forging it.
      const statuses: number[] = [];
      for (const client of ['192.0.2.11', '192.0.2.12', '192.0.2.13', '192.0.2.14', '192.0.2.15']) {
        statuses.push(await hit(direct, client));
      }
      expect(statuses).toContain(429);
    } finally {
      await behindProxy.close();
      await direct.close();
      await database.close();
    }
  });

  it('answers a malformed enrolment public key with 400, not 500', async () => {
    const database = await openDatabase({ kind: 'pglite' });
    const server = await startTestServer(database);
    try {
      const code = await enrolmentCode(server, 'NBO-01');
      const answer = await request(server.url, 'POST', '/v1/enrol', {
        body: {
          code,
          deviceId: 'DEV-0123456789ABCDEF',
          publicKey: `${'A'.repeat(59)}=`,
          signature: `${'A'.repeat(86)}==`,
        },
      });
      expect(answer.status).toBe(400);
      expect(errorCode(answer.body)).toBe('INVALID_INPUT');
    } finally {
      await server.close();
      await database.close();
    }
  });
});
