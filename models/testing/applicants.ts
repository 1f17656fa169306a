import fc from 'fast-check';
import type { FeatureValues } from '../../shared/features';

/** Thin-file NEXIS applicants across each feature's whole range, including missing optional values. */
export const nexisApplicant: fc.Arbitrary<FeatureValues> = fc.record({
  mobileMoneyInflowAvg: fc.integer({ min: 1_000, max: 120_000 }),
  inflowVolatility: fc.integer({ min: 0, max: 2_000 }).map((v) => v / 1000),
  mobileMoneyHistoryMonths: fc.integer({ min: 0, max: 120 }),
  utilityBillsOnTime12m: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
  rentOnTime12m: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
  airtimeTopupsPerMonth: fc.integer({ min: 0, max: 40 }),
  savingsBalanceAvg: fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: null }),
  savingsRate: fc.integer({ min: 0, max: 300 }).map((v) => v / 1000),
  debtToIncome: fc.integer({ min: 0, max: 1_500 }).map((v) => v / 1000),
  activeLoans: fc.integer({ min: 0, max: 8 }),
  worstDaysPastDue12m: fc.integer({ min: 0, max: 120 }),
  employmentTenureMonths: fc.integer({ min: 0, max: 240 }),
  requestedAmount: fc.integer({ min: 1_000, max: 400_000 }),
  termMonths: fc.integer({ min: 1, max: 48 }),
});
