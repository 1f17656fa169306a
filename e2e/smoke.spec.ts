import { test, expect } from './fixtures';

test('the real renderer talks to the real core through the harness', async ({ page, harness }) => {
  await page.goto(harness.url);
  await expect(page.getByTestId('status')).toHaveText('setup required');
});
