import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NEXIS_FEATURE_SPEC } from './nexis-spec';
import { parseFeatureInput, toInputText } from './input';
import { numberSymbols } from '../rules/numbers';
import type { Feature } from './schema';

const EN_KE = numberSymbols('en-KE');
const feature = (key: string): Feature => {
  const found = NEXIS_FEATURE_SPEC.features.find((f) => f.key === key);
  if (!found) {
    throw new Error(key);
  }
  return found;
};
const read = (key: string, text: string): number | null | string => {
  const result = parseFeatureInput(feature(key), text, EN_KE);
  return result.ok ? result.value : result.message;
};

describe('feature input (the values the issue saw rewritten)', () => {
  it('stores what the officer typed', () => {
    expect(read('mobileMoneyInflowAvg', '25,000')).toBe(25_000);
    expect(read('mobileMoneyInflowAvg', 'KES 25,000.50')).toBe(25_000.5);
    expect(read('savingsRate', '8')).toBe(0.08);
    expect(read('savingsRate', '8%')).toBe(0.08);
    expect(read('savingsRate', '8.25 %')).toBe(0.0825);
    expect(read('debtToIncome', '20')).toBe(0.2);
    expect(read('requestedAmount', '3,000,000')).toBe(3_000_000);
    expect(read('utilityBillsOnTime12m', '')).toBeNull();
  });

  it('refuses out-of-range and malformed values with a message naming the field, never another value', () => {
    expect(read('requestedAmount', '100')).toBe(
      'Requested amount: enter an amount from 500 to 5,000,000 KES (100 KES is below the lowest allowed).',
    );
    expect(read('requestedAmount', '-5')).toBe(
      'Requested amount: enter an amount from 500 to 5,000,000 KES (-5 KES is below the lowest allowed).',
    );
    expect(read('termMonths', '13.5')).toBe('Loan term: enter a whole number, without decimals (from 1 to 60 months).');
    expect(read('savingsRate', '120')).toBe(
      'Savings rate: enter a percentage from 0 to 100 % (120 % is above the highest allowed).',
    );
    expect(read('debtToIncome', '600')).toBe(
      'Existing debt-to-income: enter a percentage from 0 to 500 % (600 % is above the highest allowed).',
    );
    expect(read('mobileMoneyInflowAvg', '25,00')).toBe(
      'Average monthly mobile-money inflow: enter an amount from 0 to 2,000,000 KES/month (write thousands as 25,000.50).',
    );
    expect(read('termMonths', '')).toBe('Loan term: enter a whole number from 1 to 60 months.');
  });

  it('a stored value shown in the field reads back as itself (property)', () => {
    const numeric = NEXIS_FEATURE_SPEC.features.flatMap((f) => (f.kind === 'categorical' ? [] : [f]));
    fc.assert(
      fc.property(
        fc
          .constantFrom(...numeric)
          .chain((f) =>
            fc.tuple(
              fc.constant(f),
              f.kind === 'integer'
                ? fc.integer({ min: f.min, max: f.max })
                : fc.double({ min: f.min, max: f.max, noNaN: true }).map((v) => Number(v.toPrecision(10))),
            ),
          ),
        ([f, v]) => {
          const result = parseFeatureInput(f, toInputText(f, v, EN_KE), EN_KE);
          return result.ok && result.value === v;
        },
      ),
    );
  });
});
