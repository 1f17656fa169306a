/**
 * Scoring performance from a real workstation core to the central API's Prometheus registry: officers score
 * applicants, the workstation syncs, and its self-report's latencies and model load failures appear as nexis_fleet_*
 * for its branch. The figures cover exactly the scores since the last report the server stored: a report whose answer
 * is lost is sent again with everything it held plus what came after, and a round with no scores reports zero.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../db/database';
import { createTempWorkstation, type TempWorkstation } from '../../electron/core/testing/temp-workstation';
import { consentFor, FORM_VALUES, intakeReady, PERSON } from '../../electron/core/testing/intake-fixtures';
import { createHttpTransport } from '../../electron/core/sync/transport';
import { SyncError } from '../../electron/core/sync/types';
import { DeviceSummarySchema } from '../../shared/sync/admin';
import type { DevicePerformance } from '../../shared/sync/fleet';
import type { SyncStatusView } from '../../shared/ipc/sync';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { testModelDir, testTrustOptions } from '../testing/releases';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

const BRANCH = 'ELD-01';

async function ok<T>(
  result: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
): Promise<T> {
  const settled = await result;
  if (!settled.ok) {
    throw new Error(`${settled.error.code}: ${settled.error.message}`);
  }
  return settled.value;
}

/** One sample's value from the text exposition (labels matched exactly as given), or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${wanted}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`fleet scoring performance on ${targetTitle(target)}`, () => {
    let database: Database;
    let server: TestServer;
    let t: TempWorkstation;
    /** While set, the server stores the report but its answer never reaches the workstation. */
    let loseReportAnswer = false;

    const syncNow = (): Promise<SyncStatusView> => ok(t.call('admin', 'sync:now', {}));
    const reported = async (): Promise<DevicePerformance | undefined> => {
      const answer = await server.admin('GET', '/v1/admin/devices');
      expect(answer.status).toBe(200);
      const devices = DeviceSummarySchema.array().parse((answer.body as { devices: unknown }).devices);
      return devices.find((d) => d.deviceId === t.ws.deviceKey.deviceId)?.health?.performance;
    };
    /** The exposition a scrape sees now (database-read gauges reuse one read for a second: SNAPSHOT_REUSE_MS). */
    const scrape = async (): Promise<string> => {
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      return server.metrics.registry.metrics();
    };
    const scoreApplicants = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++) {
        const { applicantId } = await ok(
          t.call('officer', 'applicants:register', { personal: PERSON, consent: consentFor(t.ws) }),
        );
        await ok(t.call('officer', 'applicants:saveFeatures', { applicantId, values: FORM_VALUES }));
        await ok(t.call('officer', 'scoring:score', { applicantId }));
      }
    };

    beforeAll(async () => {
      database = await target.open();
      server = await startTestServer(database);
      t = createTempWorkstation({
        syncIntervalMs: 600_000,
        appVersion: '0.1.0',
        ...testTrustOptions(),
        // Real HTTP to the test server; only the report's answer can be made to go missing.
        syncTransportFor: (url) => {
          const http = createHttpTransport(url);
          return {
            request: async (method, path, options) => {
              const response = await http.request(method, path, options);
              if (loseReportAnswer && path === '/v1/sync/report') {
                throw new SyncError('NETWORK', 'The connection dropped before the answer arrived.', true);
              }
              return response;
            },
          };
        },
      });
      await intakeReady(t);
      await t.ws.modelReady;
      await ok(t.call('admin', 'sync:enrol', { serverUrl: server.url, code: await enrolmentCode(server, BRANCH) }));
    }, 60_000);

    afterAll(async () => {
      t.cleanup();
      await server.close();
      await database.close();
    });

    it('exports the branch’s scoring latency and model load failures from the report after a sync', async () => {
      // Enrolment's first round may already have reported (nothing scored yet): start from a stored report.
      expect((await syncNow()).state).not.toBe('error');
      expect(await reported()).toEqual({
        scoresSinceSync: 0,
        scoreP50Ms: null,
        scoreP95Ms: null,
        modelLoadFailures: 0,
      });

      await scoreApplicants(3);
      // A real refusal by the workstation's own model service (an unsigned copy), then the good package again.
      const unsigned = join(t.dir, 'unsigned-package');
      cpSync(testModelDir(), unsigned, { recursive: true });
      rmSync(join(unsigned, 'signature.json'));
      expect(await t.ws.model.loadDirectory(unsigned)).toMatchObject({ state: 'refused', refusal: 'unsigned' });
      expect((await t.ws.model.loadDirectory(testModelDir())).state).toBe('verified');
      expect((await syncNow()).state).not.toBe('error');

      const performance = await reported();
      expect(performance).toMatchObject({ scoresSinceSync: 3, modelLoadFailures: 1 });
      expect(performance?.scoreP50Ms).toBeGreaterThan(0);
      expect(performance?.scoreP95Ms).toBeGreaterThanOrEqual(performance?.scoreP50Ms ?? Infinity);
      const text = await scrape();
      expect(sample(text, 'nexis_fleet_scores_since_sync', { branch: BRANCH })).toBe(3);
      expect(sample(text, 'nexis_fleet_score_p95_seconds', { branch: BRANCH })).toBeCloseTo(
        (performance?.scoreP95Ms ?? 0) / 1000,
        9,
      );
      expect(sample(text, 'nexis_fleet_model_load_failures', { branch: BRANCH })).toBe(1);
      expect(text).not.toContain(t.ws.deviceKey.deviceId);
    });

    it('sends a report whose answer was lost again, with the scores that came after it', async () => {
      await scoreApplicants(1);
      loseReportAnswer = true;
      try {
        // The round itself succeeds: only the report's answer is lost (the server stored it).
        expect((await syncNow()).state).not.toBe('error');
      } finally {
        loseReportAnswer = false;
      }
      expect(await reported()).toMatchObject({ scoresSinceSync: 1, modelLoadFailures: 0 });

      await scoreApplicants(1);
      expect((await syncNow()).state).not.toBe('error');
      expect(await reported()).toMatchObject({ scoresSinceSync: 2, modelLoadFailures: 0 });
      expect(sample(await scrape(), 'nexis_fleet_scores_since_sync', { branch: BRANCH })).toBe(2);
    });

    it('reports zero scores and no latency after a round with nothing scored', async () => {
      expect((await syncNow()).state).not.toBe('error');
      expect(await reported()).toEqual({
        scoresSinceSync: 0,
        scoreP50Ms: null,
        scoreP95Ms: null,
        modelLoadFailures: 0,
      });
      const text = await scrape();
      expect(sample(text, 'nexis_fleet_scores_since_sync', { branch: BRANCH })).toBe(0);
      expect(sample(text, 'nexis_fleet_model_load_failures', { branch: BRANCH })).toBe(0);
      expect(sample(text, 'nexis_fleet_score_p95_seconds', { branch: BRANCH })).toBeUndefined();
      expect(sample(text, 'nexis_fleet_devices_reporting', { branch: BRANCH })).toBe(1);
    });
  });
}
