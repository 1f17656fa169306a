/**
 * Model monitoring in the real console (issue 14, item 2): a model release published with four eyes, two branches'
 * workstations (simulated: real device keys, real audit chains, the real sync client) pushing scores and decisions,
 * the bank's core-banking outcomes imported at the centre, then the console's monitoring panel: realised AUC,
 * calibration per band, score stability per branch, each feature's stability from the workstations' bin counts,
 * override outcomes and the flags for the branch whose applicants moved away from the hold-out population. The CSV
 * export is what the panel shows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditRecord } from '../electron/core/audit/audit-log';
import type { Attachment } from '../shared/sync/push';
import { featureBinWindow, type FeatureBinMonth } from '../shared/sync/fleet';
import { countsLike, SimDevice, simFleetReport } from '../server/testing/sim-device';
import { test, expect, centralAdmin } from './central-server';
import {
  MODEL_DIR,
  approveProposal,
  createEnrolmentCode,
  proposeModel,
  signInConsole,
  switchConsoleAdmin,
} from './pages/sync-console';
import { WorkstationPage } from './pages/workstation-page';

const MODEL_HASH = `sha256:${'cd'.repeat(32)}`;
const hex16 = (n: number): string => n.toString(16).toUpperCase().padStart(16, '0');

interface Planned {
  readonly pd: number;
}

/** The last closed month: what a workstation reports now (its month in progress is never sent). */
const MONTH = featureBinWindow(new Date()).last;
/** Scores are made in that month, outcomes are as of today: the tests read the same whatever the date. */
const SCORED_FROM = new Date(`${MONTH}-15T08:00:00.000Z`);
const AS_OF = new Date().toISOString().slice(0, 10);

/** A closed month's bin counts of `scores` applicants: like the training data, but for `moved`, all in its top bin. */
function novemberBins(scores: number, moved?: string): FeatureBinMonth[] {
  const { drift } = JSON.parse(readFileSync(join(MODEL_DIR, 'manifest.json'), 'utf8')) as {
    drift: { feature: string; proportions: number[] }[];
  };
  const features = drift.map((d) => ({
    feature: d.feature,
    bins:
      d.feature === moved
        ? [[d.proportions.length - 1, scores] as [number, number]]
        : countsLike(d.proportions, scores),
  }));
  return [{ modelVersion: '1.0.0', month: MONTH, scores, features }];
}

/** A branch's device whose score.result attachments carry each planned probability, as the workstation sends them. */
function branchDevice(plan: Map<string, Planned>, featureBins: FeatureBinMonth[]): SimDevice {
  return new SimDevice({
    fleetReport: simFleetReport(() => featureBins),
    startAt: SCORED_FROM,
    attachmentFor: (entry: AuditRecord): Attachment | null => {
      if (entry.action !== 'applicant.scored') {
        return null;
      }
      const payload = JSON.parse(entry.payload) as { scoreId: string; band: string; outcome: string };
      const planned = plan.get(payload.scoreId);
      return planned === undefined
        ? null
        : {
            kind: 'score.result',
            body: {
              scoreId: payload.scoreId,
              applicantId: entry.subject ?? '',
              band: payload.band,
              outcome: payload.outcome,
              probabilityOfDefault: planned.pd,
              score: Math.round(700 - 400 * planned.pd),
              modelHash: MODEL_HASH,
              modelVersion: '1.0.0',
            },
          };
    },
  });
}

test('the console shows realised AUC, calibration per band, stability per branch and override outcomes', async ({
  page,
  harness,
  central,
}) => {
  test.setTimeout(180_000);
  const a = new WorkstationPage(page);
  await a.open(harness.url);
  await a.setUp();
  await a.chooseColourScheme('Light');
  await a.goTo('Sync console');
  await signInConsole(a.page, central, centralAdmin(central, 'amina'));
  await proposeModel(a.page, MODEL_DIR, '2026.11-r1');
  await switchConsoleAdmin(a.page, central, centralAdmin(central, 'baraka'));
  await approveProposal(a.page, 'Model release 2026.11-r1', 'Model validation report signed off.');

  const plan = new Map<string, Planned>();
  const outcomes: string[] = [];
  let serial = 0;
  const lend = (device: SimDevice, pd: number, band: string, override: boolean, bad: boolean): void => {
    serial += 1;
    const scoreId = `SC-${hex16(serial)}`;
    const decisionId = `DC-${hex16(serial)}`;
    const applicant = `NEX-E2E${String(serial).padStart(3, '0')}-0001-A`.slice(0, 17);
    plan.set(scoreId, { pd });
    const policy = override ? 'decline' : 'approve';
    device.append(1, 'applicant.scored', applicant, { scoreId, modelHash: MODEL_HASH, band, outcome: policy });
    device.append(1, 'decision.recorded', applicant, {
      decisionId,
      scoreId,
      decision: 'approve',
      policyOutcome: policy,
      ...(override ? { override: 'relationship' } : {}),
    });
    outcomes.push(`${decisionId},${bad ? 'written_off' : 'repaid'},${AS_OF}`);
  };
  const holdout = (
    JSON.parse(readFileSync(join(MODEL_DIR, 'manifest.json'), 'utf8')) as {
      metrics: { holdout: { calibration: { lower: number; upper: number }[] } };
    }
  ).metrics.holdout.calibration;
  // Nairobi's applicants look like the training data; Mombasa's debt-to-income has moved to its top bin.
  const nairobi = branchDevice(plan, novemberBins(80));
  const mombasa = branchDevice(plan, novemberBins(60, 'debtToIncome'));
  await nairobi.client(central.url).enrol(central.url, await createEnrolmentCode(a, 'NBO-01'));
  await mombasa.client(central.url).enrol(central.url, await createEnrolmentCode(a, 'MSA-01'));
  // Nairobi: eight applicants in each hold-out decile, the riskier ones of the top deciles going bad.
  holdout.forEach((bin, decile) => {
    for (let k = 0; k < 8; k += 1) {
      const pd = bin.lower + ((bin.upper - bin.lower) * (k + 0.5)) / 8;
      lend(nairobi, pd, ['A', 'B', 'C', 'D', 'E'][Math.floor(decile / 2)] ?? 'E', false, decile >= 7 && k >= 4);
    }
  });
  // Mombasa: sixty very risky applicants approved over a policy decline; half go bad where nine in ten were expected.
  for (let k = 0; k < 60; k += 1) {
    lend(mombasa, 0.9, 'E', true, k % 2 === 0);
  }
  await nairobi.client(central.url).syncOnce();
  await mombasa.client(central.url).syncOnce();
  // The bank's core-banking file through the console: first with two bad rows (nothing stored), then corrected.
  const outcomesCard = page.getByRole('region', { name: 'Loan outcomes' });
  const fileInput = outcomesCard.locator('input[type="file"]');
  const outcomeFile = (name: string, rows: readonly string[]) => ({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from(`decision_id,status,as_of\n${rows.join('\n')}\n`, 'utf8'),
  });
  await fileInput.setInputFiles(
    outcomeFile('outcomes-2026-11.csv', [
      ...outcomes.slice(0, 3),
      `DC-FFFFFFFFFFFFFFFF,repaid,${AS_OF}`,
      `${outcomes[0] ?? ''}`,
    ]),
  );
  await outcomesCard.getByRole('button', { name: 'Import outcomes' }).click();
  const refused = outcomesCard.getByTestId('outcome-import-refused');
  await expect(refused).toContainText('outcomes-2026-11.csv: nothing was imported');
  const problems = refused.getByRole('table', { name: 'Problems in the outcome file' });
  await expect(problems.getByRole('row')).toHaveCount(3);
  await expect(problems.getByRole('row').nth(1)).toContainText('5');
  await a.screenshotOf(outcomesCard, '59-outcome-import-refused');
  await fileInput.setInputFiles(outcomeFile('outcomes-2026-11-fixed.csv', outcomes));
  await outcomesCard.getByRole('button', { name: 'Import outcomes' }).click();
  await expect(outcomesCard.getByTestId('outcome-import-result')).toContainText(
    `${outcomes.length} rows: ${outcomes.length} stored now, 0 already stored exactly so`,
  );
  await a.screenshotOf(outcomesCard, '59b-outcome-import-stored');

  const panel = page.getByRole('region', { name: 'Model monitoring' });
  await panel.getByRole('button', { name: 'Recompute' }).click();
  await expect(panel).toContainText('Model version 1.0.0');
  await expect(panel).toContainText('(release 2026.11-r1)');
  const branches = panel.getByTestId('monitoring-branches');
  await expect(branches.getByRole('row', { name: /^All branches/ })).toContainText('140');
  await expect(branches.getByRole('row', { name: /^NBO-01/ })).toContainText('stable');
  await expect(branches.getByRole('row', { name: /^MSA-01/ })).toContainText('act');
  // Mombasa's overrides: 30 of the 60 went bad.
  await expect(
    branches
      .getByRole('row', { name: /^MSA-01/ })
      .getByRole('cell')
      .nth(5),
  ).toHaveText(/^30 of 60\s*50\.0 %$/);
  const flags = panel.getByTestId('monitoring-flags');
  await expect(flags).toContainText('Score PSI');
  await expect(flags).toContainText('branch MSA-01');
  await expect(flags).toContainText('Band E (branch MSA-01)');
  await expect(flags).not.toContainText('branch NBO-01');
  await expect(panel.getByTestId('calibration-chart')).toBeVisible();
  await expect(panel.getByTestId('stability-chart')).toBeVisible();
  await a.chooseOption(panel.getByRole('combobox', { name: 'Branch for calibration' }), 'MSA-01');
  await expect(panel.getByTestId('calibration-chart')).toContainText('miscalibrated');
  // Tall enough for the whole panel, centred, so the sticky header does not cover part of the capture.
  await page.setViewportSize({ width: 1280, height: 2800 });
  // Characteristic stability: Mombasa's debt-to-income alone moved, listed first and flagged; Nairobi's are stable.
  await expect(flags).toContainText('debtToIncome: PSI');
  const features = panel.getByTestId('feature-stability-panel');
  const stabilityOf = features.getByTestId('feature-stability');
  await a.chooseOption(features.getByRole('combobox', { name: 'Branch for characteristic stability' }), 'NBO-01');
  await expect(stabilityOf.getByRole('row')).toHaveCount(15);
  // The level badges ('activeLoans' contains "act" too).
  await expect(stabilityOf.getByText(/^(act|watch)$/)).toHaveCount(0);
  await a.chooseOption(features.getByRole('combobox', { name: 'Branch for characteristic stability' }), 'MSA-01');
  await expect(stabilityOf.getByRole('row').nth(1)).toContainText(/^debtToIncome.*act$/);
  await expect(stabilityOf.getByText(/^(act|watch)$/)).toHaveCount(1);
  await features.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await a.screenshotOf(features, '60b-feature-stability');
  await panel.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await a.screenshotOf(panel, '60-model-monitoring');
  await a.chooseColourScheme('Dark');
  await a.screenshotOf(panel, '61-model-monitoring-dark');
  await a.chooseColourScheme('Light');

  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^nexis-model-monitoring-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await file.path()) ?? '', 'utf8');
  expect(csv.split('\r\n')[0]).toBe(
    '"model_version","branch","month","band","feature","metric","value","low","high","n","note"',
  );
  expect(csv).toContain('"1.0.0","MSA-01","","","","matured_loans","60"');
  expect(csv).toMatch(
    new RegExp(`"1\\.0\\.0","MSA-01","${MONTH}","","debtToIncome","feature_psi","[0-9.]+","","","60","act"`),
  );
  expect(csv).not.toMatch(/NEX-|SC-0|DC-0/);
});
