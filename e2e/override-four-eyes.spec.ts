/**
 * Four eyes on overrides, end to end on one workstation: an officer approves an application the policy declines; the
 * approval waits (no letter) until a supervisor approves it from the Referrals screen, and then it is in force.
 */
import { test, expect } from './fixtures';
import { ApplicantScreens, FORM_VALUES } from './pages/applicant-page';
import { chooseSegment, confirmDecision } from './pages/review-page';
import { WorkstationPage, type Account } from './pages/workstation-page';

test.use({ viewport: { width: 1366, height: 768 } });

const OFFICER: Account = { displayName: 'Otieno Odhiambo', username: 'otieno', password: 'Temporary-Pass-01' };
const SUPERVISOR: Account = { displayName: 'Grace Wambui', username: 'grace.sup', password: 'Temporary-Pass-02' };

/** Behaviour the policy declines (the core's DECLINE_VALUES, as typed in the form). */
const DECLINED: Readonly<Record<string, string>> = {
  'Average monthly mobile-money inflow': '9,000',
  'Inflow volatility': '0.9',
  'Utility bills paid on time (12 months)': '7',
  'Savings rate': '2',
  'Existing debt-to-income': '60',
  'Number of active loans': '3',
  'Worst days past due (12 months)': '45',
};

test('an approval above a declining policy waits for a supervisor, who approves it from Referrals', async ({
  page,
  harness,
}) => {
  test.setTimeout(150_000);
  const app = new WorkstationPage(page);
  const screens = new ApplicantScreens(app);
  await app.open(harness.url);
  await app.setUp();
  await screens.setOrganisation();
  await app.createOfficer(OFFICER, 'Loan officer');
  await app.createOfficer(SUPERVISOR, 'Supervisor');
  await app.signOut();
  await screens.firstSignIn(OFFICER, 'Officer-Secret-301');
  const applicantId = await screens.register();
  await screens.openFromReceipt(applicantId);
  await screens.tab('Behavioural data').click();
  for (const label of Object.keys(FORM_VALUES)) {
    await screens.featureInput(label).fill(DECLINED[label] ?? FORM_VALUES[label] ?? '');
  }
  await page.getByRole('button', { name: 'Save behavioural data' }).click();
  await expect(page.getByText('Behavioural data saved.')).toBeVisible();
  await screens.tab('Review and decision').click();
  await page.getByRole('button', { name: 'Score', exact: true }).click();
  await expect(page.getByTestId('policy-outcome')).toContainText('Decline');

  const decision = page.getByRole('region', { name: 'Decision', exact: true });
  await decision.getByRole('radiogroup', { name: 'Decision' }).locator('label').filter({ hasText: 'Approve' }).click();
  await app.chooseOption(
    decision.getByRole('combobox', { name: 'Override reason' }),
    'Guarantor or collateral offered',
  );
  await decision
    .getByRole('textbox', { name: 'Override note' })
    .fill('Guarantor signed; land title seen at the branch.');
  await decision.getByRole('button', { name: 'Record override: Approve' }).click();
  await expect(page.getByRole('dialog', { name: 'Record this decision?' })).toContainText(
    'waits for a second supervisor’s approval',
  );
  await confirmDecision(page, 'Approve');
  await expect(
    page.getByText('Override recorded: the approve takes effect once another supervisor approves it.'),
  ).toBeVisible();
  const history = page.getByRole('table', { name: 'Decisions' });
  await expect(history.getByTestId('awaiting-approval')).toBeVisible();
  // A pending override is no approval: there is no letter to hand out yet.
  await expect(history.getByRole('button', { name: 'Download letter (PDF)' })).toHaveCount(0);
  await app.signOut();

  await screens.firstSignIn(SUPERVISOR, 'Supervisor-Secret-302');
  await app.goTo('Referrals');
  const overrides = page.getByRole('table', { name: 'Overrides awaiting approval' });
  const row = overrides.getByRole('row').filter({ hasText: applicantId });
  await expect(row.getByTestId('override-policy')).toHaveText('Decline');
  await expect(row.getByTestId('override-requested')).toHaveText('Approve');
  await expect(row.getByTestId('override-reason')).toContainText('Guarantor or collateral offered');
  await expect(row).toContainText('otieno');
  await app.screenshot('20e-referrals-pending-override', { hideNotifications: true });

  await row.getByRole('button', { name: /^Approve or reject DC-/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Approve or reject override' });
  await expect(dialog.getByTestId('override-request')).toContainText(
    'Guarantor signed; land title seen at the branch.',
  );
  await chooseSegment(dialog.getByRole('radiogroup', { name: 'Verdict on the override' }), 'Approve override');
  await dialog
    .getByRole('textbox', { name: 'Reason for your decision' })
    .fill('Title deed checked against the registry.');
  await dialog.getByRole('button', { name: 'Record verdict' }).click();
  await app.screenshotOf(dialog, '20f-override-approval-confirm');
  await dialog.getByRole('button', { name: 'Confirm: Approve override' }).click();
  await expect(page.getByText('Override approved.')).toBeVisible();
  await expect(overrides).toHaveCount(0);

  await screens.openApplicant(applicantId);
  await screens.tab('Review and decision').click();
  await expect(history.locator('[data-superseded="false"]')).toContainText('Override approved');
  await expect(history.getByTestId('verdict-note')).toContainText('Title deed checked against the registry.');
  await expect(history.getByRole('button', { name: 'Download letter (PDF)' })).toBeVisible();
});
