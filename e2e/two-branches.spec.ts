/**
 * The sync issue's "done when", in the real renderer: two workstations (two harness processes, two data folders)
 * and one central API. Branch A's administrator enrols both from the console and sees both; a model release proposed
 * there by one central administrator and approved by a second is installed on both after verification; an erasure
 * requested at A (four eyes as well) is applied at B. The fleet view lists both with their versions, and a second
 * release withdrawn fleet-wide rolls both back to the first.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, centralAdmin } from './central-server';
import { expectNoBrowserErrors, startHarness, watchBrowserErrors } from './fixtures';
import { ApplicantScreens } from './pages/applicant-page';
import {
  MODEL_DIR,
  approveProposal,
  createEnrolmentCode,
  enrol,
  proposeModel,
  signInConsole,
  switchConsoleAdmin,
  syncNow,
  workstationCard,
} from './pages/sync-console';
import { WorkstationPage, type Account } from './pages/workstation-page';

/** Signed checkpoints every 2 audit entries (500 in the app): both branches get countersignatures at once. */
const CHECKPOINTS = ['--checkpoint-every', '2'];
test.use({ harnessArgs: CHECKPOINTS });

const OFFICER: Account = { displayName: 'Neema Mwangi', username: 'neema', password: 'Temporary-Pass-07' };

/** B syncs first so that its report is there when A syncs and reads the console again. */
async function syncAndShowFleet(b: WorkstationPage, a: WorkstationPage): Promise<void> {
  await syncNow(b.page);
  await syncNow(a.page);
  await a.page.getByRole('button', { name: 'Refresh', exact: true }).click();
}

test('two branches enrol, converge, install a release and apply an erasure raised at the other', async ({
  page,
  browser,
  harness,
  central,
}) => {
  test.setTimeout(240_000);
  const dataB = mkdtempSync(join(tmpdir(), 'nexis-e2e-b-'));
  let second: { url: string; child: ChildProcess } | undefined;
  const contextB = await browser.newContext();
  // The fixtures watch the first page's context; branch B's browser gets the same console-error gate.
  const errorsB = watchBrowserErrors(contextB);
  try {
    second = await startHarness(dataB, CHECKPOINTS);
    const a = new WorkstationPage(page);
    const b = new WorkstationPage(await contextB.newPage());

    // Branch A: the administrator signs the console in as central administrator amina and makes a code per branch.
    await a.open(harness.url);
    await a.setUp();
    await a.chooseColourScheme('Light');
    await a.goTo('Sync console');
    await signInConsole(a.page, central, centralAdmin(central, 'amina'));
    const codeA = await createEnrolmentCode(a, 'NBO-01');
    const codeB = await createEnrolmentCode(a, 'MSA-01');
    const deviceA = await enrol(a.page, central, codeA, 'NBO-01');

    // Branch B: its own administrator, an officer who registers an applicant while B is not yet enrolled.
    await b.open(second.url);
    await b.setUp();
    const screensB = new ApplicantScreens(b);
    await screensB.setOrganisation();
    await b.createOfficer(OFFICER, 'Loan officer');
    await b.signOut();
    await screensB.firstSignIn(OFFICER, 'Officer-Secret-707');
    const applicantId = await screensB.register();
    await b.signOut();
    await b.signIn('ada.admin', 'Branch-Ledger-2026!');
    await b.goTo('Sync console');
    const deviceB = await enrol(b.page, central, codeB, 'MSA-01');
    await syncNow(b.page);
    await expect(workstationCard(b.page).getByTestId('workstation-backlog')).toContainText('Nothing waiting');

    // A sees both devices, healthy, with nothing waiting.
    await syncNow(a.page);
    await a.page.getByRole('button', { name: 'Refresh', exact: true }).click();
    const devices = a.page.getByRole('table', { name: 'Devices' });
    for (const [deviceId, branch] of [
      [deviceA, 'NBO-01'],
      [deviceB, 'MSA-01'],
    ] as const) {
      const row = devices.locator(`tr[data-device-id="${deviceId}"]`);
      await expect(row).toHaveAttribute('data-status', 'active');
      await expect(row).toHaveAttribute('data-chain-status', 'ok');
      await expect(row).toHaveAttribute('data-backlog', '0');
      await expect(row).toContainText(branch);
      await expect(row.getByTestId('device-countersigned')).toContainText('#');
    }
    await expect(a.page.getByTestId('activity-summary')).toContainText('from 2 branches since');
    await a.screenshot('35-two-branches-console', { hideNotifications: true });

    // A model release proposed by amina at A and approved there by baraka is verified and installed on both.
    await proposeModel(a.page, MODEL_DIR, '2026.11-r1');
    await switchConsoleAdmin(a.page, central, centralAdmin(central, 'baraka'));
    await approveProposal(a.page, 'Model release 2026.11-r1', 'Model validation report signed off.');
    for (const app of [a, b]) {
      await syncNow(app.page);
      await expect(workstationCard(app.page).getByTestId('workstation-model')).toContainText('2026.11-r1');
    }

    // Fleet view: a second release reaches both; withdrawn fleet-wide (four eyes), both fall back to the first.
    await proposeModel(a.page, MODEL_DIR, '2026.11-r2');
    await switchConsoleAdmin(a.page, central, centralAdmin(central, 'amina'));
    await approveProposal(a.page, 'Model release 2026.11-r2', 'Challenger validated on the hold-out month.');
    await syncAndShowFleet(b, a);
    const fleet = a.page.getByRole('table', { name: 'Fleet' });
    for (const deviceId of [deviceA, deviceB]) {
      const row = fleet.locator(`tr[data-fleet-device="${deviceId}"]`);
      await expect(row).toHaveAttribute('data-model-release', '2026.11-r2');
      await expect(row).toHaveAttribute('data-app-version', /^\d+\.\d+\.\d+/);
    }
    await expect(fleet).toContainText('Branch NBO-01 · 1 workstation');
    await expect(fleet).toContainText('Branch MSA-01 · 1 workstation');
    const releases = a.page.getByRole('table', { name: 'Model releases' });
    await releases
      .locator('tr[data-model-release-row="2026.11-r2"]')
      .getByRole('button', { name: 'Withdraw…' })
      .click();
    const withdraw = a.page.getByRole('dialog', { name: 'Withdraw model release' });
    await withdraw.getByRole('textbox', { name: 'Reason' }).fill('Approval rate drifted above the validated range.');
    await withdraw.getByRole('button', { name: 'Review' }).click();
    await withdraw.getByRole('button', { name: 'Propose withdrawal' }).click();
    await expect(withdraw).toBeHidden();
    await switchConsoleAdmin(a.page, central, centralAdmin(central, 'baraka'));
    await approveProposal(a.page, 'Withdraw model release 2026.11-r2', 'Drift confirmed on the monitoring report.');
    await syncAndShowFleet(b, a);
    for (const [app, deviceId] of [
      [a, deviceA],
      [b, deviceB],
    ] as const) {
      await expect(workstationCard(app.page).getByTestId('workstation-model')).toContainText('2026.11-r1');
      await expect(fleet.locator(`tr[data-fleet-device="${deviceId}"]`)).toHaveAttribute(
        'data-model-release',
        '2026.11-r1',
      );
    }
    await expect(releases.locator('tr[data-model-release-row="2026.11-r2"]')).toContainText('withdrawn');
    await a.screenshot('37-fleet-after-withdrawal', { hideNotifications: true });

    // An erasure proposed at A (by baraka, approved by amina) reaches B at its next sync.
    await a.page.getByRole('button', { name: 'Erasure request', exact: true }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Erasure request' });
    await dialog.getByRole('textbox', { name: 'Applicant id', exact: true }).fill(applicantId);
    await dialog.getByRole('button', { name: 'Review' }).click();
    await dialog.getByRole('button', { name: 'Propose erasure' }).click();
    await expect(dialog).toBeHidden();
    await expect(
      a.page.getByText(/^Proposed — waiting for a second privacy officer to approve “Erase applicant /),
    ).toBeVisible();
    await switchConsoleAdmin(a.page, central, centralAdmin(central, 'amina'));
    await approveProposal(a.page, `Erase applicant ${applicantId}`, 'Applicant asked in writing at branch MSA-01.');
    await syncNow(b.page);
    await b.signOut();
    await b.signIn(OFFICER.username, 'Officer-Secret-707');
    await screensB.openApplicant(applicantId);
    await expect(b.page.getByTestId('applicant-erased')).toBeVisible();
    await b.screenshot('36-two-branches-erased-at-b', { hideNotifications: true });
    expectNoBrowserErrors(errorsB);
  } finally {
    await contextB.close();
    second?.child.kill('SIGTERM');
    rmSync(dataB, { recursive: true, force: true });
  }
});
