/** The sync console as a test drives it: connect, enrolment codes, enrolment, sync now, model releases. */
import { resolve } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import type { WorkstationPage } from './workstation-page';

/** The signed model package the app ships, verified with the trusted model key like any release. */
export const MODEL_DIR = resolve('resources/model');

export function workstationCard(page: Page): Locator {
  return page.getByRole('region', { name: 'This workstation' });
}

export async function syncNow(page: Page): Promise<void> {
  const button = workstationCard(page).getByRole('button', { name: 'Sync now' });
  await button.click();
  await expect(button).toBeEnabled();
}

/** Fills the model release form and publishes; the dialog stays open when the core refuses the package. */
export async function publishModel(page: Page, packageDir: string, version: string): Promise<void> {
  await page.getByRole('button', { name: 'Publish model release', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Publish model release' });
  await dialog.getByRole('textbox', { name: 'Version', exact: true }).fill(version);
  await dialog.getByRole('textbox', { name: 'Package folder', exact: true }).fill(packageDir);
  await dialog.getByRole('button', { name: 'Review' }).click();
  await dialog.getByRole('button', { name: 'Verify and publish' }).click();
  // Done when the button stops loading: the dialog closes on success and stays open on a refusal.
  await expect(dialog.getByRole('button', { name: 'Verify and publish', disabled: true })).toHaveCount(0);
}

/** Connects the console with the admin token (and the server's URL: the workstation is not enrolled yet). */
export async function connectConsole(page: Page, central: { url: string; adminToken: string }): Promise<void> {
  const connect = page.getByRole('region', { name: 'Connect to the central console' });
  await connect.getByRole('textbox', { name: 'Admin API token', exact: true }).fill(central.adminToken);
  await connect.getByRole('textbox', { name: 'Central server URL', exact: true }).fill(central.url);
  await connect.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByText(`Connected to the central console at ${central.url}.`)).toBeVisible();
}

/** Creates a one-time code for the branch in the console and reads it from the dialog that shows it once. */
export async function createEnrolmentCode(app: WorkstationPage, branch: string, screenshot?: string): Promise<string> {
  const { page } = app;
  await page.getByRole('button', { name: 'Enrolment code', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Enrolment code' });
  await dialog.getByRole('textbox', { name: 'Branch id', exact: true }).fill(branch.toLowerCase());
  await dialog.getByRole('button', { name: 'Create code' }).click();
  const codeText = dialog.getByTestId('enrolment-code');
  await expect(codeText).toHaveText(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
  await expect(dialog).toContainText(`branch ${branch}`);
  if (screenshot) {
    await app.screenshot(screenshot, { hideNotifications: true, fullPage: false });
  }
  const code = (await codeText.textContent()) ?? '';
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  return code;
}

/** Enrols this workstation with the code; returns its device id. */
export async function enrol(page: Page, central: { url: string }, code: string, branch: string): Promise<string> {
  const card = workstationCard(page);
  const form = card.getByRole('form', { name: 'Enrol this workstation' });
  await form.getByRole('textbox', { name: 'Central server URL', exact: true }).fill(central.url);
  // Typed in lower case, as a person might: the form and the core accept it.
  await form.getByRole('textbox', { name: 'Enrolment code', exact: true }).fill(code.toLowerCase());
  await form.getByRole('button', { name: 'Enrol this workstation' }).click();
  await expect(page.getByText(`for branch ${branch}.`)).toBeVisible();
  await expect(card.getByTestId('workstation-branch')).toHaveText(branch);
  const deviceId = (await card.getByTestId('workstation-device-id').textContent()) ?? '';
  expect(deviceId).toMatch(/^DEV-[0-9A-F]{16}$/);
  return deviceId;
}
