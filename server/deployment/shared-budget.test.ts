/**
 * Two API instances over one database (as behind the proxy in production) spend from one per-device budget: the
 * requests of one device, split across both and sent at once, are served up to exactly the budget and refused
 * after it. With an in-process counter each instance would have allowed the full budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database';
import { generateKeyring } from '../security/keyring';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { errorCode, request } from '../testing/http';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

const BUDGET = 7;

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(
    `per-device budget shared by two instances on ${targetTitle(target)}`,
    () => {
      let database: Database;
      const servers: TestServer[] = [];

      beforeAll(async () => {
        database = await target.open();
        const keyring = generateKeyring();
        // One fixed clock for both: the requests all fall in one budget window, wherever the minute boundary is.
        const at = new Date();
        for (let i = 0; i < 2; i += 1) {
          servers.push(
            await startTestServer(database, { keyring, now: () => at, rateLimitPerDevicePerMinute: BUDGET }),
          );
        }
      });
      afterAll(async () => {
        for (const server of servers) {
          await server.close();
        }
        await database.close();
      });

      it('refuses at exactly the budget however the requests are spread', async () => {
        const [one, two] = servers;
        if (one === undefined || two === undefined) {
          throw new Error('servers not started');
        }
        const device = new SimDevice();
        await device.client(one.url).enrol(one.url, await enrolmentCode(one, 'NBO-01'));
        const token = device.state.token(new Date(), 0);
        const other = new SimDevice();
        await other.client(two.url).enrol(two.url, await enrolmentCode(two, 'NBO-01'));

        const answers = await Promise.all(
          Array.from({ length: 3 * BUDGET }, (_, i) =>
            request((i % 2 === 0 ? one : two).url, 'GET', '/v1/sync/pull', { token }),
          ),
        );
        const served = answers.filter((a) => a.status === 200);
        const refused = answers.filter((a) => a.status === 429 && errorCode(a.body) === 'RATE_LIMITED');
        expect(served).toHaveLength(BUDGET);
        expect(refused).toHaveLength(2 * BUDGET);
        // Both instances refuse from now on, and another device's budget is its own.
        for (const server of servers) {
          expect((await request(server.url, 'GET', '/v1/sync/pull', { token })).status).toBe(429);
          const fresh = other.state.token(new Date(), 0);
          expect((await request(server.url, 'GET', '/v1/sync/pull', { token: fresh })).status).toBe(200);
        }
      });
    },
  );
}
