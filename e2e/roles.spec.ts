import { test, expect } from './fixtures';
import { WorkstationPage, type Account } from './pages/workstation-page';

const OFFICER: Account = { displayName: 'Kofi Boateng', username: 'kofi', password: 'Temporary-Pass-01' };
const AUDITOR: Account = { displayName: 'Esi Owusu', username: 'esi.audit', password: 'Temporary-Pass-02' };

test('navigation follows the role: an officer sees Status and Applicants, an auditor reads but does not administer', async ({
  page,
  harness,
}) => {
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  for (const label of ['Status', 'Audit trail', 'Officers', 'Settings'] as const) {
    await expect(app.navItem(label)).toBeVisible();
  }
  // Applicant work belongs to officers and supervisors; an administrator does not see applicants.
  await expect(app.navItem('Applicants')).toHaveCount(0);
  await app.createOfficer(OFFICER, 'Loan officer');
  await app.createOfficer(AUDITOR, 'Auditor');
  await expect(app.officerRow(OFFICER.username)).toContainText('Temporary password');
  await app.screenshot('05-officers');
  await app.signOut();

  await app.signIn(OFFICER.username, OFFICER.password);
  await app.changeTemporaryPassword(OFFICER.password, 'Branch-Secret-77');
  await expect(app.navItem('Status')).toBeVisible();
  await expect(app.navItem('Applicants')).toBeVisible();
  await expect(app.nav.getByRole('button')).toHaveCount(2);
  await expect(app.navItem('Referrals')).toHaveCount(0);
  await expect(app.navItem('Audit trail')).toHaveCount(0);
  await expect(app.navItem('Officers')).toHaveCount(0);
  await expect(app.navItem('Settings')).toHaveCount(0);
  await app.signOut();

  await app.signIn(AUDITOR.username, AUDITOR.password);
  await app.changeTemporaryPassword(AUDITOR.password, 'Esi-Own-Secret-88');
  await expect(app.navItem('Audit trail')).toBeVisible();
  await expect(app.navItem('Officers')).toBeVisible();
  await expect(app.navItem('Settings')).toHaveCount(0);
  await expect(app.navItem('Applicants')).toBeVisible();
  await app.goTo('Applicants');
  await expect(page.getByRole('button', { name: 'New applicant' })).toHaveCount(0);
  await app.goTo('Officers');
  await expect(page.getByText('Only an administrator can create, disable or reset accounts.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'New officer' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Reset password|Disable/ })).toHaveCount(0);
  await app.goTo('Audit trail');
  await expect(page.getByRole('button', { name: 'Verify chain' })).toBeVisible();
});

test('an administrator disables and re-enables an account and resets its password', async ({ page, harness }) => {
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  await app.createOfficer(OFFICER, 'Loan officer');

  await page.getByRole('button', { name: `Disable ${OFFICER.username}` }).click();
  await page
    .getByRole('dialog', { name: 'Disable this account?' })
    .getByRole('button', { name: 'Disable account' })
    .click();
  await expect(page.getByText(`Account "${OFFICER.username}" disabled.`)).toBeVisible();
  await expect(app.officerRow(OFFICER.username)).toHaveAttribute('data-status', 'disabled');

  await page.getByRole('button', { name: `Enable ${OFFICER.username}` }).click();
  await expect(app.officerRow(OFFICER.username)).toHaveAttribute('data-status', 'active');

  await page.getByRole('button', { name: `Reset password of ${OFFICER.username}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset password' });
  await dialog.getByRole('textbox', { name: 'Temporary password', exact: true }).fill('Another-Temp-Pass-9');
  await dialog.getByRole('textbox', { name: 'Repeat the temporary password', exact: true }).fill('Another-Temp-Pass-9');
  await dialog.getByRole('button', { name: 'Set temporary password' }).click();
  await expect(page.getByText(`Temporary password set for "${OFFICER.username}"`)).toBeVisible();
  await app.signOut();
  await app.signIn(OFFICER.username, 'Another-Temp-Pass-9');
  await expect(app.heading('Choose a new password')).toBeVisible();
});
