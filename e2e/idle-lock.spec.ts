import { test, expect } from './fixtures';
import { ADMIN, WorkstationPage } from './pages/workstation-page';

test('an idle session locks by itself and keeps the half-filled form', async ({ page, harness }) => {
  // The shortest auto-lock the core accepts is one minute, so this test waits for it.
  test.setTimeout(150_000);
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  await app.goTo('Settings');
  await page.getByRole('textbox', { name: 'Lock after (minutes)', exact: true }).fill('1');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Sessions now lock after 1 minute without activity.')).toBeVisible();

  await app.goTo('Officers');
  await page.getByRole('button', { name: 'New officer' }).click();
  const dialog = page.getByRole('dialog', { name: 'New officer account' });
  await dialog.getByRole('textbox', { name: 'Full name', exact: true }).fill('Kofi Boateng');

  // No further activity: the core's sweep locks the session and pushes 'session:locked'.
  await expect(app.heading('Session locked')).toBeVisible({ timeout: 90_000 });
  await expect(dialog).toBeHidden();

  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('textbox', { name: 'Full name', exact: true })).toHaveValue('Kofi Boateng');
});

test('an officer who keeps typing is not locked, though no form is submitted', async ({ page, harness }) => {
  test.setTimeout(150_000);
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  await app.goTo('Settings');
  await page.getByRole('textbox', { name: 'Lock after (minutes)', exact: true }).fill('1');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Sessions now lock after 1 minute without activity.')).toBeVisible();

  await app.goTo('Officers');
  await page.getByRole('button', { name: 'New officer' }).click();
  const fullName = page.getByRole('dialog', { name: 'New officer account' }).getByRole('textbox', {
    name: 'Full name',
    exact: true,
  });
  // 90 seconds of slow typing, longer than the one-minute auto-lock; only keystrokes, no other call.
  for (const letter of 'Kofi Boate') {
    await fullName.press(letter === ' ' ? 'Space' : letter);
    await page.waitForTimeout(9_000);
  }
  await expect(app.heading('Session locked')).toHaveCount(0);
  await expect(fullName).toHaveValue('Kofi Boate');
});
