import { test, expect } from './fixtures';
import { ADMIN, WorkstationPage } from './pages/workstation-page';

test('first-run setup creates the administrator and lands on the status panel', async ({ page, harness }) => {
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await expect(app.heading('Set up this workstation')).toBeVisible();
  await app.screenshot('01-first-run');

  await app.setUp();

  await expect(page.getByTestId('signed-in-officer')).toContainText(ADMIN.displayName);
  await expect(page.getByTestId('signed-in-officer')).toContainText('Administrator');
  await expect(page.getByRole('region', { name: 'Database' })).toContainText('Encrypted');
  await expect(page.getByRole('region', { name: 'Audit chain' })).toContainText('Not verified yet');
  await expect(page.getByTestId('audit-entry-count')).toHaveText('1');
  await expect(page.getByRole('region', { name: 'Scoring model' })).toContainText('Verified');
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText('Not configured');
  await app.screenshot('03-status-light');
});

test('a refused password is said once, under the field, before the core is asked', async ({ page, harness }) => {
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await page.getByRole('textbox', { name: 'Full name', exact: true }).fill(ADMIN.displayName);
  await page.getByRole('textbox', { name: 'Username', exact: true }).fill(ADMIN.username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('short-pass');
  await page.getByRole('textbox', { name: 'Repeat the password', exact: true }).fill('short-pass');
  await page.getByRole('button', { name: 'Create administrator' }).click();

  const message = 'The password must have at least 12 characters; a few words make a good password.';
  await expect(page.getByText(message, { exact: true })).toHaveCount(1);
  await expect(page.getByRole('textbox', { name: 'Password', exact: true })).toHaveAccessibleDescription(
    new RegExp(message.replace(/[.;]/g, '.')),
  );
  await expect(page.locator('.mantine-Notification-root')).toHaveCount(0);
  await expect(app.heading('Set up this workstation')).toBeVisible();
  await page.setViewportSize({ width: 1366, height: 768 });
  await app.screenshot('auth-password-refused-once', { hideNotifications: false, fullPage: false });
});

test('a username typed with capitals signs in, lower-cased', async ({ page, harness }) => {
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  await app.signOut();
  await app.signIn('Ada.Admin', ADMIN.password);
  await expect(app.heading('Status')).toBeVisible();
});

test('an officer signs out and signs in again', async ({ page, harness }) => {
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();

  await app.signOut();
  await app.screenshot('02-sign-in');
  await app.signIn(ADMIN.username, ADMIN.password);

  await expect(app.heading('Status')).toBeVisible();
  await expect(page.getByTestId('signed-in-officer')).toContainText(ADMIN.username);
});

test('five wrong passwords lock the account, and then the right one is refused too', async ({ page, harness }) => {
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  await app.signOut();

  const refusal = page.getByTestId('sign-in-refusal');
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    await app.signIn(ADMIN.username, `wrong-password-${attempt}`);
    await expect(refusal).toContainText('Unknown username or wrong password.');
    await expect(refusal).toContainText('Sign-in refused');
  }
  await app.signIn(ADMIN.username, 'wrong-password-5');
  await expect(refusal).toContainText('Account locked');
  await expect(refusal).toContainText('Too many failed attempts');
  await app.screenshot('02b-sign-in-locked-out');

  await app.signIn(ADMIN.username, ADMIN.password);
  await expect(refusal).toContainText('Account locked');
  await expect(app.heading('Sign in')).toBeVisible();
});

test('a manual lock shows the locked screen and the password unlocks it', async ({ page, harness }) => {
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();

  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(app.heading('Session locked')).toBeVisible();
  await expect(page.getByTestId('locked-officer')).toContainText(ADMIN.displayName);
  await expect(app.nav).toBeHidden();
  await app.screenshot('06-locked');

  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not-my-password');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'Unknown username or wrong password.' }).first(),
  ).toBeVisible();

  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(app.heading('Status')).toBeVisible();
});

test('a locked session keeps the screen the officer was working on', async ({ page, harness }) => {
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  await app.goTo('Audit trail');
  await page.getByRole('textbox', { name: 'Actor', exact: true }).fill('anonymous');

  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(app.heading('Session locked')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Actor', exact: true })).toBeHidden();
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
  await page.keyboard.press('Enter');

  await expect(app.heading('Audit trail')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Actor', exact: true })).toHaveValue('anonymous');
});
