import { NEXIS_FEATURE_SPEC } from '../shared/features';
import { test, expect } from './fixtures';
import { WorkstationPage } from './pages/workstation-page';

const GOOD = {
  mobileMoneyInflowAvg: 40_000,
  inflowVolatility: 0.2,
  mobileMoneyHistoryMonths: 48,
  utilityBillsOnTime12m: 12,
  rentOnTime12m: 12,
  airtimeTopupsPerMonth: 8,
  savingsBalanceAvg: 30_000,
  savingsRate: 0.15,
  debtToIncome: 0.1,
  activeLoans: 0,
  worstDaysPastDue12m: 0,
  employmentTenureMonths: 60,
  requestedAmount: 30_000,
  termMonths: 6,
} as const;

function featureCsv(rows: number): string {
  const keys = NEXIS_FEATURE_SPEC.features.map((f) => f.key);
  const lines = [keys.join(',')];
  for (let i = 0; i < rows; i += 1) {
    const row: Record<string, number> = { ...GOOD, debtToIncome: (i % 10) / 10, worstDaysPastDue12m: (i * 7) % 90 };
    lines.push(keys.map((k) => String(row[k] ?? '')).join(','));
  }
  // One row out of range, reported by line.
  lines.push(keys.map((k) => (k === 'savingsRate' ? '7' : String((GOOD as Record<string, number>)[k]))).join(','));
  return `${lines.join('\n')}\n`;
}

test('an administrator scores a feature file and sees progress, a summary and the failed row', async ({
  page,
  harness,
}) => {
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  await app.goTo('Batch scoring');
  await page.locator('input[type="file"]').setInputFiles({
    name: 'portfolio.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(featureCsv(3_000)),
  });
  await page.getByRole('button', { name: 'Score file' }).click();
  const summary = page.getByTestId('batch-summary');
  await expect(summary).toBeVisible();
  await expect(summary).toContainText('3,000 scored · 1 failed');
  await expect(page.getByText(/Line 3002:/)).toBeVisible();
  await expect(page.getByTestId('batch-progress')).toContainText('Done: 3,001 rows');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download results (CSV)' }).click();
  expect((await download).suggestedFilename()).toBe('nexis-batch-results.csv');
  await app.screenshot('batch-summary', { hideNotifications: true });
});
