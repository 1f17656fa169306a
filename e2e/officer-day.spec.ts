/**
 * The officer's day (issue 15, items 6 and 7): the organisation check when a registration starts, landing on the
 * applicant queue with stage, score and next step, the masked name as the applicant page's heading, navigation that
 * returns to lists, focus on each new screen's heading, the duplicate warning, and phone search in any written form.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { ApplicantScreens, FORM_VALUES, PERSON } from './pages/applicant-page';
import { AccessibilityAudit } from './pages/axe';
import { ADMIN, WorkstationPage, type Account } from './pages/workstation-page';

const OFFICER: Account = { displayName: 'Otieno Odhiambo', username: 'otieno', password: 'Temporary-Pass-01' };
const OFFICER_PASSWORD = 'Officer-Secret-301';
const SHOTS = '/tmp/shots-H4';

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.mouse.move(1, 1);
  await page.waitForTimeout(350);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false });
}

/** The h1 of the screen now shown has the focus (the shell moves it there after every screen change). */
async function expectHeadingFocused(app: WorkstationPage, name: string | RegExp): Promise<void> {
  await expect(app.heading(name)).toBeFocused();
}

test("the officer's day: organisation check, queue, applicant heading, navigation, focus, duplicates, search", async ({
  page,
  harness,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  const app = new WorkstationPage(page);
  const screens = new ApplicantScreens(app);
  const audit = new AccessibilityAudit(page);
  await app.open(harness.url);
  await app.setUp();
  // An administrator keeps landing on Status.
  await expectHeadingFocused(app, 'Status');
  await app.createOfficer(OFFICER, 'Loan officer');
  await app.signOut();

  // An officer lands on the applicant queue, focus on its heading.
  await screens.firstSignIn(OFFICER, OFFICER_PASSWORD);
  await expect(app.heading('Applicants')).toBeVisible();
  await expect(app.navItem('Applicants')).toHaveAttribute('aria-current', 'page');
  await expectHeadingFocused(app, 'Applicants');

  // Without the bank's controller details, a new registration says so at once, and who can set them.
  await page.getByRole('button', { name: 'New applicant' }).click();
  await expectHeadingFocused(app, 'New applicant');
  const missing = page.getByTestId('organisation-missing');
  await expect(missing).toContainText("The bank's controller details are missing");
  await expect(missing).toContainText('Settings');
  await expect(missing).toContainText('Ask your administrator');
  await expect(page.getByRole('textbox', { name: 'Full name', exact: true })).toHaveCount(0);
  await shot(page, 'new-applicant-organisation-missing');
  await audit.check('new applicant, controller details missing');
  await app.signOut();

  await app.signIn(ADMIN.username, ADMIN.password);
  await screens.setOrganisation();
  await app.signOut();
  await app.signIn(OFFICER.username, OFFICER_PASSWORD);
  await expectHeadingFocused(app, 'Applicants');

  // Registered, the applicant's page is headed by the masked name, the id beside it.
  const applicantId = await screens.register();
  await screens.openFromReceipt(applicantId);
  const heading = app.heading(/^Wanjiru K\. N\./);
  await expect(heading).toBeVisible();
  await expect(heading).toContainText(applicantId);
  await expectHeadingFocused(app, /^Wanjiru K\. N\./);
  await shot(page, 'applicant-page-heading');
  await audit.check('applicant page');

  // The Applicants navigation item goes back to the list from the applicant page.
  await app.navItem('Applicants').click();
  await expect(app.heading('Applicants')).toBeVisible();
  await expectHeadingFocused(app, 'Applicants');
  const row = page.locator(`tr[data-applicant-id="${applicantId}"]`);
  await expect(row).toContainText('Registered');
  await expect(row).toContainText('Not scored');
  await expect(row.getByRole('button', { name: `Capture behavioural data: ${applicantId}` })).toBeVisible();

  // The queue's next step opens the tab where it is done; after capture the next step is to score.
  await row.getByRole('button', { name: `Capture behavioural data: ${applicantId}` }).click();
  await expect(screens.tab('Behavioural data')).toHaveAttribute('aria-selected', 'true');
  for (const [label, value] of Object.entries(FORM_VALUES)) {
    await screens.featureInput(label).fill(value);
  }
  await page.getByRole('button', { name: 'Save behavioural data' }).click();
  await expect(page.getByText('Behavioural data saved.')).toBeVisible();
  await app.navItem('Applicants').click();
  await expect(row).toContainText('Data captured');
  await row.getByRole('button', { name: `Score: ${applicantId}` }).click();
  await expect(screens.tab('Review and decision')).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('button', { name: 'Score', exact: true }).click();
  await expect(page.getByTestId('score-summary')).toBeVisible();
  await app.navItem('Applicants').click();
  await expect(row).toContainText('Scored');
  await expect(row.getByTestId('applicant-score')).toContainText(/\d{3} · band [A-E]/);
  await expect(row.getByRole('button', { name: `Decide: ${applicantId}` })).toBeVisible();
  await shot(page, 'applicant-queue');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'applicant-queue-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await audit.check('applicant queue');

  // Search normalises phone numbers: the Kenyan local form finds +254 712 345 678.
  for (const written of ['0712345678', '0712-345-678', '254712345678']) {
    await page.getByRole('textbox', { name: 'Search' }).fill(written);
    await expect(page.getByTestId('applicants-count')).toHaveText('1 applicant');
    await expect(row).toBeVisible();
  }
  await shot(page, 'applicant-search-phone');
  await page.getByRole('textbox', { name: 'Search' }).fill('');

  // The same national id and phone (written another way) warn before registration goes on, naming the applicant.
  await page.getByRole('button', { name: 'New applicant' }).click();
  const field = (name: string) => page.getByRole('textbox', { name, exact: true });
  await field('Full name').fill('Wanjiru Kamau Njeri');
  await field('Phone').fill('0712 345 678');
  await field('National id').fill(PERSON.nationalId);
  await page.getByLabel('Date of birth').fill(PERSON.dateOfBirth);
  await page.getByRole('button', { name: 'Continue to consent' }).click();
  const warning = page.getByRole('dialog', { name: 'This applicant may already be registered' });
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('Wanjiru K. N.');
  await expect(warning).toContainText(applicantId);
  await expect(warning).toContainText('Same national id and phone number');
  await expect(page.getByTestId('consent-notice')).toBeHidden();
  await shot(page, 'duplicate-warning');
  await audit.check('duplicate warning');

  // Continue: a different person goes on to consent; back, and the warning comes again; Open goes to the applicant.
  await warning.getByRole('button', { name: 'Continue: a different person' }).click();
  await expect(page.getByTestId('consent-notice')).toBeVisible();
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await page.getByRole('button', { name: 'Continue to consent' }).click();
  await expect(warning).toBeVisible();
  await warning.getByRole('button', { name: `Open ${applicantId}` }).click();
  await expect(warning).toBeHidden();
  await expect(app.heading(/^Wanjiru K\. N\./)).toContainText(applicantId);
  await expectHeadingFocused(app, /^Wanjiru K\. N\./);
  // Still one applicant: nothing was registered twice.
  await app.navItem('Applicants').click();
  await expect(page.getByTestId('applicants-count')).toHaveText('1 applicant');
  audit.expectNoFindings();
});
