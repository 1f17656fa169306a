/**
 * Model monitoring end to end at the centre: a model release published four-eyes, two simulated branches pushing
 * scores (with their score.result attachments) and decisions, outcomes imported from a core-banking CSV, then the
 * console's report, its CSV export and the Prometheus gauges. Branch B's applicants sit far from the package's
 * hold-out distribution and its overrides go bad: its PSI and its calibration are flagged, branch A's are not.
 * Each branch's fleet report carries feature bin counts: A's look like the training data, B's debt-to-income has
 * moved to its top bin, so B's characteristic stability flags that one feature.
 * A score whose attachment disagrees with its chained entry is not believed. Runs on PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Database } from '../db/database';
import type { AuditRecord } from '../../electron/core/audit/audit-log';
import type { Attachment } from '../../shared/sync/push';
import { MonitoringReportSchema } from '../../shared/sync/monitoring';
import { auc } from '../../shared/stats/discrimination';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { testModelDir } from '../testing/releases';
import { countsLike, SimDevice, simFleetReport } from '../testing/sim-device';
import { featureBinWindow, type FeatureBinMonth } from '../../shared/sync/fleet';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

interface PlannedScore {
  readonly scoreId: string;
  readonly pd: number;
  readonly band: string;
  /** What the attachment claims when it lies about its entry. */
  readonly attachedBand?: string;
}

const MODEL_HASH = `sha256:${'ab'.repeat(32)}`;
const hex16 = (n: number): string => n.toString(16).toUpperCase().padStart(16, '0');

interface DriftBaseline {
  readonly feature: string;
  readonly proportions: readonly number[];
}
const drift = (): DriftBaseline[] =>
  (JSON.parse(readFileSync(join(testModelDir(), 'manifest.json'), 'utf8')) as { drift: DriftBaseline[] }).drift;

/** The last closed month: what a workstation reports now (its month in progress is never sent). */
const MONTH = featureBinWindow(new Date()).last;
/** Scores are made in that month, outcomes are as of today: the tests read the same whatever the date. */
const SCORED_FROM = new Date(`${MONTH}-15T08:00:00.000Z`);
const AS_OF = new Date().toISOString().slice(0, 10);

/** A closed month's counts of 60 scores: like the training data, but for `moved`, whose scores all sit in its top bin. */
function novemberBins(moved?: string): FeatureBinMonth[] {
  return [
    {
      modelVersion: '1.0.0',
      month: MONTH,
      scores: 60,
      features: drift().map((d) => ({
        feature: d.feature,
        bins: d.feature === moved ? [[d.proportions.length - 1, 60]] : countsLike(d.proportions, 60),
      })),
    },
  ];
}

/** A branch's device whose attachments carry each planned score's probability, as the workstation sends them. */
function branchDevice(plan: Map<string, PlannedScore>, featureBins: FeatureBinMonth[]): SimDevice {
  return new SimDevice({
    fleetReport: simFleetReport(() => featureBins),
    startAt: SCORED_FROM,
    attachmentFor: (entry: AuditRecord): Attachment | null => {
      if (entry.action !== 'applicant.scored') {
        return null;
      }
      const { scoreId } = JSON.parse(entry.payload) as { scoreId: string };
      const planned = plan.get(scoreId);
      return planned === undefined
        ? null
        : {
            kind: 'score.result',
            body: {
              scoreId,
              applicantId: entry.subject ?? '',
              band: planned.attachedBand ?? planned.band,
              outcome: 'approve',
              probabilityOfDefault: planned.pd,
              score: Math.round(700 - 400 * planned.pd),
              modelHash: MODEL_HASH,
              modelVersion: '1.0.0',
            },
          };
    },
  });
}

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`model monitoring on ${targetTitle(target)}`, () => {
    let database: Database;
    let server: TestServer;
    const plan = new Map<string, PlannedScore>();
    const bads = new Set<string>();
    const decisionOfScore = new Map<string, string>();
    let serial = 0;

    /** One applicant scored and decided at `branch`; `bad` says what core banking will report. */
    const lend = (
      device: SimDevice,
      pd: number,
      band: string,
      options: { bad: boolean; override?: boolean; attachedBand?: string },
    ): void => {
      serial += 1;
      const scoreId = `SC-${hex16(serial)}`;
      const decisionId = `DC-${hex16(serial)}`;
      const applicant = `NEX-MON${String(serial).padStart(2, '0')}-00001-A`.slice(0, 17);
      plan.set(scoreId, {
        scoreId,
        pd,
        band,
        ...(options.attachedBand === undefined ? {} : { attachedBand: options.attachedBand }),
      });
      device.append(1, 'applicant.scored', applicant, { scoreId, modelHash: MODEL_HASH, band, outcome: 'approve' });
      device.append(1, 'decision.recorded', applicant, {
        decisionId,
        scoreId,
        decision: 'approve',
        policyOutcome: options.override === true ? 'decline' : 'approve',
      });
      decisionOfScore.set(scoreId, decisionId);
      if (options.bad) {
        bads.add(decisionId);
      }
    };

    beforeAll(async () => {
      database = await target.open();
      server = await startTestServer(database);
      const files = Object.fromEntries(
        ['manifest.json', 'model.onnx', 'signature.json'].map((f) => [
          f,
          readFileSync(join(testModelDir(), f)).toString('base64'),
        ]),
      );
      expect((await server.publish('POST', '/v1/admin/model-releases', { version: '2026.11.1', files })).status).toBe(
        201,
      );

      const a = branchDevice(plan, novemberBins());
      const b = branchDevice(plan, novemberBins('debtToIncome'));
      await a.client(server.url).enrol(server.url, await enrolmentCode(server, 'MON-A'));
      await b.client(server.url).enrol(server.url, await enrolmentCode(server, 'MON-B'));
      const calibration = (
        JSON.parse(readFileSync(join(testModelDir(), 'manifest.json'), 'utf8')) as {
          metrics: { holdout: { calibration: { lower: number; upper: number }[] } };
        }
      ).metrics.holdout.calibration;
      // Branch A: six applicants in each hold-out decile, the riskier half of the top deciles going bad.
      calibration.forEach((bin, decile) => {
        for (let k = 0; k < 6; k += 1) {
          const pd = bin.lower + ((bin.upper - bin.lower) * (k + 0.5)) / 6;
          lend(a, pd, decile < 5 ? 'B' : 'D', { bad: decile >= 8 && k >= 3 });
        }
      });
      // Branch B: sixty applicants all above the top decile's lower bound, approved over a policy decline; half go
      // bad where the model expected nine in ten.
      for (let k = 0; k < 60; k += 1) {
        lend(b, 0.9, 'E', { bad: k % 2 === 0, override: true });
      }
      // A pending override (not in force) and a score whose attachment claims another band than its chained entry.
      b.append(1, 'decision.recorded', 'NEX-MONPEND-0001-A', {
        decisionId: 'DC-00000000000FFFF1',
        scoreId: 'SC-0000000000000001',
        decision: 'approve',
        policyOutcome: 'decline',
        fourEyes: 'pending',
      });
      lend(a, 0.01, 'A', { bad: false, attachedBand: 'E' });
      await a.client(server.url).syncOnce();
      await b.client(server.url).syncOnce();

      const rows = [...decisionOfScore.values()].map((id) => `${id},${bads.has(id) ? 'dpd90' : 'repaid'},${AS_OF}`);
      const imported = await fetch(`${server.url}/v1/admin/outcomes/import`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${server.adminToken}` },
        body: `decision_id,status,as_of\n${rows.join('\n')}\n`,
      });
      expect(imported.status).toBe(200);
    });
    afterAll(async () => {
      await server.close();
      await database.close();
    });

    it('reports realised AUC, calibration per band, PSI per branch and override outcomes, and flags branch B', async () => {
      const answer = await server.admin('GET', '/v1/admin/monitoring');
      expect(answer.status).toBe(200);
      const report = MonitoringReportSchema.parse(answer.body);
      expect(report.excluded).toEqual({
        scoresWithoutAttachment: 0,
        inconsistentScores: 1,
        decisionsWithoutScore: 1,
        inconsistentFeatureCounts: 0,
        unknownChallengers: 0,
      });
      const [model] = report.models;
      expect(model?.modelVersion).toBe('1.0.0');
      const manifest = JSON.parse(readFileSync(join(testModelDir(), 'manifest.json'), 'utf8')) as {
        metrics: { holdout: { auc: number; rows: number } };
      };
      expect(model?.baseline).toEqual({
        release: '2026.11.1',
        holdoutAuc: manifest.metrics.holdout.auc,
        holdoutRows: manifest.metrics.holdout.rows,
      });
      const segment = (branch: string | null) => model?.segments.find((s) => s.branchId === branch);
      const all = segment(null);
      const a = segment('MON-A');
      const b = segment('MON-B');

      // Every figure against one computed here from the plan.
      const believed = [...plan.values()].filter((p) => p.attachedBand === undefined);
      const labels = believed.map((p) => (bads.has(decisionOfScore.get(p.scoreId) ?? '') ? 1 : 0));
      expect(all?.performance).toMatchObject({ loans: 120, withOutcome: 120, matured: 120, bad: 36 });
      expect(all?.performance.auc).toBeCloseTo(
        auc(
          labels,
          believed.map((p) => p.pd),
        ),
        12,
      );
      expect(all?.performance.aucInterval?.low).toBeLessThan(all?.performance.auc ?? 0);
      expect(a?.performance).toMatchObject({ matured: 60, bad: 6 });
      expect(a?.performance.auc).toBeGreaterThan(0.9);
      expect(all?.decisions).toMatchObject({ total: 120, approved: 120, overrides: 60 });
      expect(b?.overrides).toMatchObject({ raisedToApproval: 60, matured: 60, bad: 30, badRate: 0.5 });
      expect(b?.overrides.statuses).toMatchObject({ dpd90: 30, repaid: 30 });

      expect(a?.calibration.map((c) => c.band)).toEqual(['B', 'D']);
      expect(b?.calibration).toEqual([expect.objectContaining({ band: 'E', matured: 60, miscalibrated: true })]);
      expect(a?.stability).toEqual([expect.objectContaining({ scores: 60, level: 'stable' })]);
      expect(b?.stability).toEqual([expect.objectContaining({ scores: 60, level: 'act' })]);

      // Characteristic stability: every feature of A stable; of B, debt-to-income alone moved.
      const features = drift().map((d) => d.feature);
      expect(a?.featureStability.map((f) => [f.feature, f.month, f.scores, f.level])).toEqual(
        [...features].sort().map((f) => [f, MONTH, 60, 'stable']),
      );
      expect(b?.featureStability.filter((f) => f.level !== 'stable').map((f) => [f.feature, f.level])).toEqual([
        ['debtToIncome', 'act'],
      ]);
      expect(all?.featureStability.find((f) => f.feature === 'debtToIncome')?.scores).toBe(120);

      const flags = report.flags.map((f) => `${f.code}:${f.branchId ?? 'ALL'}`);
      expect(flags).toEqual(
        expect.arrayContaining(['psi-act:MON-B', 'miscalibrated-band:MON-B', 'feature-psi-act:MON-B']),
      );
      expect(report.flags.filter((f) => f.code === 'feature-psi-act').map((f) => f.feature)).toEqual(
        expect.arrayContaining(['debtToIncome']),
      );
      expect(new Set(report.flags.filter((f) => f.code === 'feature-psi-act').map((f) => f.feature))).toEqual(
        new Set(['debtToIncome']),
      );
      expect(flags.filter((f) => f.endsWith(':MON-A'))).toEqual([]);
      // Figures only: no applicant, score or decision id anywhere in the report.
      expect(JSON.stringify(report)).not.toMatch(/NEX-|SC-0|DC-0/);
    });

    it('exports every figure as CSV and shows the flags and figures as metrics', async () => {
      const response = await fetch(`${server.url}/v1/admin/monitoring/export`, {
        headers: { authorization: `Bearer ${server.adminToken}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="nexis-model-monitoring-/);
      const parsed = Papa.parse<Record<string, string>>(await response.text(), { header: true, skipEmptyLines: true });
      expect(parsed.errors).toEqual([]);
      const find = (metric: string, branch: string) =>
        parsed.data.find((r) => r.metric === metric && r.branch === branch);
      expect(find('holdout_auc', 'ALL')).toBeDefined();
      expect(Number(find('matured_loans', 'MON-B')?.value)).toBe(60);
      expect(find('score_psi', 'MON-B')?.note).toBe('act');
      expect(find('band_observed_bad_rate', 'MON-B')).toMatchObject({ band: 'E', note: 'miscalibrated' });
      const featureRows = parsed.data.filter((r) => r.metric === 'feature_psi' && r.branch === 'MON-B');
      expect(featureRows).toHaveLength(drift().length);
      expect(featureRows.find((r) => r.feature === 'debtToIncome')).toMatchObject({
        month: MONTH,
        n: '60',
        note: 'act',
      });

      const text = await server.metrics.registry.metrics();
      expect(text).toMatch(/nexis_model_monitoring_flags\{model_version="1\.0\.0",code="psi-act"\} [1-9]/);
      expect(text).toMatch(/nexis_model_matured_loans\{model_version="1\.0\.0",branch="MON-B"\} 60/);
      const psi = (branch: string): number =>
        Number(
          new RegExp(`nexis_model_score_psi\\{model_version="1\\.0\\.0",branch="${branch}"\\} (\\S+)`).exec(text)?.[1],
        );
      expect(psi('MON-A')).toBeLessThan(0.1);
      expect(psi('MON-B')).toBeGreaterThan(0.25);
      const featurePsi = (feature: string): number =>
        Number(
          new RegExp(`nexis_model_feature_psi\\{model_version="1\\.0\\.0",feature="${feature}"\\} (\\S+)`).exec(
            text,
          )?.[1],
        );
      // All branches together: half the fleet's debt-to-income moved; the other features did not.
      expect(featurePsi('debtToIncome')).toBeGreaterThan(0.25);
      expect(featurePsi('savingsRate')).toBeLessThan(0.1);
      expect(text).toMatch(/nexis_model_monitoring_flags\{model_version="1\.0\.0",code="feature-psi-act"\} [1-9]/);
    });

    it('refuses a bad window and a request without an administrator session', async () => {
      expect((await server.admin('GET', '/v1/admin/monitoring?performanceMonths=0')).status).toBe(400);
      expect((await server.admin('GET', '/v1/admin/monitoring?performanceMonths=abc')).status).toBe(400);
      expect((await server.admin('GET', '/v1/admin/monitoring?unknown=1')).status).toBe(400);
      for (const path of ['/v1/admin/monitoring', '/v1/admin/monitoring/export', '/v1/%61dmin/monitoring']) {
        expect((await fetch(`${server.url}${path}`)).status).toBeGreaterThanOrEqual(401);
      }
    });
  });
}
