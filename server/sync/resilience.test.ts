/**
 * Thousands of randomised exchanges through the fault-injecting proxy (drop, duplicate, delay, late replay, cut
 * response) with server restarts in the middle of batches, then healing. Asserts: every acknowledged entry is stored
 * exactly once, each device's central chain equals its own, nothing is flagged falsely, no queue is stuck.
 * NEXIS_FAULT_SEED replays a run; NEXIS_SOAK_EXCHANGES (exchanges per database) makes it a longer soak.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { SyncError } from '../../electron/core/sync/types';
import { createHttpTransport } from '../../electron/core/sync/transport';
import { DeviceSummarySchema } from '../../shared/sync/admin';
import type { Database } from '../db/database';
import { auditEntries, chainIssues } from '../db/schema';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { FAULTS, startFaultProxy, type FaultProxy } from '../testing/fault-proxy';
import { field } from '../testing/http';
import { seededRandom } from '../testing/prng';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

const SEED = Number(process.env.NEXIS_FAULT_SEED ?? '20261125');
/** Default budget keeps the whole server suite near a minute: 2,000 exchanges, or 1,500 per database when both run. */
const RUNNING_TARGETS = TEST_DATABASES.filter((t) => t.skip === undefined).length;
const EXCHANGES = Number(process.env.NEXIS_SOAK_EXCHANGES ?? (RUNNING_TARGETS > 1 ? '1500' : '2000'));
const BRANCHES = ['NBO-01', 'NBO-01', 'MSA-02', 'KSM-03'];

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`sync under faults on ${targetTitle(target)}`, () => {
    let database: Database;
    let server: TestServer;
    let proxy: FaultProxy;

    beforeAll(async () => {
      database = await target.open();
      server = await startTestServer(database);
    });
    afterAll(async () => {
      await proxy.close();
      await server.close();
      await database.close();
    });

    it(`converges after ${EXCHANGES}+ faulty exchanges (seed ${SEED})`, { timeout: 600_000 }, async () => {
      const random = seededRandom(SEED);
      proxy = await startFaultProxy(server.port, {
        random,
        rates: { 'drop-request': 0.07, 'drop-response': 0.08, duplicate: 0.08, delay: 0.08, reorder: 0.08, cut: 0.06 },
      });
      const devices = BRANCHES.map(
        () =>
          new SimDevice({
            checkpointEvery: 25,
            batchSize: 8,
            transport: (url) => createHttpTransport(url, 5_000),
          }),
      );
      for (const [i, device] of devices.entries()) {
        const code = await enrolmentCode(server, BRANCHES[i] ?? 'NBO-01');
        // Enrolment crosses the faulty network too: a lost answer is retried with the same code.
        for (let attempt = 0; attempt < 20 && !device.state.enrolled; attempt += 1) {
          await device
            .client(proxy.url)
            .enrol(proxy.url, code)
            .catch(() => undefined);
        }
        expect(device.state.enrolled).toBe(true);
      }
      const acknowledged = devices.map(() => 0);
      let failures = 0;
      let restarts = 0;
      let centralRequests = 0;

      const restart = async (): Promise<void> => {
        const old = server;
        await old.close();
        // The same keyring: restarts keep the server's keys, which live outside the database.
        server = await startTestServer(database, { keyring: old.keyring });
        proxy.setTarget(server.port);
        restarts += 1;
      };

      // Every round makes at least one exchange per device, so the cap only guards against a broken proxy.
      for (let round = 1; proxy.stats.total < EXCHANGES && round <= EXCHANGES; round += 1) {
        for (const device of devices) {
          const n = Math.floor(random() * 14);
          if (random() < 0.1) {
            // A branch's withdrawal reaches the others for applicants it registered itself.
            const applicantId = `APP-W${String(round).padStart(4, '0')}${device.entries.length}`;
            device.append(1, 'applicant.registered', applicantId);
            device.append(1, 'consent.withdrawn', applicantId, { purpose: 'central-sync' });
          }
          device.append(n);
        }
        if (round % 12 === 0) {
          centralRequests += 1;
          await server.publish('POST', '/v1/admin/erasure-requests', { applicantId: `APP-C${round}0000` });
        }
        const syncs = Promise.allSettled(devices.map((d) => d.client(proxy.url).syncOnce()));
        const restarting = round % 25 === 0 ? restart() : Promise.resolve();
        const [results] = await Promise.all([syncs, restarting]);
        for (const [i, result] of results.entries()) {
          if (result.status === 'rejected') {
            failures += 1;
            const error: unknown = result.reason;
            // Only passing failures are acceptable: a conflict or refusal here would be a false alarm.
            expect(error instanceof SyncError ? [error.code, error.retryable] : String(error)).toMatchObject([
              expect.any(String),
              true,
            ]);
          } else {
            acknowledged[i] = Math.max(acknowledged[i] ?? 0, result.value.push.ackedSeq);
          }
        }
      }

      proxy.setFaults(false);
      // Two passes: the first pushes what each device still holds, the second pulls what the others pushed.
      for (const device of [...devices, ...devices]) {
        let healed = false;
        let lastError = '';
        for (let attempt = 0; attempt < 10 && !healed; attempt += 1) {
          healed = await device
            .client(proxy.url)
            .syncOnce()
            .then(() => true)
            .catch((error: unknown) => {
              lastError = error instanceof Error ? `${error.name} ${error.message}` : String(error);
              return false;
            });
        }
        expect(healed, `device ${device.deviceId} did not heal (seed ${SEED}): ${lastError}`).toBe(true);
      }

      for (const [i, device] of devices.entries()) {
        const stored = await database.db
          .select({ seq: auditEntries.seq, hash: auditEntries.hash })
          .from(auditEntries)
          .where(eq(auditEntries.deviceId, device.deviceId))
          .orderBy(asc(auditEntries.seq));
        expect(stored.length).toBeGreaterThanOrEqual(acknowledged[i] ?? 0);
        expect(stored).toEqual(device.entries.map((e) => ({ seq: e.seq, hash: e.hash })));
        expect(device.state.ackedSeq).toBe(device.head().seq);
        const ids = device.pulled.map((item) => item.id);
        expect(new Set(ids).size, 'a pulled item was applied twice').toBe(ids.length);
        const erasures = device.pulled.filter(
          (item) => item.kind === 'applicant.erasure' && item.body.originDeviceId === null,
        );
        expect(erasures.length).toBe(centralRequests);
        const withdrawalsElsewhere = devices
          .filter((other) => other !== device)
          .reduce((sum, other) => sum + other.entries.filter((e) => e.action === 'consent.withdrawn').length, 0);
        expect(device.pulled.filter((item) => item.kind === 'consent.withdrawal').length).toBe(withdrawalsElsewhere);
      }
      expect(await database.db.select().from(chainIssues)).toEqual([]);
      const listed = DeviceSummarySchema.array().parse(
        field((await server.admin('GET', '/v1/admin/devices')).body, 'devices'),
      );
      for (const summary of listed) {
        expect(summary).toMatchObject({ backlog: 0, chainStatus: 'ok' });
      }
      expect(proxy.stats.total).toBeGreaterThanOrEqual(EXCHANGES);
      for (const fault of FAULTS) {
        expect(proxy.stats[fault], `fault ${fault} was never injected`).toBeGreaterThan(0);
      }
      expect(restarts).toBeGreaterThan(0);
      expect(failures).toBeGreaterThan(0);
    });
  });
}
