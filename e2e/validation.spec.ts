/**
 * Validation findings of issue 15, seen as an officer or administrator sees them: each refusal is said once, at the
 * field, in plain words that name the field and say what to type; names and ids as people write them are accepted.
 */
import type { NexisBridge } from '../shared/ipc/contract';
import { test, expect } from './fixtures';
import { ApplicantScreens, PERSON } from './pages/applicant-page';
import { WorkstationPage, type Account } from './pages/workstation-page';
import { workstationCard } from './pages/sync-console';

const OFFICER: Account = { displayName: 'Otieno Odhiambo', username: 'otieno', password: 'Temporary-Pass-01' };

test('registration checks the birth date as it is typed, accepts typographic apostrophes and dashed ids', async ({
  page,
  harness,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  const app = new WorkstationPage(page);
  const screens = new ApplicantScreens(app);
  await app.open(harness.url);
  await app.setUp();
  await screens.setOrganisation();
  await app.createOfficer(OFFICER, 'Loan officer');
  await app.signOut();
  await screens.firstSignIn(OFFICER, 'Officer-Secret-301');

  await app.goTo('Applicants');
  await page.getByRole('button', { name: 'New applicant' }).click();
  const field = (name: string) => page.getByRole('textbox', { name, exact: true });
  const birth = field('Date of birth');
  // One format, shown in the field itself and asked for by its messages.
  await expect(birth).toHaveAttribute('placeholder', 'YYYY-MM-DD');
  const said = async (typed: string, message: string): Promise<void> => {
    await birth.fill(typed);
    await birth.blur();
    await expect(page.getByText(message, { exact: true })).toHaveCount(1);
  };
  await said('2030-01-15', 'Date of birth: this date is in the future; check the year.');
  await said('1890-05-05', 'Date of birth: this date is more than 120 years ago; check the year.');
  await said('12/04/1991', 'Date of birth: enter a real date as YYYY-MM-DD (year, month, day), such as 1991-04-12.');
  const year = new Date().getUTCFullYear() - 10;
  await birth.fill(`${year}-01-01`);
  await birth.blur();
  await expect(
    page.getByText(/^Date of birth: the applicant must be at least 18 years old, so born on or before/),
  ).toHaveCount(1);
  await app.screenshot('validation-birth-date', { fullPage: false });

  // Names with typographic apostrophes and ids written with dashes are what people type.
  await field('Full name').fill('Wanjiru Ng’ang’a');
  await field('Phone').fill(PERSON.phone);
  await field('National id').fill('28-765-432');
  await birth.fill(PERSON.dateOfBirth);
  await page.getByRole('button', { name: 'Continue to consent' }).click();
  await expect(page.getByTestId('consent-notice')).toBeVisible();
  await page.getByRole('checkbox', { name: 'Credit scoring of this application' }).check();
  await page.getByRole('checkbox', { name: 'The applicant has read or been read the notice and agrees' }).check();
  await page.getByRole('button', { name: 'Register and sign receipt' }).click();
  await expect(app.heading(/^Consent receipt CR-/)).toBeVisible();
  await page.getByRole('button', { name: 'Open the applicant' }).click();
  await page.getByRole('button', { name: 'Reveal National id' }).click();
  await expect(page.getByTestId('personal-nationalId')).toHaveText('28765432');
  await page.getByRole('button', { name: 'Reveal Full name' }).click();
  await expect(page.getByTestId('personal-fullName')).toHaveText('Wanjiru Ng’ang’a');
});

test('settings refuse an auto-lock of 0 minutes instead of saving 1; a server address without https:// is explained', async ({
  page,
  harness,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  await app.goTo('Settings');
  const minutes = page.getByRole('textbox', { name: 'Lock after (minutes)', exact: true });
  await expect(minutes).toHaveValue('10');
  await minutes.fill('0');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Lock after (minutes): enter a whole number of minutes from 1 to 120.')).toHaveCount(1);
  await expect(minutes).toHaveValue('0');
  await app.screenshotOf(page.getByRole('region', { name: 'Automatic lock' }), 'validation-auto-lock-zero');
  // Nothing was saved: the core still holds 10 minutes (read through the app's own bridge).
  const stored = await page.evaluate(async () => {
    const bridge = (globalThis as unknown as { nexis: NexisBridge }).nexis;
    const result = await bridge.invoke('system:getSettings', {});
    return result.ok ? (result.value as { idleTimeoutMinutes: number }).idleTimeoutMinutes : null;
  });
  expect(stored).toBe(10);

  await app.goTo('Sync console');
  const form = workstationCard(page).getByRole('form', { name: 'Enrol this workstation' });
  await form.getByRole('textbox', { name: 'Central server URL', exact: true }).fill('nexis.umoja-bank.example');
  await form.getByRole('textbox', { name: 'Enrolment code', exact: true }).fill('ABCDE-FGHJK-MNPQR-STVWX');
  await form.getByRole('button', { name: 'Enrol this workstation' }).click();
  await expect(
    form.getByText('Central server URL: start the address with https://, such as https://nexis.your-bank.example.'),
  ).toHaveCount(1);
  await app.screenshotOf(workstationCard(page), 'validation-server-address');
  expect(pageErrors, 'no uncaught error such as "Failed to construct URL"').toEqual([]);
});
