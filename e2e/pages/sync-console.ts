/**
 * The sync console as a test drives it: central sign-in (with TOTP enrolment at first), four-eyes proposals,
 * enrolment codes, enrolment, sync now, model releases.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import type { CentralAdmin } from '../central-server';
import { signedPolicyText, type PolicyDraft } from '../releases';
import { testModelDir } from '../../server/testing/releases';
import type { WorkstationPage } from './workstation-page';

/** The default package signed with this run's release key (what the harness trusts), verified like any release. */
export const MODEL_DIR = testModelDir();

export function workstationCard(page: Page): Locator {
  return page.getByRole('region', { name: 'This workstation' });
}

export async function syncNow(page: Page): Promise<void> {
  const button = workstationCard(page).getByRole('button', { name: 'Sync now' });
  await button.click();
  await expect(button).toBeEnabled();
}

/** Fills the model release form and proposes it; the dialog stays open when the core refuses the package. */
export async function proposeModel(
  page: Page,
  packageDir: string,
  version: string,
  challengerDir?: string,
): Promise<void> {
  await page.getByRole('button', { name: 'Publish model release', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Publish model release' });
  await dialog.getByRole('textbox', { name: 'Version', exact: true }).fill(version);
  await dialog.getByRole('textbox', { name: 'Package folder', exact: true }).fill(packageDir);
  if (challengerDir !== undefined) {
    await dialog.getByRole('textbox', { name: 'Challenger package folder (optional)' }).fill(challengerDir);
  }
  await dialog.getByRole('button', { name: 'Review' }).click();
  await dialog.getByRole('button', { name: 'Verify and propose' }).click();
  // Done when the button stops loading: the dialog closes on success and stays open on a refusal.
  await expect(dialog.getByRole('button', { name: 'Verify and propose', disabled: true })).toHaveCount(0);
}

/** What a test knows of a central administrator after their first sign-in: the chosen password and TOTP secret. */
interface AdminState {
  password: string;
  totp: TOTP;
  /** The highest TOTP step used: the server accepts each code once, so the next sign-in needs a later step. */
  lastStep: number;
}

const TOTP_PERIOD_MS = 30_000;
const adminStates = new Map<string, AdminState>();

function stateKey(central: { url: string }, username: string): string {
  return `${central.url}|${username}`;
}

/** The password each bootstrap administrator chooses at the first sign-in (at least 12 characters). */
export function chosenPassword(username: string): string {
  return `Central-${username}-Pass-2026`;
}

/** A code the server has not seen yet: this step's, or the next one's (accepted within one step of its clock). */
async function nextCode(state: AdminState): Promise<string> {
  const current = Math.floor(Date.now() / TOTP_PERIOD_MS);
  const step = Math.max(current, state.lastStep + 1);
  while (step > Math.floor(Date.now() / TOTP_PERIOD_MS) + 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  state.lastStep = step;
  return state.totp.generate({ timestamp: step * TOTP_PERIOD_MS });
}

export function consoleSignInCard(page: Page): Locator {
  return page.getByRole('region', { name: 'Sign in to the central server' });
}

export function totpEnrolmentCard(page: Page): Locator {
  return page.getByRole('region', { name: 'Set up two-step sign-in' });
}

/** Fills the central sign-in card (the server's URL too while this workstation is not enrolled). */
export async function fillConsoleSignIn(
  page: Page,
  central: { url: string },
  values: { username: string; password: string; totp: string },
): Promise<void> {
  const card = consoleSignInCard(page);
  const username = card.getByRole('textbox', { name: 'User name', exact: true });
  // The card renders after the console's screen loads; asking for the address field before it is there would skip
  // it and sign in to the default address (a flake seen in CI). The card shows its fields all at once.
  await expect(username).toBeVisible();
  const url = card.getByRole('textbox', { name: 'Central server URL', exact: true });
  if ((await url.count()) > 0) {
    await url.fill(central.url);
  }
  await username.fill(values.username);
  await card.getByRole('textbox', { name: 'Password', exact: true }).fill(values.password);
  await card.getByRole('textbox', { name: 'Authenticator code', exact: true }).fill(values.totp);
  await card.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/**
 * Signs the console in as a central administrator. The first time: the one-time password, then the TOTP enrolment
 * step (its secret read from the screen, the first code and a new password); later: the new password and a fresh code.
 */
export async function signInConsole(
  page: Page,
  central: { url: string },
  admin: CentralAdmin,
  options: { screenshot?: (name: string) => Promise<void> } = {},
): Promise<void> {
  const key = stateKey(central, admin.username);
  const known = adminStates.get(key);
  if (known !== undefined) {
    await fillConsoleSignIn(page, central, {
      username: admin.username,
      password: known.password,
      totp: await nextCode(known),
    });
  } else {
    await fillConsoleSignIn(page, central, { username: admin.username, password: admin.oneTimePassword, totp: '' });
    const enrolment = totpEnrolmentCard(page);
    const secretText = enrolment.getByTestId('totp-secret');
    await expect(secretText).toHaveText(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
    await expect(enrolment.getByTestId('totp-uri')).toContainText('otpauth://totp/');
    await options.screenshot?.('enrolment');
    const secret = ((await secretText.textContent()) ?? '').replace(/\s+/g, '');
    const state: AdminState = {
      password: chosenPassword(admin.username),
      totp: new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }),
      lastStep: 0,
    };
    await enrolment.getByRole('textbox', { name: 'Code from the app', exact: true }).fill(await nextCode(state));
    await enrolment.getByRole('textbox', { name: 'New password', exact: true }).fill(state.password);
    await enrolment.getByRole('textbox', { name: 'Repeat the new password', exact: true }).fill(state.password);
    await enrolment.getByRole('button', { name: 'Finish sign-in' }).click();
    await expect(enrolment).toBeHidden();
    adminStates.set(key, state);
  }
  await expect(page.getByTestId('console-admin')).toHaveAttribute('data-username', admin.username);
  await expect(page.getByRole('region', { name: 'Proposals' })).toBeVisible();
}

/**
 * A session token of the admin API for an administrator who already signed in once through the console (the
 * password and TOTP secret they chose then), outside the browser.
 */
export async function adminToken(central: { url: string }, admin: CentralAdmin): Promise<string> {
  const known = adminStates.get(stateKey(central, admin.username));
  if (known === undefined) {
    throw new Error(`${admin.username} has not signed in through the console yet`);
  }
  const response = await fetch(`${central.url}/v1/auth/admin/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: admin.username, password: known.password, totp: await nextCode(known) }),
  });
  const token = ((await response.json()) as { session?: { token?: string } }).session?.token;
  if (token === undefined) {
    throw new Error(`${admin.username} could not sign in to the admin API (${response.status})`);
  }
  return token;
}

/** The admin API as that administrator: for a spec that plays what the console would refuse to send. */
export async function adminApi(
  central: { url: string },
  admin: CentralAdmin,
): Promise<(method: 'GET' | 'POST', path: string, body?: unknown) => Promise<{ status: number; body: unknown }>> {
  const token = await adminToken(central, admin);
  return async (method, path, body) => {
    const response = await fetch(`${central.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        authorization: `Bearer ${token}`,
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
  };
}

/** Signs the console out of the central server: the sign-in card comes back. */
export async function signOutConsole(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out of the central server' }).click();
  await expect(consoleSignInCard(page)).toBeVisible();
}

/** Signs the console out and in again as another administrator (the four-eyes hand-over on one workstation). */
export async function switchConsoleAdmin(page: Page, central: { url: string }, admin: CentralAdmin): Promise<void> {
  await signOutConsole(page);
  await signInConsole(page, central, admin);
}

export function pendingProposals(page: Page): Locator {
  return page.getByRole('table', { name: 'Pending proposals' });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Opens a pending proposal by (part of) its title; returns its dialog. */
export async function openProposal(page: Page, title: string): Promise<Locator> {
  const row = pendingProposals(page).getByRole('row').filter({ hasText: title });
  await row.getByRole('button', { name: /^Open proposal #\d+$/ }).click();
  const dialog = page.getByRole('dialog', { name: new RegExp(`^Proposal #\\d+: .*${escapeRegExp(title)}`) });
  await expect(dialog.getByTestId('proposal-detail')).toBeVisible();
  return dialog;
}

/** Approves a pending proposal as the administrator signed in: Approve…, a reason, Approve proposal. */
export async function approveProposal(page: Page, title: string, reason: string): Promise<void> {
  const dialog = await openProposal(page, title);
  await dialog.getByRole('button', { name: 'Approve…' }).click();
  await dialog.getByRole('textbox', { name: 'Why you approve it' }).fill(reason);
  await dialog.getByRole('button', { name: 'Approve proposal' }).click();
  await expect(dialog).toBeHidden();
  await expect(pendingProposals(page).getByRole('row').filter({ hasText: title })).toHaveCount(0);
}

/** Proposes a bank-signed policy release (pasted as `release:sign` wrote it); a second release manager approves it. */
export async function proposePolicy(page: Page, draft: PolicyDraft): Promise<void> {
  await page.getByRole('button', { name: 'Publish policy', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Publish policy' });
  await dialog.getByRole('textbox', { name: 'Signed release', exact: true }).fill(signedPolicyText(draft));
  await dialog.getByRole('button', { name: 'Review' }).click();
  await expect(dialog).toContainText(`(serial ${draft.serial})`);
  await dialog.getByRole('button', { name: 'Verify and propose' }).click();
  await expect(dialog).toBeHidden();
  await expect(pendingProposals(page)).toContainText(`Policy release ${draft.version}`);
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
