/** The review tab and the referral queue, as the review specs drive them. */
import { expect, type Locator, type Page } from '@playwright/test';

/** Clicks one segment of a Mantine segmented control (a radiogroup of hidden radios with labels). */
export async function chooseSegment(group: Locator, label: string): Promise<void> {
  await group.locator('label').filter({ hasText: label }).click();
}

/** No segment of the group is checked: the form preselects nothing. */
export async function expectNothingChosen(group: Locator): Promise<void> {
  const radios = group.getByRole('radio');
  await expect(radios.first()).toBeAttached();
  for (const radio of await radios.all()) {
    await expect(radio).not.toBeChecked();
  }
}

/** The confirmation that precedes an officer's decision; confirms it. */
export async function confirmDecision(page: Page, decision: 'Approve' | 'Decline' | 'Refer'): Promise<void> {
  const dialog = page.getByRole('dialog', { name: /^Record this (decision|correction)\?$/ });
  await expect(dialog).toContainText('cannot be changed or deleted');
  await dialog.getByRole('button', { name: `Record: ${decision}` }).click();
  await expect(dialog).toHaveCount(0);
}

/** Opens the folded what-if panel. */
export async function openWhatIf(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Try what-if' }).click();
  await expect(page.getByRole('slider').first()).toBeVisible();
}

/** Points of every bar of the explanation chart, top to bottom. */
export async function chartPoints(page: Page): Promise<{ feature: string; points: number; reason: string | null }[]> {
  const chart = page.getByRole('table', { name: 'Points lost against the best value' });
  return chart.locator('[data-feature]').evaluateAll((rows) =>
    rows.map((r) => ({
      feature: r.getAttribute('data-feature') ?? '',
      points: Number(r.getAttribute('data-points')),
      reason: r.getAttribute('data-reason'),
    })),
  );
}
