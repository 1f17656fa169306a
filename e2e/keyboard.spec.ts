import { test, expect } from './fixtures';
import { ADMIN, WorkstationPage } from './pages/workstation-page';

test('an officer signs in and moves between screens with the keyboard only', async ({ page, harness }) => {
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  await app.signOut();

  // The username field has focus on arrival; Enter submits.
  await page.keyboard.type(ADMIN.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(ADMIN.password);
  await page.keyboard.press('Enter');
  await expect(app.heading('Status')).toBeVisible();
  // A new screen puts the focus on its heading, so a screen reader says where the officer is.
  await expect(app.heading('Status')).toBeFocused();

  const auditItem = app.navItem('Audit trail');
  for (let presses = 0; presses < 40; presses += 1) {
    if (await auditItem.evaluate((element) => element.matches(':focus'))) {
      break;
    }
    await page.keyboard.press('Tab');
  }
  await expect(auditItem).toBeFocused();
  await app.screenshot('08-keyboard-focus');
  await page.keyboard.press('Enter');
  await expect(app.heading('Audit trail')).toBeVisible();
  await expect(app.heading('Audit trail')).toBeFocused();
  await expect(auditItem).toHaveAttribute('aria-current', 'page');
  // From the heading, Tab goes on into the new screen (its first control), not back to the top of the page.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('main').locator(':focus')).toHaveCount(1);
});
