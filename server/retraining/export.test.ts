/**
 * The retraining export with real parts: an encrypted workstation scores and approves five applicants and syncs to
 * the central API (PGlite) thirteen months ago; the bank's outcomes arrive; then the export. Only loans whose
 * 12-month window is over are labelled (bad only for a default inside it), and only for applicants whose
 * central-sync consent covers it now: one who withdrew it at the branch, one whose withdrawal another branch pushed,
 * and one who never granted it are counted out. A canary test: the file holds the specification's feature columns and the label only — no personal field, id,
 * protected attribute or note — and the trainer reads it as it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database';
import { createTempWorkstation, type TempWorkstation } from '../../electron/core/testing/temp-workstation';
import { consentFor, FORM_VALUES, intakeReady, PERSON } from '../../electron/core/testing/intake-fixtures';
import { NEXIS_FEATURE_SPEC } from '../../shared/features';
import { datasetFromCsv } from '../../models/data/dataset';
import { secretsFromKeyring } from '../security/secrets';
import { testTrustOptions } from '../testing/releases';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';
import { runExportTraining } from '../cli/ops-commands';
import { SimDevice } from '../testing/sim-device';
import { exportTrainingSet, windowLabel } from './export';

async function ok<T>(
  result: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
): Promise<T> {
  const settled = await result;
  if (!settled.ok) {
    throw new Error(`${settled.error.code}: ${settled.error.message}`);
  }
  return settled.value;
}

describe('the retraining export (PGlite)', () => {
  let database: Database;
  let server: TestServer;
  let t: TempWorkstation;
  const decisions: { applicantId: string; decisionId: string; scoreId: string }[] = [];

  const lend = async (centralSync: boolean, values: Record<string, number | string | null> = FORM_VALUES) => {
    const { applicantId } = await ok(
      t.call('officer', 'applicants:register', {
        personal: PERSON,
        consent: consentFor(t.ws, { 'central-sync': centralSync }),
      }),
    );
    await ok(t.call('officer', 'applicants:saveFeatures', { applicantId, values }));
    const score = await ok(t.call('officer', 'scoring:score', { applicantId }));
    expect(score.outcome).toBe('approve');
    const decision = await ok(
      t.call('officer', 'decisions:record', {
        scoreId: score.scoreId,
        decision: 'approve',
        reasonCodes: [`model:${score.reasons[0]?.feature ?? 'none'}`],
      }),
    );
    decisions.push({ applicantId, decisionId: decision.decisionId, scoreId: score.scoreId });
    return applicantId;
  };

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    server = await startTestServer(database);
    t = createTempWorkstation({ syncIntervalMs: 600_000, ...testTrustOptions() });
    await intakeReady(t);
    await t.ws.modelReady;
    await ok(t.call('admin', 'sync:enrol', { serverUrl: server.url, code: await enrolmentCode(server, 'NBO-01') }));
    const now = new Date();
    const monthsAgo = (n: number): Date => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, 10, 9));
    t.clock.set(monthsAgo(13));
    await lend(true); // repaid within the window: good
    await lend(true, { ...FORM_VALUES, activeLoans: 2, savingsRate: 0.05 }); // written off within it: bad
    await lend(false); // repaid, never granted central-sync
    const withdrawing = await lend(true); // repaid, then withdraws central-sync at this branch
    const elsewhere = await lend(true); // repaid; another branch pushes a central-sync withdrawal
    await lend(true); // written off only after the window: not a default of this window, and not seen current at its end
    await ok(t.call('admin', 'sync:now', {}));
    await ok(t.call('officer', 'consent:withdraw', { applicantId: withdrawing, purpose: 'central-sync' }));
    await ok(t.call('admin', 'sync:now', {}));
    const other = new SimDevice({ startAt: now });
    await other.client(server.url).enrol(server.url, await enrolmentCode(server, 'MSA-01'));
    other.append(1, 'consent.withdrawn', elsewhere, { purpose: 'central-sync' });
    await other.client(server.url).syncOnce();
    const day = (d: Date): string => d.toISOString().slice(0, 10);
    const outcomes: [string, string][] = [
      ['repaid', day(monthsAgo(7))],
      ['written_off', day(monthsAgo(7))],
      ['repaid', day(monthsAgo(7))],
      ['repaid', day(monthsAgo(7))],
      ['repaid', day(monthsAgo(7))],
      ['written_off', day(now)],
    ];
    const rows = decisions.map((d, i) => `${d.decisionId},${outcomes[i]?.[0] ?? 'repaid'},${outcomes[i]?.[1] ?? ''}`);
    const imported = await fetch(`${server.url}/v1/admin/outcomes/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${server.adminToken}` },
      body: `decision_id,status,as_of\n${rows.join('\n')}\n`,
    });
    expect(imported.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    t.cleanup();
    await server.close();
    await database.close();
  });

  it('exports matured loans of consenting applicants with the scored values and the label, nothing else', async () => {
    const result = await exportTrainingSet(database.db, secretsFromKeyring(server.keyring), {
      spec: NEXIS_FEATURE_SPEC,
      performanceMonths: 12,
    });
    expect(result).toMatchObject({
      rows: 2,
      bad: 1,
      notMatured: 1,
      excluded: { noCentralSyncConsent: 3, noBehaviouralRecord: 0, otherSpecification: 0, invalidValues: 0 },
    });
    const [header, ...lines] = result.csv.trim().split('\n');
    expect(header).toBe([...NEXIS_FEATURE_SPEC.features.map((f) => f.key), 'defaulted'].join(','));
    const valuesOf = (v: Record<string, number | string | null>) =>
      NEXIS_FEATURE_SPEC.features.map((f) => String(v[f.key] ?? '')).join(',');
    // In random order (decision order would let a reader of the chain name each row).
    expect([...lines].sort()).toEqual(
      [`${valuesOf(FORM_VALUES)},0`, `${valuesOf({ ...FORM_VALUES, activeLoans: 2, savingsRate: 0.05 })},1`].sort(),
    );
    // Canary: nothing personal, no id, no protected attribute.
    for (const canary of [...Object.values(PERSON), 'NEX-', 'SC-', 'DC-', 'OFF-', 'sex', 'ageYears', 'region']) {
      expect(result.csv).not.toContain(canary);
    }
    // The trainer reads it as it is.
    const data = datasetFromCsv(result.csv, NEXIS_FEATURE_SPEC);
    expect(data.rowCount).toBe(2);
    expect([...data.label].sort()).toEqual([0, 1]);
  });

  it('refuses a command line without a file or with a bad window before it opens anything', async () => {
    const context = { config: {} as never, out: () => undefined };
    await expect(runExportTraining(context, [])).rejects.toThrow(/usage: npm run server -- export-training/);
    await expect(runExportTraining(context, ['--out', 'x.csv', '--performance-months', '0'])).rejects.toThrow(/usage/);
    await expect(runExportTraining(context, ['--out', 'x.csv', '--bogus'])).rejects.toThrow(/usage/);
  });
  it('labels a loan over its whole window only', () => {
    const day = '2025-01-15';
    const today = '2026-12-01';
    const at = (asOf: string, status: 'current' | 'dpd30' | 'dpd60' | 'dpd90' | 'written_off' | 'repaid') => ({
      asOf,
      status,
    });
    expect(windowLabel(day, [at('2025-06-01', 'dpd90')], 12, today)).toBe(1);
    expect(windowLabel(day, [at('2025-06-01', 'repaid')], 12, today)).toBe(0);
    expect(windowLabel(day, [at('2026-01-15', 'current')], 12, today)).toBe(0);
    // Seen current before the end only, late at the end, or 90 days late only after it: not labelled.
    expect(windowLabel(day, [at('2025-06-01', 'current')], 12, today)).toBeNull();
    expect(windowLabel(day, [at('2026-01-15', 'dpd60')], 12, today)).toBeNull();
    expect(windowLabel(day, [at('2026-03-01', 'written_off')], 12, today)).toBeNull();
    // The window is not over yet, whatever happened.
    expect(windowLabel('2026-06-01', [at('2026-07-01', 'written_off')], 12, today)).toBeNull();
    expect(windowLabel(day, [], 12, today)).toBeNull();
  });
});
