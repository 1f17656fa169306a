import { test, expect } from './fixtures';
import { ADMIN, WorkstationPage } from './pages/workstation-page';

test('the audit trail lists entries, filters by action and verifies the chain', async ({ page, harness }) => {
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  await app.signOut();
  await app.signIn(ADMIN.username, ADMIN.password);
  await expect(app.heading('Status')).toBeVisible();

  await app.goTo('Audit trail');
  const table = page.getByRole('table', { name: 'Audit entries' });
  const rows = table.locator('tbody tr');
  await expect(rows.filter({ hasText: 'officer.first_admin_created' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'auth.signed_in' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'auth.signed_out' })).toHaveCount(1);
  // Officer ids are shown as usernames.
  await expect(rows.filter({ hasText: 'auth.signed_in' })).toContainText(ADMIN.username);
  await expect(page.getByTestId('audit-range')).toHaveText('Entries 1–3 of 3');

  await app.chooseOption(page.getByRole('combobox', { name: 'Action' }), 'auth.signed_in');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-action', 'auth.signed_in');
  await expect(page.getByTestId('audit-range')).toHaveText('Entries 1–1 of 1');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(rows).toHaveCount(3);

  await page.getByRole('button', { name: 'Verify chain' }).click();
  const result = page.getByRole('status').filter({ hasText: 'Chain verified: OK' });
  await expect(result).toBeVisible();
  await expect(page.getByTestId('verified-entries')).toHaveText('3');
  // The verification itself is audited, and the list refreshes to show it.
  await expect(rows.filter({ hasText: 'audit.verified' })).toHaveCount(1);
  await app.screenshot('04-audit-verified');

  await app.goTo('Status');
  await expect(page.getByRole('region', { name: 'Audit chain' })).toContainText('Intact');
});

test('the audit trail pages through entries', async ({ page, harness }) => {
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  // Each lock and unlock adds two entries: 1 + 2×6 = 13 entries.
  for (let i = 0; i < 6; i += 1) {
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
    await page.keyboard.press('Enter');
    await expect(app.heading('Status')).toBeVisible();
  }
  await app.goTo('Audit trail');
  await app.chooseOption(page.getByRole('combobox', { name: 'Per page' }), '10');
  await expect(page.getByTestId('audit-range')).toHaveText('Entries 1–10 of 13');
  await page.getByRole('navigation', { name: 'Audit pages' }).getByRole('button', { name: 'Page 2' }).click();
  await expect(page.getByTestId('audit-range')).toHaveText('Entries 11–13 of 13');
  await expect(page.locator('tbody tr').filter({ hasText: 'officer.first_admin_created' })).toHaveCount(1);
});
