/**
 * The fleet view and the fleet-wide model withdrawal, with real parts: two encrypted workstations (createWorkstation,
 * driven through IPC) and the central API on PGlite. Each sync ends with the workstation's self-report; the console
 * lists both with their versions; a withdrawn release rolls both back to their previous release (then to the shipped
 * package), audited, and is never installed again. Reports are validated from the attacker's side too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database';
import { createTempWorkstation, type TempWorkstation } from '../../electron/core/testing/temp-workstation';
import { intakeReady } from '../../electron/core/testing/intake-fixtures';
import type { SyncStatusView } from '../../shared/ipc/sync';
import { DeviceSummarySchema } from '../../shared/sync/admin';
import {
  DEVICE_REPORT_BODY_LIMIT,
  featureBinWindow,
  type DeviceReport,
  type FeatureBinMonth,
} from '../../shared/sync/fleet';
import { featureBinCounts } from '../db/schema';
import { SimDevice } from '../testing/sim-device';
import { testModelDir, testTrustOptions } from '../testing/releases';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

async function ok<T>(
  result: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
): Promise<T> {
  const settled = await result;
  if (!settled.ok) {
    throw new Error(`${settled.error.code}: ${settled.error.message}`);
  }
  return settled.value;
}

function packageFiles(): Record<'manifest.json' | 'model.onnx' | 'signature.json', string> {
  const file = (name: string): string => readFileSync(join(testModelDir(), name)).toString('base64');
  return {
    'manifest.json': file('manifest.json'),
    'model.onnx': file('model.onnx'),
    'signature.json': file('signature.json'),
  };
}

const VALID_REPORT: DeviceReport = {
  appVersion: '0.1.0',
  channel: 'pilot',
  model: { release: null, modelVersion: '1.0.0', modelHash: 'a'.repeat(64), state: 'verified' },
  policyVersion: null,
  databaseBytes: 4096,
  freeDiskBytes: 1_000_000,
  diagnostics: null,
};

describe('fleet view and fleet-wide model withdrawal (PGlite)', () => {
  let database: Database;
  let server: TestServer;
  let a: TempWorkstation;
  let b: TempWorkstation;
  const syncNow = (t: TempWorkstation): Promise<SyncStatusView> => ok(t.call('admin', 'sync:now', {}));
  const devices = async () => {
    const answer = await server.admin('GET', '/v1/admin/devices');
    expect(answer.status).toBe(200);
    return DeviceSummarySchema.array().parse((answer.body as { devices: unknown }).devices);
  };
  const healthOf = async (t: TempWorkstation) =>
    (await devices()).find((d) => d.deviceId === t.ws.deviceKey.deviceId)?.health ?? null;

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    server = await startTestServer(database);
    a = createTempWorkstation({ syncIntervalMs: 600_000, appVersion: '0.1.0', ...testTrustOptions() });
    b = createTempWorkstation({ syncIntervalMs: 600_000, appVersion: '0.1.0', ...testTrustOptions() });
    for (const [t, branch] of [
      [a, 'NBO-01'],
      [b, 'MSA-01'],
    ] as const) {
      await intakeReady(t);
      await t.ws.modelReady;
      await ok(t.call('admin', 'sync:enrol', { serverUrl: server.url, code: await enrolmentCode(server, branch) }));
    }
  }, 60_000);

  afterAll(async () => {
    a.cleanup();
    b.cleanup();
    await server.close();
    await database.close();
  });

  it('each sync ends with a self-report the console lists per device', async () => {
    for (const t of [a, b]) {
      expect((await syncNow(t)).state).not.toBe('error');
    }
    for (const t of [a, b]) {
      const health = await healthOf(t);
      expect(health).toMatchObject({
        appVersion: '0.1.0',
        channel: null,
        model: { release: null, modelVersion: '1.0.0', state: 'verified' },
        policyVersion: null,
      });
      expect(health?.model.modelHash).toMatch(/^[0-9a-f]{64}$/);
      expect(health?.databaseBytes).toBeGreaterThan(0);
      expect(health?.freeDiskBytes).toBeGreaterThan(0);
      // Delivered: the counters "since the last sync" start again from zero.
      expect(health?.diagnostics?.sinceSync).toEqual({
        coreErrors: 0,
        rendererErrors: 0,
        rendererCrashes: 0,
        mainCrashes: 0,
        childCrashes: 0,
      });
    }
    // A renderer error on B reaches the console with B's next sync, counted, without its message.
    await ok(
      b.call('admin', 'system:reportError', { screen: 'applicants', errorName: 'TypeError', where: 'x.js:1:2' }),
    );
    await syncNow(b);
    expect((await healthOf(b))?.diagnostics?.total.rendererErrors).toBe(1);
  });

  it('withdraws a model release fleet-wide: both branches fall back to their previous release, audited', async () => {
    for (const version of ['2026.12.1', '2026.12.2']) {
      const published = await server.publish('POST', '/v1/admin/model-releases', { version, files: packageFiles() });
      expect(published.status).toBe(201);
    }
    for (const t of [a, b]) {
      expect((await syncNow(t)).model).toMatchObject({ current: '2026.12.2', previous: '2026.12.1' });
      expect((await healthOf(t))?.model.release).toBe('2026.12.2');
    }

    // Proposed from the console on A (carol), approved by a second release manager (bob).
    await ok(
      a.call('admin', 'console:signIn', {
        username: 'carol',
        password: server.carol.password,
        totp: server.carol.nextTotp(),
      }),
    );
    const overview = await ok(a.call('admin', 'console:overview', {}));
    expect(overview.modelReleases.map((r) => [r.version, r.withdrawnAt])).toEqual([
      ['2026.12.2', null],
      ['2026.12.1', null],
    ]);
    expect(overview.devices.every((d) => d.health?.model.release === '2026.12.2')).toBe(true);
    const proposed = await ok(
      a.call('admin', 'console:withdrawModel', { version: '2026.12.2', reason: 'drift above tolerance' }),
    );
    expect(proposed.proposal).toMatchObject({ kind: 'model.withdrawal', status: 'pending' });
    expect(proposed.proposal.diff).toEqual(
      expect.arrayContaining([{ label: 'Devices using it (last report)', before: '2', after: expect.any(String) }]),
    );
    // The proposer cannot approve it, and nothing reaches the branches before a second administrator does.
    expect(
      await a.call('admin', 'console:decide', {
        proposalId: proposed.proposal.id,
        decision: 'approve',
        reason: 'mine',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CENTRAL_REFUSED', message: expect.stringMatching(/second administrator/) },
    });
    expect((await syncNow(a)).model.current).toBe('2026.12.2');
    const again = await a.call('admin', 'console:withdrawModel', { version: '2026.12.2', reason: 'twice' });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const approved = await server.bob.request('POST', `/v1/admin/proposals/${proposed.proposal.id}/approve`, {
      reason: 'diff checked',
    });
    expect(approved.status).toBe(200);

    for (const t of [a, b]) {
      expect((await syncNow(t)).model).toMatchObject({ current: '2026.12.1', previous: null });
      expect((await ok(t.call('admin', 'model:status', {}))).source).toBe(join(t.dir, 'models', '2026.12.1'));
      const withdrawn = t.ws.audit
        .list({ page: 1, pageSize: 200 })
        .entries.find((e) => e.action === 'model.release_withdrawn');
      expect(withdrawn).toMatchObject({ actor: 'system' });
      expect(withdrawn?.payload).toMatchObject({
        version: '2026.12.2',
        from: '2026.12.2',
        to: '2026.12.1',
      });
      // Rollback cannot reach the withdrawn release.
      expect(await t.call('admin', 'sync:rollbackModel', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect((await healthOf(t))?.model.release).toBe('2026.12.1');
    }
    const after = await ok(a.call('admin', 'console:overview', {}));
    expect(after.modelReleases.find((r) => r.version === '2026.12.2')?.withdrawnAt).not.toBeNull();

    // Withdrawing the last release leaves the package shipped with the app in use.
    expect(
      (await server.publish('POST', '/v1/admin/model-releases/withdraw', { version: '2026.12.1', reason: 'all' }))
        .status,
    ).toBe(201);
    for (const t of [a, b]) {
      expect((await syncNow(t)).model).toMatchObject({ current: null, previous: null });
      const model = await ok(t.call('admin', 'model:status', {}));
      expect(model).toMatchObject({ state: 'verified', source: testModelDir() });
      expect((await healthOf(t))?.model).toMatchObject({ release: null, state: 'verified' });
    }
    // A withdrawn version is never published again, and an unknown one cannot be withdrawn.
    const republished = await server.publish('POST', '/v1/admin/model-releases', {
      version: '2026.12.2',
      files: packageFiles(),
    });
    expect(republished.status).toBe(409);
    const unknown = await server.admin('POST', '/v1/admin/model-releases/withdraw', {
      version: '2099.1.1',
      reason: 'no such release',
    });
    expect(unknown.status).toBe(404);
    // Only a release manager may propose a withdrawal; an auditor may read the releases but not withdraw one.
    const auditor = await server.addAdmin('zawadi', ['auditor']);
    expect((await auditor.request('GET', '/v1/admin/model-releases')).status).toBe(200);
    const refused = await auditor.request('POST', '/v1/admin/model-releases/withdraw', {
      version: '2026.12.1',
      reason: 'not mine to decide',
    });
    expect(refused.status).toBe(403);
  });

  it('refuses malformed, oversized and personal-data-shaped reports and stores nothing from them', async () => {
    const device = new SimDevice();
    await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'KSM-01'));
    const token = device.state.token(new Date(), 0) ?? '';
    const post = async (body: unknown, auth = `Bearer ${token}`): Promise<number> =>
      (
        await fetch(`${server.url}/v1/sync/report`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).status;
    const stored = async () => (await devices()).find((d) => d.deviceId === device.deviceId)?.health ?? null;

    expect(await post(VALID_REPORT, 'Bearer not-a-token')).toBe(401);
    for (const bad of [
      { ...VALID_REPORT, applicantName: 'Wanjiru Kamau' },
      { ...VALID_REPORT, model: { ...VALID_REPORT.model, modelVersion: 'Wanjiru Kamau 0712345678' } },
      { ...VALID_REPORT, appVersion: '1.0.0 (Wanjiru)' },
      { ...VALID_REPORT, databaseBytes: -1 },
      { ...VALID_REPORT, channel: 'beta' },
      { ...VALID_REPORT, diagnostics: { note: 'x'.repeat(20_000) } },
    ]) {
      expect([400, 413]).toContain(await post(bad));
    }
    expect(await stored()).toBeNull();
    expect(await post(VALID_REPORT)).toBe(200);
    expect(await stored()).toMatchObject({ appVersion: '0.1.0', channel: 'pilot' });
  });
  it('stores feature bin counts apart from the fleet view, newest figures per month, and refuses counts that lie', async () => {
    const device = new SimDevice();
    await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'NKR-01'));
    const token = device.state.token(new Date(), 0) ?? '';
    const post = async (body: unknown): Promise<number> =>
      (
        await fetch(`${server.url}/v1/sync/report`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).status;
    const rows = async () =>
      (await database.db.select().from(featureBinCounts))
        .filter((r) => r.deviceId === device.deviceId)
        .map((r) => ({ branchId: r.branchId, modelVersion: r.modelVersion, month: r.month, scores: r.scores }));
    // Months relative to today: the centre takes only the report's window (closed months, with a month of slack).
    const { first, last } = featureBinWindow(new Date());
    const before = featureBinWindow(new Date(Date.now() - 31 * 24 * 3600 * 1000)).last;
    const month = (scores: number, extra: Partial<FeatureBinMonth> = {}): FeatureBinMonth => ({
      modelVersion: '1.0.0',
      month: last,
      scores,
      features: [
        {
          feature: 'debtToIncome',
          bins: [
            [1, scores - 5],
            [4, 5],
          ],
        },
        {
          feature: 'activeLoans',
          bins: [
            [0, 2],
            [2, scores - 2],
          ],
        },
      ],
      ...extra,
    });
    const good = month(25);
    for (const bad of [
      [month(19, { features: [{ feature: 'debtToIncome', bins: [[1, 19]] }] })],
      [
        month(25, {
          features: [
            {
              feature: 'debtToIncome',
              bins: [
                [1, 20],
                [4, 4],
              ],
            },
          ],
        }),
      ],
      [
        month(25, {
          features: [
            {
              feature: 'debtToIncome',
              bins: [
                [4, 5],
                [1, 20],
              ],
            },
          ],
        }),
      ],
      [
        month(25, {
          features: [
            {
              feature: 'debtToIncome',
              bins: [
                [1, 20],
                [1, 5],
              ],
            },
          ],
        }),
      ],
      [month(25, { features: [{ feature: 'Wanjiru Kamau', bins: [[1, 25]] }] })],
      [month(25, { month: '2026-13' })],
      [good, good],
      [{ ...good, applicantId: 'NEX-1' }],
    ]) {
      expect(await post({ ...VALID_REPORT, featureBins: bad })).toBe(400);
    }
    const huge = Array.from({ length: 50 }, (_, i) =>
      month(1_000_000, {
        month: `20${String(10 + Math.floor(i / 12)).padStart(2, '0')}-${String((i % 12) + 1).padStart(2, '0')}`,
        features: Array.from({ length: 20 }, (_, f) => ({
          feature: `feature${f}`,
          bins: Array.from({ length: 100 }, (_, b) => [b, 10_000] as [number, number]),
        })),
      }),
    );
    expect(JSON.stringify(huge).length).toBeGreaterThan(DEVICE_REPORT_BODY_LIMIT);
    expect(await post({ ...VALID_REPORT, featureBins: huge })).toBe(413);
    expect(await rows()).toEqual([]);

    expect(await post({ ...VALID_REPORT, featureBins: [good] })).toBe(200);
    expect(await rows()).toEqual([{ branchId: 'NKR-01', modelVersion: '1.0.0', month: last, scores: 25 }]);
    // The fleet view's body does not carry them.
    const health = (await devices()).find((d) => d.deviceId === device.deviceId)?.health;
    expect(health).toMatchObject({ appVersion: '0.1.0' });
    expect(health).not.toHaveProperty('featureBins');
    // Cumulative figures: a later report replaces the device's rows; months outside the window are left out (a
    // device cannot plant a far-future month to win "latest"); a report without counts leaves them.
    expect(
      await post({
        ...VALID_REPORT,
        featureBins: [
          month(40),
          month(30, { month: before }),
          month(30, { month: '9999-12' }),
          month(30, { month: '2000-01' }),
        ],
      }),
    ).toBe(200);
    expect(await post(VALID_REPORT)).toBe(200);
    const expected = [
      { branchId: 'NKR-01', modelVersion: '1.0.0', month: last, scores: 40 },
      ...(before === last ? [] : [{ branchId: 'NKR-01', modelVersion: '1.0.0', month: before, scores: 30 }]),
    ].sort((x, y) => x.month.localeCompare(y.month));
    expect((await rows()).sort((x, y) => x.month.localeCompare(y.month))).toEqual(expected);
    expect(first < last).toBe(true);
    // A report of other months replaces them all: the device's table is bounded by one report.
    expect(await post({ ...VALID_REPORT, featureBins: [month(50, { modelVersion: '1.1.0' })] })).toBe(200);
    expect(await rows()).toEqual([{ branchId: 'NKR-01', modelVersion: '1.1.0', month: last, scores: 50 }]);
  });
});
