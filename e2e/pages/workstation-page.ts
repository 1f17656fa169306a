/**
 * Page model of the NEXIS renderer for the end-to-end tests: the screens are reached through roles and labels as
 * an officer (or a screen reader) would find them.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export interface Account {
  readonly displayName: string;
  readonly username: string;
  readonly password: string;
}

export const ADMIN: Account = { displayName: 'Ada Mensah', username: 'ada.admin', password: 'Branch-Ledger-2026!' };

export type NavLabel =
  'Status' | 'Applicants' | 'Referrals' | 'Batch scoring' | 'Audit trail' | 'Officers' | 'Sync console' | 'Settings';
export type Role = 'Loan officer' | 'Supervisor' | 'Administrator' | 'Auditor';

export class WorkstationPage {
  constructor(readonly page: Page) {}

  heading(name: string | RegExp): Locator {
    return this.page.getByRole('heading', { level: 1, name });
  }

  get nav(): Locator {
    return this.page.getByRole('navigation', { name: 'Workstation' });
  }

  navItem(label: NavLabel): Locator {
    return this.nav.getByRole('button', { name: label, exact: true });
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
  }

  async setUp(account: Account = ADMIN): Promise<void> {
    await expect(this.heading('Set up this workstation')).toBeVisible();
    await this.page.getByRole('textbox', { name: 'Full name', exact: true }).fill(account.displayName);
    await this.page.getByRole('textbox', { name: 'Username', exact: true }).fill(account.username);
    await this.page.getByRole('textbox', { name: 'Password', exact: true }).fill(account.password);
    await this.page.getByRole('textbox', { name: 'Repeat the password', exact: true }).fill(account.password);
    await this.page.getByRole('button', { name: 'Create administrator' }).click();
    await expect(this.heading('Status')).toBeVisible();
  }

  async signIn(username: string, password: string): Promise<void> {
    await expect(this.heading('Sign in')).toBeVisible();
    await this.page.getByRole('textbox', { name: 'Username', exact: true }).fill(username);
    await this.page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  async signOut(): Promise<void> {
    // Exact: the sync console has its own "Sign out of the central server".
    await this.page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(this.heading('Sign in')).toBeVisible();
  }

  async goTo(label: NavLabel): Promise<void> {
    await this.navItem(label).click();
    await expect(this.heading(label)).toBeVisible();
  }

  async createOfficer(account: Account, role: Role): Promise<void> {
    await this.goTo('Officers');
    await this.page.getByRole('button', { name: 'New officer' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'New officer account' });
    await dialog.getByRole('textbox', { name: 'Full name', exact: true }).fill(account.displayName);
    await dialog.getByRole('textbox', { name: 'Username', exact: true }).fill(account.username);
    await this.chooseOption(dialog.getByRole('combobox', { name: 'Role' }), role);
    await dialog.getByRole('textbox', { name: 'Temporary password', exact: true }).fill(account.password);
    await dialog.getByRole('textbox', { name: 'Repeat the temporary password', exact: true }).fill(account.password);
    await dialog.getByRole('button', { name: 'Create account' }).click();
    await expect(dialog).toBeHidden();
    await expect(this.officerRow(account.username)).toBeVisible();
  }

  officerRow(username: string): Locator {
    return this.page.getByRole('table', { name: 'Officer accounts' }).getByRole('row').filter({ hasText: username });
  }

  async changeTemporaryPassword(temporary: string, chosen: string): Promise<void> {
    await expect(this.heading('Choose a new password')).toBeVisible();
    await this.page.getByRole('textbox', { name: 'Temporary password', exact: true }).fill(temporary);
    await this.page.getByRole('textbox', { name: 'New password', exact: true }).fill(chosen);
    await this.page.getByRole('textbox', { name: 'Repeat the new password', exact: true }).fill(chosen);
    await this.page.getByRole('button', { name: 'Change password' }).click();
    // Each role lands on its own first screen (an officer on the applicant queue); the workstation is open once the
    // navigation shows.
    await expect(this.heading('Choose a new password')).toBeHidden();
    await expect(this.nav).toBeVisible();
  }

  /** Opens a Mantine Select and picks an option by its label. */
  async chooseOption(input: Locator, option: string): Promise<void> {
    await input.click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  /** Clicks a segment of the header's colour scheme control, as a person would (the radio itself is hidden). */
  async chooseColourScheme(name: 'Light' | 'Dark' | 'Follow the system'): Promise<void> {
    const group = this.page.getByRole('radiogroup', { name: 'Colour scheme' });
    await group.locator('label').filter({ hasText: name }).click();
    await expect(group.getByRole('radio', { name })).toBeChecked();
  }

  /** Red notification carrying the core's message. */
  notification(text: string | RegExp): Locator {
    return this.page.getByRole('alert').filter({ hasText: text });
  }

  /** A picture of one part of the screen (a card, a dialog), without the notifications that may cover it. */
  async screenshotOf(locator: Locator, name: string): Promise<void> {
    await this.page.mouse.move(1, 1);
    await this.page.waitForTimeout(350);
    await locator.screenshot({
      path: `e2e/screenshots/${name}.png`,
      style: '.mantine-Notifications-root { display: none !important; }',
    });
  }

  /**
   * A full-page picture from the top of the page (fixed header and navbar would otherwise be drawn where the page
   * was scrolled to); `hideNotifications` leaves out toasts that would cover the content. `fullPage: false` takes
   * the window as it is, for an open modal (which blocks scrolling, so a full-page picture would misplace the shell).
   */
  async screenshot(name: string, options: { hideNotifications?: boolean; fullPage?: boolean } = {}): Promise<void> {
    const fullPage = options.fullPage ?? true;
    // Let transitions and notifications settle so the picture shows the screen, not an animation frame.
    await this.page.mouse.move(1, 1);
    if (fullPage) {
      await this.page.mouse.wheel(0, -100_000);
    }
    await this.page.waitForTimeout(350);
    await this.page.screenshot({
      path: `e2e/screenshots/${name}.png`,
      fullPage,
      ...(options.hideNotifications ? { style: '.mantine-Notifications-root { display: none !important; }' } : {}),
    });
  }
}
