/**
 * Derives behavioural features from statement transactions. Definitions follow the feature specification's
 * descriptions (shared/features/nexis-spec.ts); each derived value is checked against the specification's range.
 */
import type { Transaction } from './statement';

const INCOME = new Set(['salary', 'business', 'transfer', 'other']);

export interface Derivation {
  readonly values: Record<string, number>;
  readonly months: number;
  readonly firstDate: string;
  readonly lastDate: string;
}

function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  const [ly, lm] = last.split('-').map(Number) as [number, number];
  while (y < ly || (y === ly && m <= lm)) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return months;
}

const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;

export function deriveFeatures(transactions: readonly Transaction[]): Derivation {
  const sorted = [...transactions].sort((a, b) => a.date.localeCompare(b.date));
  const firstDate = sorted[0]?.date ?? '';
  const lastDate = sorted[sorted.length - 1]?.date ?? '';
  const allMonths = monthsBetween(firstDate.slice(0, 7), lastDate.slice(0, 7));
  const last12 = new Set(allMonths.slice(-12));
  const last6 = new Set(allMonths.slice(-6));

  const inflowByMonth = new Map<string, number>([...last12].map((m) => [m, 0]));
  let savings12 = 0;
  let repayments12 = 0;
  let airtime6 = 0;
  for (const t of sorted) {
    if (last12.has(t.month)) {
      if (t.direction === 'in' && INCOME.has(t.category)) {
        inflowByMonth.set(t.month, (inflowByMonth.get(t.month) ?? 0) + t.amount);
      }
      if (t.direction === 'out' && t.category === 'savings') {
        savings12 += t.amount;
      }
      if (t.direction === 'out' && t.category === 'loan_repayment') {
        repayments12 += t.amount;
      }
    }
    if (last6.has(t.month) && t.direction === 'out' && t.category === 'airtime') {
      airtime6 += 1;
    }
  }
  const monthly = [...inflowByMonth.values()];
  const totalInflow = monthly.reduce((a, b) => a + b, 0);
  const mean = totalInflow / Math.max(1, monthly.length);
  const variance = monthly.reduce((acc, v) => acc + (v - mean) ** 2, 0) / Math.max(1, monthly.length);
  const values: Record<string, number> = {
    mobileMoneyInflowAvg: round(mean, 0),
    mobileMoneyHistoryMonths: allMonths.length,
    airtimeTopupsPerMonth: round(airtime6 / Math.max(1, last6.size), 1),
  };
  if (mean > 0) {
    values.inflowVolatility = round(Math.sqrt(variance) / mean, 3);
    values.savingsRate = round(savings12 / totalInflow, 3);
    values.debtToIncome = round(repayments12 / totalInflow, 3);
  }
  return { values, months: allMonths.length, firstDate, lastDate };
}
