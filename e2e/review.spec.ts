import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { ApplicantScreens, FORM_VALUES } from './pages/applicant-page';
import { WorkstationPage, type Account } from './pages/workstation-page';

const OFFICER: Account = { displayName: 'Otieno Odhiambo', username: 'otieno', password: 'Temporary-Pass-01' };

test('review: score, explanation, plan, what-if, an override with a reason, and the letter as a PDF', async ({
  page,
  harness,
}, testInfo) => {
  test.setTimeout(120_000);
  const app = new WorkstationPage(page);
  const screens = new ApplicantScreens(app);
  await app.open(harness.url);
  await app.setUp();
  await screens.setOrganisation();
  await app.createOfficer(OFFICER, 'Loan officer');
  await app.signOut();
  await screens.firstSignIn(OFFICER, 'Officer-Secret-301');

  // Consent in Kiswahili: the reasons open in Kiswahili and the letter is written in it.
  const applicantId = await screens.register(undefined, { language: 'Kiswahili' });
  await screens.openFromReceipt(applicantId);
  await screens.tab('Behavioural data').click();
  await screens.fillFeatures(Object.keys(FORM_VALUES));

  await screens.tab('Review and decision').click();
  await page.getByRole('button', { name: 'Score', exact: true }).click();
  const summary = page.getByTestId('score-summary');
  await expect(summary).toContainText('Probability of default');
  await expect(summary).toContainText('Version 1.0.0');
  const chart = page.getByRole('table', { name: 'Contributions to the score' });
  await expect(chart.locator('[data-term]')).toHaveCount(14);
  // Sorted: from the factor that raises the score most to the one that lowers it most.
  const points = (
    await chart.locator('[data-term]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-points')))
  ).map(Number);
  expect([...points].sort((a, b) => b - a)).toEqual(points);
  await expect(chart).toContainText('25,000 KES/month');
  await expect(page.getByTestId('improvement-plan')).toContainText('To reach');
  await expect(page.getByTestId('principal-reasons').getByRole('listitem').first()).toBeVisible();
  const languages = page.getByRole('radiogroup', { name: 'Language of the reasons' });
  await expect(languages.getByRole('radio', { name: 'Kiswahili' })).toBeChecked();
  await expect(page.getByTestId('principal-reasons')).toContainText('Akiba ni ndogo.');
  await languages.locator('label').filter({ hasText: 'English' }).click();
  await expect(page.getByTestId('principal-reasons')).toContainText('Savings are low.');

  const baseScore = Number(await page.getByTestId('what-if-score').textContent());
  await page.getByRole('slider', { name: 'Average monthly mobile-money inflow' }).focus();
  await page.keyboard.press('End');
  await page.getByRole('slider', { name: 'Savings rate' }).focus();
  await page.keyboard.press('End');
  await expect(page.getByTestId('what-if-delta')).toBeVisible();
  await expect(page.getByTestId('what-if-score')).not.toHaveText(String(baseScore));
  await app.screenshot('17-review', { hideNotifications: true });

  const outcome = (await page.getByTestId('policy-outcome').textContent()) ?? '';
  const decision = page.getByRole('region', { name: 'Decision', exact: true });
  if (outcome.includes('Approve')) {
    await decision
      .getByRole('radiogroup', { name: 'Decision' })
      .locator('label')
      .filter({ hasText: 'Decline' })
      .click();
    await app.chooseOption(
      decision.getByRole('combobox', { name: 'Reason codes' }),
      'The repayments would be too high for your income.',
    );
    await app.chooseOption(decision.getByRole('combobox', { name: 'Override reason' }), 'Affordability concern');
  } else {
    await decision
      .getByRole('radiogroup', { name: 'Decision' })
      .locator('label')
      .filter({ hasText: 'Approve' })
      .click();
    await app.chooseOption(
      decision.getByRole('combobox', { name: 'Override reason' }),
      'Guarantor or collateral offered',
    );
  }
  await page.keyboard.press('Escape');
  // Without the note the override is not sent.
  await decision.getByRole('button', { name: /^Record override/ }).click();
  await expect(decision.getByText('Explain the override in a short note')).toBeVisible();
  await decision
    .getByRole('textbox', { name: 'Override note' })
    .fill('Guarantor signed at the branch; salary slips seen.');
  await decision.getByRole('button', { name: /^Record override/ }).click();
  const history = page.getByRole('table', { name: 'Decisions' });
  await expect(history.getByText('Override', { exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Decision', exact: true })).toHaveCount(0);

  const download = page.waitForEvent('download');
  await history.getByRole('button', { name: 'Download letter (PDF)' }).click();
  const letter = await download;
  await expect(page.getByText(/Letter downloaded \(\d+ pages?, Kiswahili\)/)).toBeVisible();
  expect(letter.suggestedFilename()).toMatch(/^nexis-letter-DC-[0-9A-F]{16}\.pdf$/);
  const pdfPath = testInfo.outputPath('letter.pdf');
  copyFileSync(await letter.path(), pdfPath);
  expect(readFileSync(pdfPath).subarray(0, 4).toString('latin1')).toBe('%PDF');
  await app.screenshot('18-decision-history', { hideNotifications: true });
  if (existsSync('/usr/bin/pdftoppm')) {
    const prefix = testInfo.outputPath('letter-page');
    execFileSync('/usr/bin/pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdfPath, prefix]);
    renameSync(`${prefix}.png`, join('e2e', 'screenshots', '19-letter-page-1.png'));
  }

  // The officer corrects the decision: the new one supersedes it, which keeps its letter for the record only.
  await history.getByRole('button', { name: /^Correct DC-/ }).click();
  const correction = page.getByRole('region', { name: /^Correct decision DC-/ });
  const policy = outcome.includes('Approve') ? 'Approve' : outcome.includes('Decline') ? 'Decline' : 'Refer';
  await correction.getByRole('radiogroup', { name: 'Decision' }).locator('label').filter({ hasText: policy }).click();
  if (policy !== 'Approve') {
    await app.chooseOption(
      correction.getByRole('combobox', { name: 'Reason codes' }),
      'The application is incomplete.',
    );
    await page.keyboard.press('Escape');
  }
  await correction.getByRole('button', { name: `Record decision: ${policy}` }).click();
  await expect(page.getByText(`Correction recorded: ${policy}.`)).toBeVisible();
  await expect(history.locator('tbody tr')).toHaveCount(2);
  await expect(history.locator('[data-superseded="true"]')).toContainText('Superseded');
  await expect(history.locator('[data-superseded="false"]')).toContainText('Correction');

  await app.chooseColourScheme('Dark');
  await app.screenshot('17b-review-dark', { hideNotifications: true });
});

const SUPERVISOR: Account = { displayName: 'Grace Wambui', username: 'grace.sup', password: 'Temporary-Pass-02' };

test('a referral waits for a supervisor, who approves it from the Referrals screen', async ({ page, harness }) => {
  test.setTimeout(120_000);
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
  await screens.fillFeatures(Object.keys(FORM_VALUES));
  await screens.tab('Review and decision').click();
  await page.getByRole('button', { name: 'Score', exact: true }).click();
  await expect(page.getByTestId('score-summary')).toBeVisible();

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
  await decision.getByRole('button', { name: /^Record (override|decision): Refer/ }).click();
  await expect(page.getByRole('table', { name: 'Decisions' }).getByText('Refer', { exact: true })).toBeVisible();
  await app.signOut();

  await screens.firstSignIn(SUPERVISOR, 'Supervisor-Secret-302');
  await app.goTo('Referrals');
  const row = page.getByRole('table', { name: 'Pending referrals' }).getByRole('row').filter({ hasText: applicantId });
  await expect(row).toContainText('The income stated could not be verified.');
  await app.screenshot('20-referrals', { hideNotifications: true });
  await row.getByRole('button', { name: 'Review' }).click();
  const dialog = page.getByRole('dialog', { name: 'Review referral' });
  await dialog
    .getByRole('radiogroup', { name: 'Review decision' })
    .locator('label')
    .filter({ hasText: 'Approve' })
    .click();
  if ((await dialog.textContent())?.includes('policy said Decline')) {
    await app.chooseOption(
      dialog.getByRole('combobox', { name: 'Override reason' }),
      'Guarantor or collateral offered',
    );
  }
  await dialog.getByRole('button', { name: 'Record review' }).click();
  await expect(page.getByText('Referral reviewed.')).toBeVisible();
  await expect(page.getByText('No referral waiting')).toBeVisible();

  await screens.openApplicant(applicantId);
  await screens.tab('Review and decision').click();
  const decisions = page.getByRole('table', { name: 'Decisions' });
  await expect(decisions).toContainText('Supervisor review');
  // The supervisor re-scores the stored inputs with the stored model: the score reproduces exactly.
  await decisions
    .getByRole('button', { name: /^Replay DC-/ })
    .first()
    .click();
  await expect(page.getByText('Replay: reproduced')).toBeVisible();
  await app.screenshot('21-supervisor-decisions', { hideNotifications: true });
});
