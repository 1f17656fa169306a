/**
 * The security boundary, tried from the attacker's side. Every registered route is classified (public, device,
 * admin) and the public set is exactly what it should be; a misclassified route cannot be registered. For every
 * route that needs credentials, many spellings of its path (percent-encoding, case, `//`, `/./`, `%2e`, `;param`,
 * encoded slashes, trailing slash) and random ones (fast-check) never get a 2xx without credentials, nor with the
 * wrong kind of credentials. Runs on PGlite and PostgreSQL.
 */
import { request as httpRequest } from 'node:http';
import Fastify from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { rowsOf } from '../db/rows';
import { enforceSurface, trackRoutes, type RegisteredRoute } from '../http/access';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

const PUBLIC_ROUTES = [
  'GET /health',
  'HEAD /health',
  'GET /health/ready',
  'HEAD /health/ready',
  'POST /v1/enrol',
  'POST /v1/auth/challenge',
  'POST /v1/auth/token',
  'POST /v1/auth/admin/sign-in',
  'POST /v1/auth/admin/totp',
].sort();

/**
 * Raw HTTP, so the path reaches the server exactly as spelled (fetch would normalise it). A connection the server
 * closes without an answer (its HTTP parser refusing the request line) counts as status 0: a refusal.
 */
function raw(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.message === 'socket hang up' ? resolve(0) : reject(error),
    );
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

const encode = (c: string): string => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** The spellings a reviewer would try by hand. */
function spellings(path: string): string[] {
  const out = new Set<string>();
  for (let i = 1; i < path.length; i += 1) {
    const c = path[i] ?? '';
    if (c !== '/') {
      out.add(path.slice(0, i) + encode(c) + path.slice(i + 1));
      out.add(path.slice(0, i) + encode(c).toUpperCase() + path.slice(i + 1));
    }
  }
  out.add(path.replace(/[^/]/g, (c) => encode(c)));
  out.add(path.toUpperCase());
  out.add(path.replace(/[a-z]/, (c) => c.toUpperCase()));
  out.add(path.replace('/', '//'));
  out.add(path.replaceAll('/', '//'));
  out.add(`${path}/`);
  out.add(path.replace(/\/([^/]+)$/, '/./$1'));
  out.add(path.replace('/v1/', '/v1/./'));
  out.add(path.replace('/v1/', '/v1/%2e/'));
  out.add(path.replace('/v1/', '/x/../v1/'));
  out.add(path.replace('/v1/', '/x/%2e%2e/v1/'));
  out.add(`${path};param`);
  out.add(`${path};jsessionid=1`);
  out.add(path.replace(/\/([^/]+)$/, '%2f$1'));
  out.add(path.replace(/\/([^/]+)$/, '%2F$1'));
  out.add(path.replaceAll('/', '\\'));
  out.add(`${path}?`);
  out.add(`${path}#x`);
  out.add(`${path}%00`);
  out.add(`${path}%20`);
  return [...out];
}

/** A concrete path for a route pattern. */
function concrete(url: string, deviceId: string): string {
  return url
    .replace(':deviceId', deviceId)
    .replace(':proposalId', '1')
    .replace(':channel', 'pilot')
    .replace(':file', 'latest.yml');
}

describe('route classification is structural', () => {
  it('refuses to register a route whose declared access differs from its surface, or without roles on admin', async () => {
    const app = Fastify();
    await app.register(async (scope) => {
      enforceSurface(scope, 'admin');
      expect(() => scope.get('/x', { config: { access: 'public' } }, () => 'x')).toThrow(/admin surface/);
      expect(() => scope.get('/y', { config: { access: 'admin' } }, () => 'y')).toThrow(/without roles/);
    });
    await app.close();
  });

  it('refuses to start with an unclassified route', async () => {
    const app = Fastify();
    trackRoutes(app);
    app.get('/forgotten', () => 'open');
    await expect(app.ready()).rejects.toThrow(/Unclassified routes: GET \/forgotten/);
    await app.close();
  });
});

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`security boundary on ${targetTitle(target)}`, () => {
    let database: Database;
    let server: TestServer;
    let deviceToken: string;
    let device: SimDevice;
    let guarded: RegisteredRoute[];

    const counts = async (): Promise<string> =>
      JSON.stringify(
        rowsOf(
          await database.db.execute(sql`SELECT
            (SELECT count(*) FROM devices) AS devices, (SELECT count(*) FROM feed_items) AS feed,
            (SELECT count(*) FROM proposals) AS proposals, (SELECT count(*) FROM enrolment_codes) AS codes,
            (SELECT count(*) FROM server_audit) AS audit, (SELECT count(*) FROM admin_sessions) AS sessions,
            (SELECT count(*) FROM auth_challenges) AS challenges, (SELECT count(*) FROM failures) AS failures,
            (SELECT count(*) FROM device_reports) AS reports`),
        ),
      );

    beforeAll(async () => {
      database = await target.open();
      server = await startTestServer(database);
      device = new SimDevice();
      await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'NBO-01'));
      deviceToken = device.state.token(new Date(), 0) ?? '';
      guarded = server.routes.filter((r) => r.access !== 'public');
    });
    afterAll(async () => {
      await server.close();
      await database.close();
    });

    it('classifies every route; the public ones are exactly the expected set', () => {
      expect(server.routes.length).toBeGreaterThan(20);
      for (const route of server.routes) {
        expect(['public', 'device', 'admin'], `${route.method} ${route.url}`).toContain(route.access);
        if (route.access === 'admin') {
          expect(route.url.startsWith('/v1/admin/')).toBe(true);
          expect(route.roles?.length ?? 0).toBeGreaterThan(0);
        }
        if (route.access === 'device') {
          expect(route.url.startsWith('/v1/sync/')).toBe(true);
        }
      }
      const publicRoutes = server.routes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`);
      expect(publicRoutes.sort()).toEqual(PUBLIC_ROUTES);
    });

    it('answers the canonical paths with credentials (so the refusals below mean something)', async () => {
      expect(await raw(server.port, 'GET', '/v1/admin/devices', { authorization: `Bearer ${server.adminToken}` })).toBe(
        200,
      );
      expect(await raw(server.port, 'GET', '/v1/sync/pull', { authorization: `Bearer ${deviceToken}` })).toBe(200);
      expect(
        await raw(server.port, 'GET', '/v1/%61dmin/devices', { authorization: `Bearer ${server.adminToken}` }),
      ).toBe(200);
    });

    it('never answers 2xx to any hand-made spelling of a guarded path without credentials', async () => {
      const before = await counts();
      let tried = 0;
      for (const route of guarded) {
        if (route.method === 'HEAD') {
          continue;
        }
        for (const path of spellings(concrete(route.url, device.deviceId))) {
          const status = await raw(server.port, route.method, path, {}, route.method === 'POST' ? '{}' : undefined);
          expect(status < 200 || status >= 300, `${route.method} ${path} answered ${status}`).toBe(true);
          tried += 1;
        }
      }
      expect(tried).toBeGreaterThan(500);
      expect(await counts()).toBe(before);
    });

    it('refuses the wrong kind of credentials: a device token on admin routes, an admin session on device routes', async () => {
      for (const route of guarded) {
        if (route.method === 'HEAD') {
          continue;
        }
        const token = route.access === 'admin' ? deviceToken : server.adminToken;
        const path = concrete(route.url, device.deviceId);
        const status = await raw(
          server.port,
          route.method,
          path,
          { authorization: `Bearer ${token}` },
          route.method === 'POST' ? '{}' : undefined,
        );
        expect(status, `${route.method} ${path}`).toBe(401);
      }
    });

    it('checks credentials before reading a body: a large unauthenticated upload is a 401, not a 413', async () => {
      const big = `{"version":"1","files":{"manifest.json":"${'A'.repeat(4_000_000)}"}}`;
      expect(await raw(server.port, 'POST', '/v1/admin/model-releases', {}, big)).toBe(401);
      expect(await raw(server.port, 'POST', '/v1/enrol', {}, big)).toBe(413);
    });

    it('never answers 2xx to random spellings of guarded paths (property)', async () => {
      const targets = guarded
        .filter((r) => r.method !== 'HEAD')
        .map((r) => ({ ...r, path: concrete(r.url, device.deviceId) }));
      const mangle = (path: string, choices: readonly number[], suffix: string): string => {
        let out = '';
        [...path].forEach((c, i) => {
          const choice = choices[i % choices.length] ?? 0;
          if (c === '/') {
            out += choice === 1 ? '//' : choice === 2 ? '/./' : choice === 3 ? '/%2e/' : '/';
          } else if (choice === 1) {
            out += encode(c);
          } else if (choice === 2) {
            out += encode(c).toUpperCase();
          } else if (choice === 3) {
            out += c.toUpperCase();
          } else {
            out += c;
          }
        });
        return out + suffix;
      };
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...targets),
          fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }),
          fc.constantFrom('', '/', ';x', '?a=1', '%2f', '/..', '%00'),
          fc.constantFrom<Record<string, string>>(
            {},
            { authorization: 'Bearer ' },
            { authorization: 'Bearer nxs_' },
            { authorization: `Bearer ${deviceToken}x` },
            { authorization: 'Basic YWRtaW46YWRtaW4=' },
          ),
          async (route, choices, suffix, headers) => {
            const path = mangle(route.path, choices, suffix);
            const status = await raw(
              server.port,
              route.method,
              path,
              headers,
              route.method === 'POST' ? '{}' : undefined,
            );
            return status < 200 || status >= 300;
          },
        ),
        { numRuns: 300 },
      );
    });
  });
}
