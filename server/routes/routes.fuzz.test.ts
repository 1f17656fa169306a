/**
 * Every route, fuzzed (fast-check) with what a hostile or broken client sends: random JSON, wrong types, extra and
 * prototype-pollution keys, huge strings, bytes that are not UTF-8, wrong content types, random query strings. The
 * answer is always a typed 4xx (never a 5xx), and nothing changes in the database. Administrator routes are fuzzed
 * with a valid session, so the bodies reach validation.
 */
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { SYNC_ERROR_CODES } from '../../shared/sync/errors';
import { openDatabase, type Database } from '../db/database';
import { rowsOf } from '../db/rows';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

interface Answer {
  readonly status: number;
  readonly code: string | undefined;
}

function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { code?: string } }).error?.code;
        } catch {
          code = undefined;
        }
        resolve({ status: res.statusCode ?? 0, code });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const hostileValue = fc.oneof(
  fc.jsonValue(),
  fc.string({ minLength: 70_000, maxLength: 70_001 }),
  fc.constant({ __proto__: { admin: true } }),
  fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown),
  fc.record({ version: fc.oneof(fc.integer(), fc.string()), cutoffs: fc.jsonValue(), extra: fc.jsonValue() }),
);

describe('every route under fuzzing', () => {
  let database: Database;
  let server: TestServer;
  let deviceToken: string;

  const counts = async (): Promise<string> =>
    JSON.stringify(
      rowsOf(
        await database.db.execute(sql`SELECT
          (SELECT count(*) FROM devices) AS devices, (SELECT count(*) FROM audit_entries) AS entries,
          (SELECT count(*) FROM feed_items) AS feed, (SELECT count(*) FROM proposals) AS proposals,
          (SELECT count(*) FROM enrolment_codes) AS codes, (SELECT count(*) FROM admins) AS admins,
          (SELECT count(*) FROM auth_challenges) AS challenges`),
      ),
    );

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    server = await startTestServer(database);
    const device = new SimDevice();
    await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'NBO-01'));
    deviceToken = device.state.token(new Date(), 0) ?? '';
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('answers hostile bodies on every POST route with a typed 4xx and changes nothing', async () => {
    // Sign-out takes no body and would end the session the other cases use.
    const posts = server.routes.filter((r) => r.method === 'POST' && !r.url.endsWith('/sign-out'));
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...posts),
        hostileValue,
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
        ),
        fc.boolean(),
        async (route, value, contentType, brokenBytes) => {
          const path = route.url.replace(':deviceId', 'DEV-0000000000000000').replace(':proposalId', '999999');
          const token = route.access === 'device' ? deviceToken : server.adminToken;
          const text = JSON.stringify(value) ?? 'null';
          const body = brokenBytes
            ? Buffer.concat([Buffer.from(text.slice(0, 20)), Buffer.from([0xff, 0xfe, 0xc3])])
            : Buffer.from(text);
          const answer = await send(
            server.port,
            'POST',
            path,
            { 'content-type': contentType, authorization: `Bearer ${token}`, 'content-length': String(body.length) },
            body,
          );
          expect(answer.status, `${route.url} ${contentType}`).toBeGreaterThanOrEqual(400);
          expect(answer.status, `${route.url} ${contentType}`).toBeLessThan(500);
          expect(SYNC_ERROR_CODES).toContain(answer.code);
        },
      ),
      { numRuns: 250 },
    );
    expect(await counts()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('answers random query strings on every GET route with 200 or a typed 4xx', async () => {
    const gets = server.routes.filter((r) => r.method === 'GET');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...gets),
        fc.dictionary(
          fc.constantFrom('after', 'limit', 'before', 'status', 'since', 'deviceId', 'action', 'x'),
          fc.string({ maxLength: 30 }),
        ),
        async (route, query) => {
          const token = route.access === 'device' ? deviceToken : server.adminToken;
          const qs = new URLSearchParams(query).toString();
          const answer = await send(server.port, 'GET', `${route.url}${qs === '' ? '' : `?${qs}`}`, {
            authorization: `Bearer ${token}`,
          });
          expect(answer.status).toBeLessThan(500);
          if (answer.status >= 400) {
            expect(SYNC_ERROR_CODES).toContain(answer.code);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
