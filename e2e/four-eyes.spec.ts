/**
 * Four eyes, end to end: two central administrators made with the bootstrap command (the `central` fixture) sign in
 * for the first time with their one-time passwords and enrol TOTP; what one proposes only the other can approve or
 * reject, with a reason; an approved policy release reaches this workstation at its next sync, a rejected one never
 * does; the central audit shows each step.
 */
import { test, expect, centralAdmin } from './central-server';
import { signedPolicyText } from './releases';
import {
  adminApi,
  approveProposal,
  consoleSignInCard,
  createEnrolmentCode,
  enrol,
  fillConsoleSignIn,
  chosenPassword,
  openProposal,
  pendingProposals,
  proposePolicy,
  signInConsole,
  signOutConsole,
  syncNow,
  workstationCard,
} from './pages/sync-console';
import { WorkstationPage } from './pages/workstation-page';
import { AccessibilityAudit } from './pages/axe';

const BRANCH = 'KSM-01';

test('a policy release proposed by one administrator takes effect only when a second approves it', async ({
  page,
  harness,
  central,
}) => {
  test.setTimeout(240_000);
  const amina = centralAdmin(central, 'amina');
  const baraka = centralAdmin(central, 'baraka');
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  // The accessibility checks switch the system scheme, so the app follows it (light unless switched).
  await app.chooseColourScheme('Follow the system');
  const axe = new AccessibilityAudit(page);
  await app.goTo('Sync console');

  // amina's first sign-in: the one-time password from the bootstrap command, then the authenticator enrolment.
  const signIn = consoleSignInCard(page);
  await expect(signIn.getByText('6 digits from your authenticator app. First sign-in: leave it empty')).toBeVisible();
  await app.screenshotOf(signIn, '40-central-sign-in');
  await signInConsole(page, central, amina, {
    screenshot: async () => {
      await app.screenshotOf(
        page.getByRole('region', { name: 'Set up two-step sign-in' }),
        '41-central-totp-enrolment',
      );
      await axe.check('central sign-in, two-step enrolment');
    },
  });
  const who = page.getByTestId('console-admin');
  await expect(who).toContainText('Signed in as amina');
  for (const role of ['Security administrator', 'Release manager', 'Privacy officer']) {
    await expect(who).toContainText(role);
  }
  const card = workstationCard(page);
  await enrol(page, central, await createEnrolmentCode(app, BRANCH), BRANCH);
  await syncNow(page);
  const installed = card.getByTestId('workstation-policy');

  // amina proposes the first policy release: nothing is in force yet, so every line is new.
  await proposePolicy(page, { version: '2026.12-1', serial: 1, approve: 600, refer: 540 });
  const row = pendingProposals(page).getByRole('row').filter({ hasText: 'Policy release 2026.12-1' });
  await expect(row).toContainText('Policy release');
  await expect(row).toContainText('amina (you)');
  await expect(row).toContainText('Release manager');
  let dialog = await openProposal(page, 'Policy release 2026.12-1');
  const diff = dialog.getByRole('table', { name: 'Proposed change' });
  await expect(diff.getByRole('row', { name: /^Cut-off approve/ })).toContainText('600');
  await expect(diff.getByRole('row', { name: /^Cut-off approve/ }).locator('[data-column="before"]')).toHaveText('—');
  // Her own proposal: she cannot decide it, and the dialog says why.
  await expect(dialog.getByRole('button', { name: 'Approve…' })).toBeDisabled();
  await expect(dialog.getByRole('button', { name: 'Reject…' })).toBeDisabled();
  await expect(dialog).toContainText('You made this proposal: a second release manager must approve or reject it.');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // baraka, on the same workstation: his own first sign-in, then he approves with a reason.
  await signOutConsole(page);
  await signInConsole(page, central, baraka);
  dialog = await openProposal(page, 'Policy release 2026.12-1');
  await dialog.getByRole('button', { name: 'Approve…' }).click();
  await dialog.getByRole('button', { name: 'Approve proposal' }).click();
  await expect(dialog.getByText('Give a reason of at least 3 characters.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Back' }).click();
  await page.keyboard.press('Escape');
  await approveProposal(page, 'Policy release 2026.12-1', 'Cut-offs agreed at the credit committee.');
  await expect(page.getByRole('region', { name: 'Proposals' })).toContainText('Nothing waiting for a decision');

  // The workstation installs it with its next sync.
  await syncNow(page);
  await expect(installed).toHaveText('2026.12-1');

  // baraka proposes stricter cut-offs; amina sees the old and the new values side by side.
  await proposePolicy(page, { version: '2026.12-2', serial: 2, approve: 640, refer: 580 });
  await signOutConsole(page);
  // An enrolled account needs the code: the card says so at the code field and keeps the password.
  await fillConsoleSignIn(page, central, { username: amina.username, password: chosenPassword('amina'), totp: '' });
  await expect(signIn.getByText('Enter the 6-digit code from your authenticator app.')).toBeVisible();
  await expect(signIn.getByTestId('console-sign-in-error')).toHaveCount(0);
  await expect(signIn.getByRole('textbox', { name: 'Password', exact: true })).toHaveValue(chosenPassword('amina'));
  await signInConsole(page, central, amina);
  const proposals = page.getByRole('region', { name: 'Proposals' });
  await app.screenshotOf(proposals, '42-proposals-panel');
  dialog = await openProposal(page, 'Policy release 2026.12-2');
  const secondDiff = dialog.getByRole('table', { name: 'Proposed change' });
  const approveLine = secondDiff.getByRole('row', { name: /^Cut-off approve/ });
  await expect(approveLine).toHaveAttribute('data-changed', 'true');
  await expect(approveLine.locator('[data-column="before"]')).toHaveText('600');
  await expect(approveLine.locator('[data-column="after"]')).toHaveText('640');
  const referLine = secondDiff.getByRole('row', { name: /^Cut-off refer/ });
  await expect(referLine.locator('[data-column="before"]')).toHaveText('540');
  await expect(referLine.locator('[data-column="after"]')).toHaveText('580');
  await expect(secondDiff.getByRole('row', { name: /^Version/ }).locator('[data-column="before"]')).toHaveText(
    '2026.12-1',
  );
  await app.screenshot('43-proposal-diff', { hideNotifications: true, fullPage: false });
  // The colour scheme is in the header, behind the dialog: close it, switch, and open the proposal again.
  await page.keyboard.press('Escape');
  await app.chooseColourScheme('Dark');
  dialog = await openProposal(page, 'Policy release 2026.12-2');
  await app.screenshot('43b-proposal-diff-dark', { hideNotifications: true, fullPage: false });
  await page.keyboard.press('Escape');
  await app.chooseColourScheme('Follow the system');
  dialog = await openProposal(page, 'Policy release 2026.12-2');
  await axe.check('proposal dialog with its diff');

  // amina rejects it: nothing changes at the branches, and the decided list keeps her reason.
  await dialog.getByRole('button', { name: 'Reject…' }).click();
  await dialog.getByRole('textbox', { name: 'Why you reject it' }).fill('Wait for the quarterly review.');
  await app.screenshot('43c-proposal-reject', { hideNotifications: true, fullPage: false });
  await dialog.getByRole('button', { name: 'Reject proposal' }).click();
  await expect(dialog).toBeHidden();
  await expect(proposals).toContainText('Nothing waiting for a decision');
  await proposals.locator('label').filter({ hasText: 'Decided' }).click();
  const decided = page.getByRole('table', { name: 'Decided proposals' });
  await expect(decided.getByRole('row').filter({ hasText: 'Policy release 2026.12-2' })).toContainText('Rejected');
  await expect(decided.getByRole('row').filter({ hasText: 'Policy release 2026.12-1' })).toContainText('Approved');
  await syncNow(page);
  await expect(installed).toHaveText('2026.12-1');

  // Two administrators who publish a policy the bank never signed (both accounts compromised, say): the server
  // forwards it, and the workstation refuses it, keeps the policy in force, and says why on the console.
  const forged = JSON.parse(
    signedPolicyText({ version: '2026.12-forged', serial: 9, approve: 301, refer: 300 }, { forged: true }),
  ) as unknown;
  const asAmina = await adminApi(central, amina);
  const asBaraka = await adminApi(central, baraka);
  const sneaked = await asAmina('POST', '/v1/admin/policy-releases', forged);
  expect(sneaked.status).toBe(202);
  const sneakedId = (sneaked.body as { proposal: { id: number } }).proposal.id;
  expect(
    (await asBaraka('POST', `/v1/admin/proposals/${sneakedId}/approve`, { reason: 'compromised accounts' })).status,
  ).toBe(200);
  await syncNow(page);
  await expect(installed).toHaveText('2026.12-1');
  await expect(card).toContainText(/signed with key [0-9a-f]{16}, not the bank's release key/);
  await app.screenshotOf(card, '45-forged-policy-refused');

  // The central audit: every sign-in, proposal and decision, filtered by the start of the action.
  const audit = page.getByRole('region', { name: 'Central audit' });
  const entries = audit.getByRole('table', { name: 'Central audit entries' });
  await audit.getByRole('button', { name: 'Refresh the central audit' }).click();
  await expect(entries.locator('tr[data-action="admin.totp_enrolled"]')).toHaveCount(2);
  await app.chooseOption(audit.getByRole('combobox', { name: 'Action' }), 'Proposals (proposal.)');
  // Two policy releases, and the forged one the two administrators pushed through.
  await expect(entries.locator('tr[data-action="proposal.created"]')).toHaveCount(3);
  await expect(entries.locator('tr[data-action="proposal.approved"]')).toHaveCount(2);
  await expect(entries.locator('tr[data-action="proposal.rejected"]')).toHaveCount(1);
  await expect(entries.locator('tr[data-action^="admin."]')).toHaveCount(0);
  await app.screenshotOf(audit, '44-central-audit');
  await app.chooseColourScheme('Dark');
  await app.screenshotOf(audit, '44b-central-audit-dark');
  await app.chooseColourScheme('Follow the system');
  await axe.check('sync console signed in: workstation, proposals, central audit');
  axe.expectNoFindings();
});
