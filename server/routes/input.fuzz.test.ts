/**
 * Whatever a client sends, the device endpoints answer with a typed error code and change nothing: random JSON
 * values and near-miss push bodies (fast-check) against the real server on PGlite.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { SYNC_ERROR_CODES } from '../../shared/sync/errors';
import { openDatabase, type Database } from '../db/database';
import { rowsOf } from '../db/rows';
import { errorCode, request } from '../testing/http';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

describe('input validation (fuzz)', () => {
  let database: Database;
  let server: TestServer;
  let device: SimDevice;

  const counts = async (): Promise<string> =>
    JSON.stringify(
      rowsOf(
        await database.db.execute(sql`SELECT
          (SELECT count(*) FROM devices) AS devices, (SELECT count(*) FROM audit_entries) AS entries,
          (SELECT count(*) FROM countersigned_checkpoints) AS checkpoints, (SELECT count(*) FROM feed_items) AS feed,
          (SELECT count(*) FROM enrolment_codes WHERE used_at IS NOT NULL) AS used_codes`),
      ),
    );

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    server = await startTestServer(database);
    device = new SimDevice();
    await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'NBO-01'));
    device.append(5);
    await enrolmentCode(server, 'NBO-01');
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('refuses arbitrary JSON on every device endpoint with a typed code', async () => {
    const before = await counts();
    const token = device.state.token(new Date(), 0);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/v1/enrol', '/v1/auth/challenge', '/v1/auth/token', '/v1/sync/push'),
        fc.jsonValue(),
        async (path, body) => {
          const answer = await request(server.url, 'POST', path, { body, token });
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(SYNC_ERROR_CODES).toContain(errorCode(answer.body));
        },
      ),
      { numRuns: 150 },
    );
    expect(await counts()).toBe(before);
  });

  it('refuses near-miss pushes (one field wrong) without storing anything', async () => {
    const before = await counts();
    const token = device.state.token(new Date(), 0);
    const entries = device.entries.slice(0, 3);
    const mutations = fc.oneof(
      fc.record({ seq: fc.oneof(fc.constant(0), fc.constant(-1), fc.constant(1.5), fc.constant('1')) }),
      fc.record({ hash: fc.string({ maxLength: 70 }) }),
      fc.record({
        prevHash: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 63, maxLength: 63 }),
      }),
      fc.record({ payload: fc.constant('{"n":1}'), action: fc.constantFrom('Bad Action', 'x', '') }),
      fc.record({ extra: fc.jsonValue() }),
      fc.record({ attachment: fc.record({ kind: fc.string(), body: fc.jsonValue() }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 }), mutations, async (index, change) => {
        const body = {
          pushId: device.state.nextPushId(),
          head: device.head(),
          anchor: null,
          entries: entries.map((entry, i) => (i === index ? { ...entry, ...change } : entry)),
          checkpoints: [],
        };
        const answer = await request(server.url, 'POST', '/v1/sync/push', { body, token });
        expect([400, 409]).toContain(answer.status);
        expect(SYNC_ERROR_CODES).toContain(errorCode(answer.body));
      }),
      { numRuns: 150 },
    );
    expect(await counts()).toBe(before);
  });
});
