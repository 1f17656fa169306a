import { readFileSync } from 'node:fs';
import type { Download } from '@playwright/test';
import { test, expect } from './fixtures';
import { ApplicantScreens, NOT_FROM_STATEMENT } from './pages/applicant-page';
import { WorkstationPage, type Account } from './pages/workstation-page';

const OFFICER: Account = { displayName: 'Otieno Odhiambo', username: 'otieno', password: 'Temporary-Pass-01' };
const SUPERVISOR: Account = { displayName: 'Grace Wambui', username: 'grace.sup', password: 'Temporary-Pass-02' };
const STATEMENT = 'resources/samples/statement-sample.csv';

/** Applicant ids may end in a check symbol such as `*`, which no file name may hold. */
const fileSafe = (name: string): string => name.replace(/[\\/:*?"<>|]/g, '_');

test('intake: consent and receipt, statement import, form, withdrawal stops scoring, export, erasure', async ({
  page,
  harness,
}) => {
  test.setTimeout(120_000);
  const app = new WorkstationPage(page);
  const screens = new ApplicantScreens(app);
  await app.open(harness.url);
  await app.setUp();
  await screens.setOrganisation();
  await app.screenshot('10-settings-organisation', { hideNotifications: true });
  await app.createOfficer(OFFICER, 'Loan officer');
  await app.createOfficer(SUPERVISOR, 'Supervisor');
  await app.signOut();

  await screens.firstSignIn(OFFICER, 'Officer-Secret-301');
  await expect(app.navItem('Applicants')).toBeVisible();
  const applicantId = await screens.register(undefined, { screenshot: '10b-consent-step' });
  const receipt = page.getByTestId('consent-receipt');
  await expect(receipt).toContainText('Umoja Community Bank Ltd');
  await expect(receipt.locator('[data-purpose="credit-scoring"]')).toContainText('Granted');
  await expect(receipt.locator('[data-purpose="central-sync"]')).toContainText('Declined');
  await expect(receipt).toContainText('Otieno Odhiambo');
  await app.screenshot('11-consent-receipt', { hideNotifications: true });
  // Printed, the receipt stands alone: no header, navigation or buttons.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Workstation' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print / Save as PDF' })).toBeHidden();
  await app.screenshot('11c-consent-receipt-print', { hideNotifications: true });
  await page.emulateMedia({ media: 'screen' });
  await app.chooseColourScheme('Dark');
  await app.screenshot('11b-consent-receipt-dark', { hideNotifications: true });
  await app.chooseColourScheme('Light');
  const receiptJson = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download JSON' }).click();
  expect((await receiptJson).suggestedFilename()).toMatch(/^CR-[0-9A-F]{16}\.json$/);

  await screens.openFromReceipt(applicantId);
  await expect(page.getByTestId('personal-fullName')).toHaveText('Wanjiru K. N.');
  await page.getByRole('button', { name: 'Reveal National id' }).click();
  await expect(page.getByTestId('personal-nationalId')).toHaveText('28765432');
  await app.screenshot('12-applicant-overview', { hideNotifications: true });

  await screens.tab('Behavioural data').click();
  await page.locator('input[type="file"]').setInputFiles(STATEMENT);
  const preview = page.getByTestId('statement-preview');
  await expect(preview).toContainText('180 transactions over 12 months');
  await expect(preview.locator('[data-feature="mobileMoneyInflowAvg"]')).toContainText('KES/month');
  await expect(preview.locator('[data-feature]')).toHaveCount(6);
  await app.screenshot('13-statement-preview', { hideNotifications: true });
  await preview.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByText(/Statement imported: 6 features derived/)).toBeVisible();
  await expect(screens.featureInput('Months of mobile-money history')).not.toHaveValue('');
  await screens.fillFeatures(NOT_FROM_STATEMENT);
  await app.screenshot('14-behavioural-form', { hideNotifications: true });

  // A broken statement is refused with every row and column at fault, not only the first.
  await page.locator('input[type="file"]').setInputFiles({
    name: 'broken.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'date,direction,category,amount\n2026-01-01,in,business,100\n2026-01-02,in,business,-5\n2026-01-03,sideways,business,9\n',
    ),
  });
  const refusal = page.getByTestId('statement-error');
  await expect(refusal).toContainText('Statement not imported: 2 rows have problems.');
  await expect(refusal.getByRole('listitem')).toHaveText([
    'Row 3, column "amount": expected a positive amount such as 1500 or 1500.50',
    'Row 4, column "direction": expected "in" or "out"',
  ]);
  await page.setViewportSize({ width: 1366, height: 768 });
  await app.screenshotOf(page.getByRole('region', { name: 'Import a statement' }), 'intake-statement-all-rows');

  // A two-transaction, one-month statement is previewed with a warning that states the thresholds.
  await page.locator('input[type="file"]').setInputFiles({
    name: 'thin.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('date,direction,category,amount\n2026-01-03,in,business,4500\n2026-01-20,out,airtime,100\n'),
  });
  await expect(page.getByTestId('statement-warnings')).toContainText(
    'Thin statement: 2 transactions over 1 month. Values derived from fewer than 3 months or 20 transactions',
  );
  await app.screenshotOf(page.getByRole('region', { name: 'Import a statement' }), 'intake-statement-thin');
  await page.setViewportSize({ width: 1360, height: 880 });

  const downloads: Download[] = [];
  page.on('download', (download) => downloads.push(download));
  await page.getByRole('button', { name: 'Export data' }).click();
  await expect
    .poll(() => downloads.map((d) => d.suggestedFilename()).sort())
    .toEqual([`nexis-${fileSafe(applicantId)}-export.json`, `nexis-${fileSafe(applicantId)}-export.txt`]);
  const jsonExport = downloads.find((d) => d.suggestedFilename().endsWith('.json'));
  const textExport = downloads.find((d) => d.suggestedFilename().endsWith('.txt'));
  expect(readFileSync((await jsonExport?.path()) ?? '', 'utf8')).toContain('Wanjiru Kamau Njeri');
  expect(readFileSync((await textExport?.path()) ?? '', 'utf8')).toContain('Full name: Wanjiru Kamau Njeri');

  await screens.tab('Overview').click();
  await page.getByRole('button', { name: 'Withdraw Credit scoring of this application' }).click();
  await page
    .getByRole('dialog', { name: 'Withdraw this consent?' })
    .getByRole('button', { name: 'Withdraw consent' })
    .click();
  await expect(page.locator('[data-purpose="credit-scoring"]')).toContainText('Withdrawn');
  await screens.tab('Review and decision').click();
  // Without the consent the Review tab offers no "Score" and says why.
  await expect(page.getByTestId('scoring-unavailable')).toContainText('withdrew consent to credit scoring');
  await expect(page.getByRole('button', { name: 'Score', exact: true })).toHaveCount(0);
  await screens.tab('Timeline').click();
  await expect(page.getByTestId('applicant-timeline')).toContainText('Consent withdrawn');
  await expect(page.getByTestId('applicant-timeline')).toContainText('Personal data revealed');
  await app.screenshot('15-applicant-timeline', { hideNotifications: true });
  await app.signOut();

  await screens.firstSignIn(SUPERVISOR, 'Supervisor-Secret-302');
  await app.goTo('Applicants');
  const row = page.getByRole('table', { name: 'Applicants' }).locator(`[data-applicant-id="${applicantId}"]`);
  await expect(row).toContainText('Wanjiru K. N.');
  await expect(row).toContainText('No scoring consent');
  await app.screenshot('09-applicants-list', { hideNotifications: true });
  await screens.openApplicant(applicantId);
  // Retention: the term and its end are shown; a supervisor keeps the applicant past it with a legal hold.
  const retention = page.getByTestId('retention-card');
  await expect(retention).toContainText('24 months from registration (no decision yet)');
  await expect(page.getByTestId('retention-due')).toBeVisible();
  await retention.getByRole('button', { name: 'Place legal hold' }).click();
  const holdDialog = page.getByRole('dialog', { name: 'Place a legal hold' });
  await app.chooseOption(holdDialog.getByRole('combobox', { name: 'Reason' }), 'Regulator inquiry');
  await holdDialog.getByRole('textbox', { name: 'Hold note' }).fill('Wanjiru file requested');
  await holdDialog.getByRole('button', { name: 'Place hold' }).click();
  // The note may not name the applicant: the form says so before anything is sent.
  await expect(holdDialog).toContainText('take out the personal data');
  await holdDialog.getByRole('textbox', { name: 'Hold note' }).fill('Inquiry ref CBK file on record');
  await holdDialog.getByRole('button', { name: 'Place hold' }).click();
  await expect(holdDialog).toBeHidden();
  await expect(retention).toContainText('Legal hold: Regulator inquiry');
  await expect(retention).toContainText('Inquiry ref CBK file on record');
  await app.screenshot('16a-retention-legal-hold', { hideNotifications: true });
  await retention.getByRole('button', { name: 'Release hold' }).click();
  await expect(retention.getByRole('button', { name: 'Place legal hold' })).toBeVisible();
  await expect(retention).toContainText('Earlier holds: Regulator inquiry');
  await page.getByRole('button', { name: 'Erase' }).click();
  const dialog = page.getByRole('dialog', { name: 'Erase this applicant?' });
  const erase = dialog.getByRole('button', { name: 'Erase permanently' });
  await expect(erase).toBeDisabled();
  await dialog.getByRole('textbox', { name: `Type ${applicantId} to confirm` }).fill(applicantId);
  await erase.click();
  await expect(page.getByTestId('applicant-erased')).toBeVisible();
  await expect(page.getByTestId('applicant-status')).toHaveText('Erased');
  await app.screenshot('16-applicant-erased', { hideNotifications: true });
});
