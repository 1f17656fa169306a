/**
 * The accessibility gate: axe-core on every screen of the officer's day, and the dialogs on its path, in the light
 * and the dark colour scheme; any serious or critical violation fails, reported with screen, mode, rule and element.
 * Each test checks every screen it reaches before failing, so one run lists all findings at once.
 */
import { test, expect } from './fixtures';
import { AccessibilityAudit } from './pages/axe';
import { ApplicantScreens, FORM_VALUES, PERSON } from './pages/applicant-page';
import { ADMIN, WorkstationPage, type Account } from './pages/workstation-page';

// A long name, as many are: the name column then takes room from the others (where badges were cut short).
const OFFICER: Account = {
  displayName: 'Nyokabi Wanjiru Otieno-Kamau Achieng',
  username: 'nyokabi.otieno-kamau',
  password: 'Temporary-Pass-11',
};
const SUPERVISOR: Account = { displayName: 'Zawadi Achieng', username: 'zawadi.sup', password: 'Temporary-Pass-12' };
const OFFICER_PASSWORD = 'Officer-Chosen-511';
const SUPERVISOR_PASSWORD = 'Supervisor-Chosen-512';

// The workstation's common laptop screen.
test.use({ viewport: { width: 1366, height: 768 } });

test('the sign-in screens and the administrator’s screens pass axe in light and dark mode', async ({
  page,
  harness,
}) => {
  test.setTimeout(180_000);
  const app = new WorkstationPage(page);
  const audit = new AccessibilityAudit(page);
  await app.open(harness.url);

  await expect(app.heading('Set up this workstation')).toBeVisible();
  await audit.check('first run');
  await app.setUp();
  await audit.check('status');

  await app.goTo('Officers');
  await page.getByRole('button', { name: 'New officer' }).click();
  await expect(page.getByRole('dialog', { name: 'New officer account' })).toBeVisible();
  await audit.check('new officer dialog');
  await page.keyboard.press('Escape');
  await app.createOfficer(OFFICER, 'Loan officer');
  // The success notification is on screen too: its close button is checked with the table.
  await audit.check('officers');
  // A window not maximised on the branch's laptop: the status badges must still show their whole text.
  await page.setViewportSize({ width: 1024, height: 768 });
  await audit.check('officers, 1024 px window');
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.getByRole('button', { name: `Reset password of ${OFFICER.username}` }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await audit.check('reset password dialog');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: `Disable ${OFFICER.username}` }).click();
  await expect(page.getByRole('dialog', { name: 'Disable this account?' })).toBeVisible();
  await audit.check('disable account dialog');
  await page.keyboard.press('Escape');

  await app.goTo('Audit trail');
  await audit.check('audit trail');
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByText(/Chain verified|verified/i).first()).toBeVisible();
  await audit.check('audit trail, chain verified');

  await app.goTo('Settings');
  await audit.check('settings');
  await app.goTo('Batch scoring');
  await audit.check('batch scoring');
  await app.goTo('Sync console');
  await audit.check('sync console');

  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(app.heading('Session locked')).toBeVisible();
  await audit.check('locked');
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
  await page.keyboard.press('Enter');
  await expect(app.heading('Session locked')).toHaveCount(0);

  await app.signOut();
  await audit.check('sign in');
  await app.signIn(OFFICER.username, 'not-the-password');
  await expect(page.getByRole('alert').first()).toBeVisible();
  await audit.check('sign in, refused');
  await app.signIn(OFFICER.username, OFFICER.password);
  await expect(app.heading('Choose a new password')).toBeVisible();
  await audit.check('change password');

  audit.expectNoFindings();
});

test('the applicant screens, the decision and the supervisor’s review pass axe in light and dark mode', async ({
  page,
  harness,
}) => {
  test.setTimeout(240_000);
  const app = new WorkstationPage(page);
  const screens = new ApplicantScreens(app);
  const audit = new AccessibilityAudit(page);
  await app.open(harness.url);
  await app.setUp();
  await screens.setOrganisation();
  await app.createOfficer(OFFICER, 'Loan officer');
  await app.createOfficer(SUPERVISOR, 'Supervisor');
  await app.signOut();
  await screens.firstSignIn(OFFICER, OFFICER_PASSWORD);

  await app.goTo('Applicants');
  await audit.check('applicants, empty');
  await page.getByRole('button', { name: 'New applicant' }).click();
  await expect(app.heading('New applicant')).toBeVisible();
  await audit.check('new applicant, personal data');
  await page.getByRole('button', { name: 'Continue to consent' }).click();
  await audit.check('new applicant, personal data with errors');
  const field = (name: string) => page.getByRole('textbox', { name, exact: true });
  await field('Full name').fill(PERSON.fullName);
  await field('Phone').fill(PERSON.phone);
  await field('National id').fill(PERSON.nationalId);
  await page.getByLabel('Date of birth').fill(PERSON.dateOfBirth);
  await page.getByRole('button', { name: 'Continue to consent' }).click();
  await expect(page.getByTestId('consent-notice')).toBeVisible();
  await audit.check('new applicant, consent');
  await page.getByRole('checkbox', { name: /Credit scoring of this application/ }).check();
  await page.getByRole('checkbox', { name: 'The applicant has read or been read the notice and agrees' }).check();
  await page.getByRole('button', { name: 'Register and sign receipt' }).click();
  await expect(app.heading(/^Consent receipt CR-/)).toBeVisible();
  await expect(page.getByTestId('consent-receipt')).toContainText('Signature valid');
  await audit.check('consent receipt');
  const receipt = (await page.getByTestId('consent-receipt').textContent()) ?? '';
  const applicantId = /NEX-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z*~$=]/.exec(receipt)?.[0] ?? '';
  expect(applicantId, 'the receipt names the applicant id').not.toBe('');
  await screens.openFromReceipt(applicantId);
  await audit.check('applicant, overview');
  await screens.tab('Behavioural data').click();
  await audit.check('applicant, behavioural data');
  await screens.fillFeatures(Object.keys(FORM_VALUES));
  await screens.tab('Timeline').click();
  await audit.check('applicant, timeline');
  await screens.tab('Review and decision').click();
  await audit.check('applicant, review before scoring');
  await page.getByRole('button', { name: 'Score', exact: true }).click();
  await expect(page.getByTestId('score-summary')).toBeVisible();
  await audit.check('applicant, review with score');

  // Refer, so that the supervisor has a referral to review.
  const decision = page.getByRole('region', { name: 'Decision', exact: true });
  await decision.getByRole('radiogroup', { name: 'Decision' }).locator('label').filter({ hasText: 'Refer' }).click();
  await app.chooseOption(
    decision.getByRole('combobox', { name: 'Reason codes' }),
    'The income stated could not be verified.',
  );
  await page.keyboard.press('Escape');
  if (await decision.getByTestId('override-fields').isVisible()) {
    await app.chooseOption(
      decision.getByRole('combobox', { name: 'Override reason' }),
      'Doubt about the quality of the data',
    );
    await decision.getByRole('textbox', { name: 'Override note' }).fill('Statement and payslips disagree.');
  }
  await audit.check('applicant, decision form filled');
  await decision.getByRole('button', { name: /^Record (override|decision): Refer/ }).click();
  // The screen confirms before an immutable decision; wait for the dialog rather than peeking (it opens with a
  // transition, so an immediate visibility check can miss it).
  const confirm = page.getByRole('dialog', { name: 'Record this decision?' });
  await expect(confirm).toBeVisible();
  await audit.check('decision confirmation');
  await confirm.getByRole('button', { name: /Record|Confirm/ }).click();
  await expect(page.getByRole('table', { name: 'Decisions' }).getByText('Refer', { exact: true })).toBeVisible();
  await audit.check('applicant, decision recorded');
  await app.goTo('Applicants');
  await audit.check('applicants, with one');
  await app.signOut();

  await screens.firstSignIn(SUPERVISOR, SUPERVISOR_PASSWORD);
  await app.goTo('Referrals');
  const row = page.getByRole('table', { name: 'Pending referrals' }).getByRole('row').filter({ hasText: applicantId });
  await expect(row).toBeVisible();
  await audit.check('referrals');
  await row.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByRole('dialog', { name: 'Review referral' })).toBeVisible();
  await audit.check('review referral dialog');

  audit.expectNoFindings();
});
