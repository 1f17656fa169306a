import { test, expect } from './fixtures';
import { WorkstationPage } from './pages/workstation-page';

test('the theme toggle switches to dark and the choice survives a reload', async ({ page, harness }) => {
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  const html = page.locator('html');

  await app.chooseColourScheme('Light');
  await expect(html).toHaveAttribute('data-mantine-color-scheme', 'light');
  await app.chooseColourScheme('Dark');
  await expect(html).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await app.screenshot('03b-status-dark');
  await app.goTo('Audit trail');
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Chain verified: OK' })).toBeVisible();
  await app.screenshot('04b-audit-dark');
  await app.goTo('Officers');
  await app.screenshot('05b-officers-dark');

  await page.reload();
  await expect(app.heading('Sign in')).toBeVisible();
  await expect(html).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await app.screenshot('02c-sign-in-dark');
});

test('an administrator changes the auto-lock delay and writes an encrypted backup', async ({ page, harness }) => {
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  await app.goTo('Settings');

  const minutes = page.getByRole('textbox', { name: 'Lock after (minutes)', exact: true });
  await expect(minutes).toHaveValue('10');
  await minutes.fill('15');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Sessions now lock after 15 minutes without activity.')).toBeVisible();

  await page.getByRole('button', { name: 'Create encrypted backup' }).click();
  await expect(page.getByTestId('backup-result')).toContainText('backups');
  await app.screenshot('07-settings');

  // The harness is a development build: no bank recovery key, so the card says recovery backups are off.
  const recovery = page.getByRole('region', { name: 'Recovery backups' });
  await expect(recovery.getByTestId('recovery-disabled')).toHaveText(
    'This build has no bank recovery key: recovery backups are off.',
  );
  await expect(recovery.getByRole('button', { name: 'Write a recovery backup now' })).toHaveCount(0);
  await app.screenshotOf(recovery, '07c-settings-recovery-off');
});
