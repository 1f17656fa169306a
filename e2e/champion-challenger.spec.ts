/**
 * Champion and challenger in the real console (issue 14, item 3): a release carrying a challenger package (trained and
 * bank-signed here) proposed from the publish form and approved by a second release manager; a branch's workstation
 * (simulated: real device key, real chain, the real sync client) pushes scores with the challenger's shadow figures
 * in the chained entry and the attachment; the bank's outcomes arrive; the monitoring panel compares the two models
 * on the same applicants and loans; then the challenger is promoted, four eyes, and the Fleet panel lists the new
 * release.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditRecord } from '../electron/core/audit/audit-log';
import { fileHash } from '../models/package/signing';
import type { Attachment } from '../shared/sync/push';
import { SimDevice } from '../server/testing/sim-device';
import { testChallengerDir } from '../server/testing/releases';
import { test, expect, centralAdmin } from './central-server';
import {
  MODEL_DIR,
  adminToken,
  approveProposal,
  createEnrolmentCode,
  openProposal,
  pendingProposals,
  proposeModel,
  signInConsole,
  switchConsoleAdmin,
} from './pages/sync-console';
import { WorkstationPage } from './pages/workstation-page';

const CHAMPION_HASH = `sha256:${'cd'.repeat(32)}`;
/** The challenger package of the release, and its model hash: the centre believes only a challenger a release carried. */
const CHALLENGER_DIR = testChallengerDir();
const CHALLENGER_HASH = fileHash(readFileSync(join(CHALLENGER_DIR, 'model.onnx')));
const hex16 = (n: number): string => n.toString(16).toUpperCase().padStart(16, '0');
const scoreOf = (pd: number): number => Math.round(700 - 400 * pd);
const bandOf = (pd: number): string => (pd < 0.15 ? 'A' : pd < 0.3 ? 'B' : 'C');

interface Planned {
  readonly pd: number;
  readonly challengerPd: number;
}

const challengerOf = (p: Planned) => ({
  modelVersion: '1.1.0',
  modelHash: CHALLENGER_HASH,
  score: scoreOf(p.challengerPd),
  band: bandOf(p.challengerPd),
  outcome: p.challengerPd < 0.35 ? ('approve' as const) : ('decline' as const),
});

test('a challenger scored in shadow is compared with its champion and promoted with four eyes', async ({
  page,
  harness,
  central,
}) => {
  test.setTimeout(240_000);
  const a = new WorkstationPage(page);
  await a.open(harness.url);
  await a.setUp();
  await a.chooseColourScheme('Light');
  await a.goTo('Sync console');
  await signInConsole(a.page, central, centralAdmin(central, 'amina'));
  await proposeModel(a.page, MODEL_DIR, '2026.12-c1', CHALLENGER_DIR);
  await switchConsoleAdmin(a.page, central, centralAdmin(central, 'baraka'));
  const proposed = await openProposal(a.page, 'Model release 2026.12-c1');
  await expect(proposed).toContainText('Challenger (shadow)');
  await expect(proposed).toContainText('1.1.0');
  await page.keyboard.press('Escape');
  await expect(proposed).toBeHidden();
  await approveProposal(a.page, 'Model release 2026.12-c1', 'Champion unchanged; challenger validated for shadow.');

  // Nairobi: 120 approved applicants. The challenger ranks the loans that go bad higher than the champion does.
  const plan = new Map<string, Planned>();
  const outcomes: string[] = [];
  const nairobi = new SimDevice({
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
              score: scoreOf(planned.pd),
              probabilityOfDefault: planned.pd,
              modelHash: CHAMPION_HASH,
              modelVersion: '1.0.0',
              challenger: { ...challengerOf(planned), probabilityOfDefault: planned.challengerPd },
            },
          };
    },
  });
  await nairobi.client(central.url).enrol(central.url, await createEnrolmentCode(a, 'NBO-01'));
  for (let k = 0; k < 120; k += 1) {
    const pd = 0.02 + (0.43 * k) / 119;
    const bad = k % 4 === 0 || (k > 90 && k % 2 === 1);
    const planned = { pd, challengerPd: bad ? Math.min(0.95, pd + 0.4) : Math.max(0.01, pd - 0.05) };
    const scoreId = `SC-${hex16(k + 1)}`;
    const decisionId = `DC-${hex16(k + 1)}`;
    const applicant = `NEX-CC${String(k).padStart(4, '0')}-0001-A`.slice(0, 17);
    plan.set(scoreId, planned);
    nairobi.append(1, 'applicant.scored', applicant, {
      scoreId,
      modelHash: CHAMPION_HASH,
      band: bandOf(pd),
      outcome: 'approve',
      challenger: challengerOf(planned),
    });
    nairobi.append(1, 'decision.recorded', applicant, {
      decisionId,
      scoreId,
      decision: 'approve',
      policyOutcome: 'approve',
    });
    outcomes.push(`${decisionId},${bad ? 'written_off' : 'repaid'},2026-12-01`);
  }
  await nairobi.client(central.url).syncOnce();
  const token = await adminToken(central, centralAdmin(central, 'baraka'));
  const imported = await fetch(`${central.url}/v1/admin/outcomes/import`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
    body: `decision_id,status,as_of\n${outcomes.join('\n')}\n`,
  });
  expect(imported.status).toBe(200);

  const panel = page.getByRole('region', { name: 'Model monitoring' });
  await panel.getByRole('button', { name: 'Recompute' }).click();
  const comparison = panel.getByTestId('challenger-1.1.0');
  await expect(comparison).toContainText('beside 120 scores');
  await expect(comparison).toContainText('On 120 matured loans');
  await expect(comparison).toContainText('challenger ahead beyond both intervals');
  const matrix = comparison.getByRole('table', { name: 'Policy outcomes, champion against challenger 1.1.0' });
  await expect(matrix.getByRole('row', { name: /^approve/ })).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 2800 });
  const challengerPanel = panel.getByTestId('challenger-panel');
  await challengerPanel.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await a.screenshotOf(challengerPanel, '62-challenger-comparison');

  // Promote: baraka proposes a release of the challenger's package; amina approves it.
  const releases = page.getByRole('table', { name: 'Model releases' });
  const carrying = releases.locator('tr[data-model-release-row="2026.12-c1"]');
  await expect(carrying).toContainText('1.1.0');
  await carrying.getByRole('button', { name: 'Promote challenger…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Promote challenger' });
  await dialog.getByRole('textbox', { name: 'New release version' }).fill('2026.12-p1');
  await dialog.getByRole('button', { name: 'Review' }).click();
  await expect(dialog).toContainText('The new release carries no challenger');
  await a.screenshotOf(dialog, '63-promote-challenger');
  await dialog.getByRole('button', { name: 'Propose promotion' }).click();
  await expect(dialog).toBeHidden();
  await expect(pendingProposals(page).getByRole('row').filter({ hasText: 'Model release 2026.12-p1' })).toHaveCount(1);
  await expect(releases.locator('tr[data-model-release-row="2026.12-p1"]')).toHaveCount(0);
  await switchConsoleAdmin(a.page, central, centralAdmin(central, 'amina'));
  const promotion = await openProposal(a.page, 'Model release 2026.12-p1');
  await expect(promotion).toContainText('1.1.0');
  await page.keyboard.press('Escape');
  await expect(promotion).toBeHidden();
  await approveProposal(a.page, 'Model release 2026.12-p1', 'Challenger outperformed on matured loans.');
  const promoted = releases.locator('tr[data-model-release-row="2026.12-p1"]');
  await expect(promoted).toContainText('published');
  await expect(promoted.getByRole('button', { name: 'Promote challenger…' })).toHaveCount(0);
  await releases.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await a.screenshotOf(releases, '64-promoted-release');
});
