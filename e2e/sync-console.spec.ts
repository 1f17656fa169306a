/**
 * The administrator's sync console against a real central API: sign in as a named central administrator (password,
 * then TOTP enrolment), enrol this workstation with a code made in the same console, sync, read the bank-wide
 * overview, propose a policy and model releases that a second administrator approves before they come back through
 * the feed, and revoke the device (also four eyes), which the device then learns at its next sync. A second test
 * stops the central API and checks that both halves of the console say so and offer a retry.
 */
import { writeFileSync } from 'node:fs';
import type { Locator } from '@playwright/test';
import { test, expect, centralAdmin } from './central-server';
import {
  MODEL_DIR,
  approveProposal,
  consoleSignInCard,
  createEnrolmentCode,
  enrol,
  fillConsoleSignIn,
  pendingProposals,
  proposeModel,
  signInConsole,
  signOutConsole,
  switchConsoleAdmin,
  syncNow,
  workstationCard,
} from './pages/sync-console';
import { WorkstationPage } from './pages/workstation-page';
import { signedPolicyText, signWithCommand } from './releases';

const BRANCH = 'NBO-01';

// Signed checkpoints every 2 audit entries (500 in the app), so a short session already has countersignatures.
test.use({ harnessArgs: ['--checkpoint-every', '2'] });
const POLICY_VERSION = '2026.11-1';
const WAITING = /^Proposed — waiting for a second release manager to approve “/;

test('an administrator enrols the workstation, watches the bank, proposes releases and a revocation', async ({
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
  await app.chooseColourScheme('Light');
  await app.goTo('Sync console');

  const card = workstationCard(page);
  await expect(card.getByTestId('workstation-state')).toHaveText('Not configured');
  await app.screenshot('30-sync-console-not-enrolled', { hideNotifications: true });

  // The sign-in card checks its fields, and a refusal is told in the card, not in a notification as well.
  const signIn = consoleSignInCard(page);
  await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(signIn.getByText('Your user name is required')).toBeVisible();
  await expect(signIn.getByText('The password is required')).toBeVisible();
  await fillConsoleSignIn(page, central, { username: amina.username, password: 'not-the-password', totp: '' });
  await expect(signIn.getByTestId('console-sign-in-error')).toContainText('The user name, password or code is wrong.');
  await expect(
    page.locator('.mantine-Notifications-root').getByText('The user name, password or code is wrong.'),
  ).toHaveCount(0);
  await expect(signIn.getByRole('textbox', { name: 'Password', exact: true })).toHaveValue('');
  await signInConsole(page, central, amina);
  await expect(page.getByRole('region', { name: 'Devices' })).toContainText('No workstations enrolled yet');
  await expect(page.getByRole('region', { name: 'Proposals' })).toContainText('Nothing waiting for a decision');

  const code = await createEnrolmentCode(app, BRANCH, '30b-sync-enrolment-code');
  const deviceId = await enrol(page, central, code, BRANCH);

  // Sync now: every entry acknowledged.
  await syncNow(page);
  await expect(page.getByText('Sync finished: every audit entry is acknowledged by the central API.')).toBeVisible();
  await expect(card.getByTestId('workstation-backlog')).toContainText('Nothing waiting');
  // The central API countersigns the device's signed checkpoints (every 2 entries in this spec's harness); the
  // card shows the newest, verified against this workstation's own chain.
  await expect(card.getByTestId('workstation-checkpoint')).toContainText('#');
  await expect(card.getByTestId('workstation-last-error')).toHaveCount(0);

  // The bank-wide overview lists the device as healthy.
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  const row = page.getByRole('table', { name: 'Devices' }).locator(`tr[data-device-id="${deviceId}"]`);
  await expect(row).toHaveAttribute('data-status', 'active');
  await expect(row).toHaveAttribute('data-chain-status', 'ok');
  await expect(row).toHaveAttribute('data-backlog', '0');
  await expect(row).toContainText(BRANCH);
  await expect(row).toContainText('This workstation');
  await expect(row.getByTestId('device-countersigned')).toContainText('#');
  const activity = page.getByRole('region', { name: 'Branch activity' });
  await expect(activity.getByTestId('activity-chart')).toBeVisible();
  await expect(activity.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(activity.getByTestId('activity-summary')).toContainText('from 1 branch since');
  await expect(page.getByRole('table', { name: 'Audit entries per branch and action family' })).toContainText(BRANCH);
  await expect(page.getByRole('region', { name: 'Chain issues' })).toContainText('No chain issues');

  await app.screenshot('31-sync-console-light', { hideNotifications: true });
  await app.chooseColourScheme('Dark');
  await app.screenshot('31b-sync-console-dark', { hideNotifications: true });
  await app.chooseColourScheme('Light');

  // A policy release: prepared here, signed offline with the bank's release key (the operator's command), checked
  // here again, then proposed; a second release manager approves it before it goes out.
  await page.getByRole('button', { name: 'Publish policy', exact: true }).click();
  const policy = page.getByRole('dialog', { name: 'Publish policy' });
  await policy.locator('label').filter({ hasText: 'Prepare a release to sign' }).click();
  const field = (name: string): Locator => policy.getByRole('textbox', { name, exact: true });
  await field('Version').fill(POLICY_VERSION);
  await field('Serial').fill('1');
  await field('Approve cut-off').fill('560');
  await field('Refer cut-off').fill('620');
  await field('Reason texts (optional)').fill('{"x": ');
  await policy.getByRole('button', { name: 'Show the file to sign' }).click();
  await expect(policy.getByText(/^Refer cut-off: must be below the approve cut-off \(560\)/)).toBeVisible();
  await expect(policy.getByText('Not valid JSON')).toBeVisible();
  await field('Reason texts (optional)').fill('{"income-not-verified": {"en": "Income not verified."}}');
  await policy.getByRole('button', { name: 'Show the file to sign' }).click();
  await expect(policy.getByText(/^income-not-verified\.sw: /)).toBeVisible();
  await field('Approve cut-off').fill('620');
  await field('Refer cut-off').fill('560');
  await field('Reason texts (optional)').fill(
    '{"income-not-verified": {"en": "The income stated could not be verified.", "sw": "Mapato hayakuthibitishwa."}}',
  );
  // 620 is more than the branches' 50-point step from the built-in cut-offs: said on purpose, or branches refuse it.
  await policy.getByRole('checkbox', { name: /^A large move/ }).check();
  await policy.getByRole('button', { name: 'Show the file to sign' }).click();
  const toSign = (await policy.getByTestId('policy-to-sign').textContent()) ?? '';
  await app.screenshot('32a-sync-policy-to-sign', { hideNotifications: true, fullPage: false });
  expect(JSON.parse(toSign)).toMatchObject({
    kind: 'policy',
    serial: 1,
    release: { version: POLICY_VERSION, largeMove: true },
  });
  const unsignedFile = test.info().outputPath('policy.json');
  writeFileSync(unsignedFile, toSign);
  const signedFile = await signWithCommand(unsignedFile, test.info().outputPath('policy.signed.json'));
  await policy.getByRole('button', { name: 'Done' }).click();
  await expect(policy).toBeHidden();

  // Proposing: an unsigned file and a stranger's signature are refused on this workstation, before anything is sent.
  await page.getByRole('button', { name: 'Publish policy', exact: true }).click();
  const signedText = field('Signed release');
  await signedText.fill(toSign);
  await policy.getByRole('button', { name: 'Review' }).click();
  await expect(
    policy.getByText('This release is not signed yet: sign it offline with npm run release:sign first'),
  ).toBeVisible();
  await signedText.fill(
    signedPolicyText({ version: POLICY_VERSION, serial: 1, approve: 620, refer: 560 }, { forged: true }),
  );
  await policy.getByRole('button', { name: 'Review' }).click();
  await policy.getByRole('button', { name: 'Verify and propose' }).click();
  await expect(app.notification(/The policy release does not verify: signed with key/)).toBeVisible();
  await policy.getByRole('button', { name: 'Back' }).click();
  await policy.locator('input[type="file"]').setInputFiles(signedFile);
  await expect(signedText).toHaveValue(/"signature"/);
  await app.screenshot('32b-sync-policy-signed', { hideNotifications: true, fullPage: false });
  await policy.getByRole('button', { name: 'Review' }).click();
  await expect(policy).toContainText(
    `Policy ${POLICY_VERSION} (serial 1): approve 620 · refer 560, 1 reason text, declared as a large move.`,
  );
  await app.screenshot('32-sync-publish-policy', { hideNotifications: true, fullPage: false });
  await policy.getByRole('button', { name: 'Verify and propose' }).click();
  await expect(page.getByText(WAITING).filter({ hasText: `Policy release ${POLICY_VERSION}` })).toBeVisible();
  await expect(policy).toBeHidden();
  await expect(pendingProposals(page)).toContainText(`Policy release ${POLICY_VERSION}`);

  // Model releases: verified here before they are proposed; a refused package never becomes a proposal.
  await proposeModel(page, '/nonexistent/model-package', '2026.11-m0');
  await expect(app.notification(/No signed model package in that folder/)).toBeVisible();
  const refused = page.getByRole('dialog', { name: 'Publish model release' });
  await refused.getByRole('button', { name: 'Back' }).click();
  await refused.getByRole('button', { name: 'Cancel' }).click();
  await expect(refused).toBeHidden();
  await proposeModel(page, MODEL_DIR, '2026.11-m1');
  await expect(page.getByText(WAITING).filter({ hasText: 'Model release 2026.11-m1' })).toBeVisible();

  // Nothing is published yet: this workstation's sync brings neither.
  await syncNow(page);
  const model = card.getByTestId('workstation-model');
  await expect(card.getByTestId('workstation-policy')).not.toHaveText(POLICY_VERSION);
  await expect(model).not.toContainText('2026.11-m1');

  // The second administrator approves both on this workstation; the next sync installs them.
  await switchConsoleAdmin(page, central, baraka);
  await approveProposal(page, `Policy release ${POLICY_VERSION}`, 'Cut-offs agreed at the credit committee.');
  await approveProposal(page, 'Model release 2026.11-m1', 'Hold-out metrics checked.');
  await syncNow(page);
  await expect(card.getByTestId('workstation-policy')).toHaveText(POLICY_VERSION);
  await expect(model).toContainText('2026.11-m1');

  // The other way round: baraka proposes, amina approves; then the device rolls back to the earlier model.
  await proposeModel(page, MODEL_DIR, '2026.11-m2');
  await switchConsoleAdmin(page, central, amina);
  await approveProposal(page, 'Model release 2026.11-m2', 'Second release checked.');
  await syncNow(page);
  await expect(model).toContainText('2026.11-m2');
  await expect(model).toContainText('previous 2026.11-m1');
  await model.getByRole('button', { name: 'Roll back model' }).click();
  const rollBack = page.getByRole('dialog', { name: 'Roll back the scoring model?' });
  await rollBack.getByRole('button', { name: 'Roll back model' }).click();
  await expect(page.getByText('Model release 2026.11-m1 is current again.')).toBeVisible();
  await expect(model.locator('code').first()).toHaveText('2026.11-m1');

  // App releases: nothing offered on either channel yet; the publish form reads only a signed app release.
  const appReleases = page.getByRole('region', { name: 'App releases' });
  await expect(appReleases.locator('[data-app-channel]')).toHaveCount(2);
  await expect(appReleases.getByText(/^Nothing offered/)).toHaveCount(2);
  await app.screenshotOf(appReleases, '33a-sync-app-releases');
  await appReleases.getByRole('button', { name: 'Publish app release…' }).click();
  const publishApp = page.getByRole('dialog', { name: 'Publish app release' });
  await publishApp.getByRole('textbox', { name: 'Signed release', exact: true }).fill(toSign);
  await publishApp.getByRole('button', { name: 'Review' }).click();
  await expect(publishApp.getByText('This is a policy release, not an app release')).toBeVisible();
  await app.screenshot('33b-sync-publish-app-release', { hideNotifications: true, fullPage: false });
  await publishApp.getByRole('button', { name: 'Cancel' }).click();
  await expect(publishApp).toBeHidden();

  // Revoking the device is proposed too; once approved the central API refuses it, and its next sync says so.
  await page.getByRole('button', { name: `Revoke ${deviceId}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Propose revoking this device?' });
  await expect(confirm).toContainText('This is the workstation you are using.');
  await confirm.getByRole('button', { name: 'Propose revocation' }).click();
  await expect(
    page.getByText(/^Proposed — waiting for a second security administrator to approve “Revoke /),
  ).toBeVisible();
  await expect(row).toHaveAttribute('data-status', 'active');
  await switchConsoleAdmin(page, central, baraka);
  await approveProposal(page, `Revoke ${deviceId}`, 'Workstation reported stolen.');
  await expect(row).toHaveAttribute('data-status', 'revoked');
  await expect(page.getByRole('button', { name: `Revoke ${deviceId}` })).toHaveCount(0);

  await syncNow(page);
  await expect(card.getByTestId('workstation-state')).toHaveText('Revoked');
  await expect(card.getByText('Revoked by the bank', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Failures' })).toContainText(deviceId);
  await app.screenshot('33-sync-console-revoked', { hideNotifications: true });

  // Signing out ends the central session: the console asks to sign in again.
  await signOutConsole(page);
  // The hand-overs above said it too; their notifications may still be showing.
  await expect(
    page.getByText('Signed out of the central server: this workstation no longer holds the session.').last(),
  ).toBeVisible();
});

test('when the central API goes away, the console says so and offers a retry', async ({ page, harness, central }) => {
  test.setTimeout(90_000);
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  await app.chooseColourScheme('Dark');
  await app.goTo('Sync console');
  await signInConsole(page, central, centralAdmin(central, 'amina'));
  await enrol(page, central, await createEnrolmentCode(app, BRANCH), BRANCH);
  await syncNow(page);
  await expect(page.getByText('Sync finished: every audit entry is acknowledged by the central API.')).toBeVisible();
  const refresh = page.getByRole('button', { name: 'Refresh', exact: true });
  await refresh.click();
  const devices = page.getByRole('table', { name: 'Devices' });
  await expect(devices.locator('tr[data-status="active"]')).toHaveCount(1);

  await central.stop();

  // This workstation: the failed round is told, kept on the card with its code, and can be retried.
  const card = workstationCard(page);
  await syncNow(page);
  await expect(app.notification(/^Sync failed/)).toBeVisible();
  const lastError = card.getByTestId('workstation-last-error');
  await expect(lastError).toContainText('could not be reached');
  await expect(card.getByTestId('workstation-state')).toHaveText('Error');
  await lastError.getByRole('button', { name: 'Retry now' }).click();
  await expect(lastError).toBeVisible();

  // The bank-wide part keeps the last overview, marked as out of date: said once, on the panel, with no toast.
  await refresh.click();
  await expect(page.getByText('Not up to date', { exact: true })).toBeVisible();
  await expect(page.getByRole('alert', { name: 'Not up to date' })).toContainText('cannot be reached');
  await expect(app.notification(/^Central server unreachable/)).toHaveCount(0);
  await expect(devices.locator('tr[data-status="active"]')).toHaveCount(1);
  await app.screenshot('34-sync-console-unreachable-dark', { hideNotifications: true });
});
