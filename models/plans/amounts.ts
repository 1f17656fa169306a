/**
 * A plan step in money an applicant understands. Shares and ratios of income become shillings per month with the
 * applicant's own average inflow (savings rate 0.08 → 0.12 at KES 25,000 a month = KES 2,000 → KES 3,000 saved a
 * month); amounts already in shillings stay as they are; counts need no conversion (their own units are plain).
 */
import type { Feature, FeatureSpec } from '../../shared/features';

/** What the shillings of a step measure; the screen and the letter word each one. */
export type MoneyMeasure =
  'monthly-savings' | 'monthly-repayments' | 'monthly-swing' | 'monthly-inflow' | 'balance' | 'loan-amount';

export interface StepMoney {
  readonly measure: MoneyMeasure;
  /** Shillings (per month for the monthly measures) before and after the step. */
  readonly from: number;
  readonly to: number;
}

/** The feature every income-relative share of the NEXIS specification is a share of (KES per month). */
export const MONTHLY_INFLOW_KEY = 'mobileMoneyInflowAvg';

/**
 * Shares and ratios defined against the monthly inflow (their specification descriptions say so): savings rate is
 * the share saved, debt-to-income the repayments over income, volatility the standard deviation over the average.
 */
const INCOME_RELATIVE: Readonly<Record<string, MoneyMeasure>> = {
  savingsRate: 'monthly-savings',
  debtToIncome: 'monthly-repayments',
  inflowVolatility: 'monthly-swing',
};

function measureOfAmount(feature: Feature): MoneyMeasure | null {
  if (feature.unit === 'KES/month') {
    return 'monthly-inflow';
  }
  if (feature.unit === 'KES') {
    return feature.riskDirection === 'increasing' ? 'loan-amount' : 'balance';
  }
  return null;
}

/**
 * The step in shillings, or null when it has none: a count, or a share of income when the inflow is unknown
 * or zero. `row` is the encoded applicant (specification order, NaN = missing).
 */
export function stepMoney(
  spec: FeatureSpec,
  row: ArrayLike<number>,
  featureIndex: number,
  from: number,
  to: number,
): StepMoney | null {
  const feature = spec.features[featureIndex];
  if (feature === undefined) {
    return null;
  }
  const relative = INCOME_RELATIVE[feature.key];
  if (relative !== undefined) {
    const inflowIndex = spec.features.findIndex((f) => f.key === MONTHLY_INFLOW_KEY);
    const inflow = inflowIndex < 0 ? Number.NaN : (row[inflowIndex] ?? Number.NaN);
    if (!Number.isFinite(inflow) || inflow <= 0) {
      return null;
    }
    return { measure: relative, from: from * inflow, to: to * inflow };
  }
  const measure = measureOfAmount(feature);
  return measure === null ? null : { measure, from, to };
}
