/**
 * The central API's Prometheus metrics, observed on a real server and real pushes: ingest counters move by exactly
 * what was stored, routes are labelled by pattern (never the raw URL an attacker chose), refusals by budget, the
 * fleet per branch, and nothing a caller sends (body, header, URL) reaches the exposition. The separate listener
 * serves only /metrics, requires its token when one is configured, and the API port does not serve metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceReport } from '../../shared/sync/fleet';
import type { Database } from '../db/database';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { request } from '../testing/http';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';
import { startMetricsListener } from './listener';

/** One sample's value from the text exposition, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) {
      continue;
    }
    const braces = /^[a-z0-9_]+\{(.*)\} (\S+)$/.exec(line);
    const plain = /^[a-z0-9_]+ (\S+)$/.exec(line);
    const found = new Map<string, string>();
    for (const pair of (braces?.[1] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)) {
      found.set(pair[1] ?? '', pair[2] ?? '');
    }
    if (Object.entries(labels).every(([k, v]) => found.get(k) === v)) {
      return Number(braces?.[2] ?? plain?.[1]);
    }
  }
  return undefined;
}

const REPORT = (performance: DeviceReport['performance']): DeviceReport => ({
  appVersion: '0.1.0',
  channel: 'pilot',
  model: { release: null, modelVersion: '1.0.0', modelHash: 'a'.repeat(64), state: 'refused' },
  policyVersion: null,
  databaseBytes: 4096,
  freeDiskBytes: 1_000_000,
  diagnostics: null,
  ...(performance === undefined ? {} : { performance }),
});

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`metrics on ${targetTitle(target)}`, () => {
    let database: Database;
    let server: TestServer;
    const exposition = (): Promise<string> => server.metrics.registry.metrics();

    beforeAll(async () => {
      database = await target.open();
      server = await startTestServer(database, { rateLimitPerDevicePerMinute: 30 });
    });
    afterAll(async () => {
      await server.close();
      await database.close();
    });

    it('counts exactly the events a push stored, and labels routes by pattern', async () => {
      const device = new SimDevice({ batchSize: 40 });
      await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'NBO-01'));
      const before = sample(await exposition(), 'nexis_ingest_events_total') ?? 0;
      device.append(130);
      const report = await device.client(server.url).syncOnce();
      expect(report.push.stored).toBe(130);
      const text = await exposition();
      expect((sample(text, 'nexis_ingest_events_total') ?? 0) - before).toBe(130);
      expect(sample(text, 'nexis_ingest_batches_total', { outcome: 'accepted' })).toBeGreaterThanOrEqual(4);
      expect(sample(text, 'nexis_ingest_bytes_total')).toBeGreaterThan(0);
      expect(
        sample(text, 'nexis_http_requests_total', { method: 'POST', route: '/v1/sync/push', status_code: '200' }),
      ).toBeGreaterThanOrEqual(4);
      // A resend of what the server already has stores nothing and counts nothing.
      await device.client(server.url).syncOnce();
      expect((sample(await exposition(), 'nexis_ingest_events_total') ?? 0) - before).toBe(130);
    });

    it('labels unknown paths as unmatched and never echoes what a caller sent', async () => {
      const marker = 'zq7marker';
      const attempts = [
        `/v1/%61dmin/${marker}`,
        `/v1/admin/../${marker}`,
        `/${marker}${'x'.repeat(300)}`,
        `/v1/sync/pull?after=${marker}`,
      ];
      for (const path of attempts) {
        await request(server.url, 'GET', path, { headers: { 'x-marker': marker, 'user-agent': marker } });
      }
      await request(server.url, 'POST', '/v1/enrol', { body: { code: marker, publicKey: marker } });
      const text = await exposition();
      expect(text).not.toContain(marker);
      expect(sample(text, 'nexis_http_requests_total', { route: 'unmatched', status_code: '404' })).toBeGreaterThan(0);
      for (const line of text.split('\n').filter((l) => l.startsWith('nexis_http_requests_total{'))) {
        const route = /route="([^"]*)"/.exec(line)?.[1] ?? '';
        expect(route === 'unmatched' || /^\/[a-z0-9/:_-]*$/.test(route), route).toBe(true);
      }
    });

    it('counts refusals by the budget that refused them', async () => {
      const device = new SimDevice();
      await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'MSA-01'));
      const before = sample(await exposition(), 'nexis_rate_limited_requests_total', { limiter: 'device' }) ?? 0;
      const token = device.state.token(new Date(), 0);
      const answers = [];
      for (let i = 0; i < 35; i++) {
        answers.push((await request(server.url, 'GET', '/v1/sync/pull', { token })).status);
      }
      const refused = answers.filter((s) => s === 429).length;
      expect(refused).toBeGreaterThan(0);
      const after = sample(await exposition(), 'nexis_rate_limited_requests_total', { limiter: 'device' }) ?? 0;
      expect(after - before).toBe(refused);
    });

    it('exports the fleet per branch from the devices’ reports', async () => {
      const device = new SimDevice();
      await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'KSM-01'));
      const token = device.state.token(new Date(), 0);
      const stored = await request(server.url, 'POST', '/v1/sync/report', {
        token,
        body: REPORT({ scoresSinceSync: 12, scoreP50Ms: 8, scoreP95Ms: 40, modelLoadFailures: 2 }),
      });
      expect(stored.status).toBe(200);
      // Database-read gauges reuse one read for a second (SNAPSHOT_REUSE_MS): read after it.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const text = await exposition();
      expect(sample(text, 'nexis_fleet_devices_reporting', { branch: 'KSM-01' })).toBe(1);
      expect(sample(text, 'nexis_fleet_model_refused_devices', { branch: 'KSM-01' })).toBe(1);
      expect(sample(text, 'nexis_fleet_model_load_failures', { branch: 'KSM-01' })).toBe(2);
      expect(sample(text, 'nexis_fleet_score_p95_seconds', { branch: 'KSM-01' })).toBeCloseTo(0.04);
      expect(sample(text, 'nexis_db_up')).toBe(1);
      expect(text).not.toContain(device.deviceId);
    });

    it('serves metrics only on its own listener, behind its token when one is set', async () => {
      expect((await request(server.url, 'GET', '/metrics')).status).toBe(404);
      const token = 'metrics-token-0123456789';
      const listener = await startMetricsListener(server.metrics.registry, { host: '127.0.0.1', port: 0, token });
      try {
        expect((await fetch(listener.url)).status).toBe(401);
        expect(
          (await fetch(listener.url, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status,
        ).toBe(401);
        const right = await fetch(listener.url, { headers: { authorization: `Bearer ${token}` } });
        expect(right.status).toBe(200);
        expect(await right.text()).toContain('nexis_http_requests_total');
        const elsewhere = await fetch(listener.url.replace('/metrics', '/v1/sync/pull'), {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(elsewhere.status).toBe(404);
      } finally {
        await listener.close();
      }
    });
  });
}
