import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLocaleNumber, numberSymbols, parseLocaleNumber, plainDecimal, shiftDecimal } from './numbers';

const EN_KE = numberSymbols('en-KE');
const LOCALES = ['en-KE', 'en-US', 'sw-KE', 'de-DE', 'fr-FR', 'en-IN'] as const;

const value = (text: string, symbols = EN_KE): number | string => {
  const parsed = parseLocaleNumber(text, symbols);
  return parsed.ok ? parsed.value : parsed.problem;
};

describe('parseLocaleNumber', () => {
  it('reads thousands separators as the officer means them (en-KE)', () => {
    expect(value('25,000')).toBe(25_000);
    expect(value('25,000.50')).toBe(25_000.5);
    expect(value('1,250,000')).toBe(1_250_000);
    expect(value(' 3000000 ')).toBe(3_000_000);
    expect(value('-5')).toBe(-5);
    expect(value('−5')).toBe(-5);
    expect(value('.5')).toBe(0.5);
  });

  it('refuses what it cannot read with certainty instead of guessing', () => {
    expect(value('25,00')).toBe('GROUPING');
    expect(value('0,5')).toBe('GROUPING');
    expect(value('2,5000')).toBe('GROUPING');
    expect(value('1,,000')).toBe('GROUPING');
    expect(value('25.000.5')).toBe('MALFORMED');
    expect(value('12abc')).toBe('MALFORMED');
    expect(value('8%')).toBe('MALFORMED');
    expect(value('1e5')).toBe('MALFORMED');
    expect(value('')).toBe('EMPTY');
    expect(value('1234567890123456')).toBe('TOO_PRECISE');
  });

  it('follows the locale: a German officer writes 25.000,50', () => {
    const de = numberSymbols('de-DE');
    expect(value('25.000,50', de)).toBe(25_000.5);
    expect(value('25,5', de)).toBe(25.5);
    expect(value('25.5', de)).toBe('GROUPING');
    expect(value('25 000,5', numberSymbols('fr-FR'))).toBe(25_000.5);
  });

  it('reads back every number it formats, in every locale (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LOCALES),
        fc.oneof(fc.integer({ min: -1e12, max: 1e12 }), fc.double({ min: -1e9, max: 1e9, noNaN: true })),
        (locale, n) => {
          const symbols = numberSymbols(locale);
          const parsed = parseLocaleNumber(formatLocaleNumber(n, symbols), symbols);
          const tooPrecise = plainDecimal(n).replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length > 15;
          return tooPrecise
            ? !parsed.ok && parsed.problem === 'TOO_PRECISE'
            : parsed.ok && parsed.value === (n === 0 ? 0 : n);
        },
      ),
    );
  });

  it('reads typed digit groups exactly as the digits say (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 13n - 1n }), fc.stringMatching(/^\d{0,2}$/), (whole, fraction) => {
        const grouped = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
        const text = fraction === '' ? grouped : `${grouped}.${fraction}`;
        const parsed = parseLocaleNumber(text, EN_KE);
        return parsed.ok && parsed.value === Number(`${whole.toString()}.${fraction || '0'}`);
      }),
    );
  });
});

describe('shiftDecimal', () => {
  it('moves the point exactly, without floating-point error', () => {
    expect(shiftDecimal('8.25', -2)).toBe('0.0825');
    expect(shiftDecimal('7', -2)).toBe('0.07');
    expect(shiftDecimal('0.07', 2)).toBe('7');
    expect(shiftDecimal('-0.5', 2)).toBe('-50');
    expect(shiftDecimal('0', -2)).toBe('0');
    expect(plainDecimal(1e-7)).toBe('0.0000001');
    expect(plainDecimal(1.5e21)).toBe('1500000000000000000000');
  });

  it('percent and back is the identity (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 5, noNaN: true }), (share) => {
        const percent = shiftDecimal(plainDecimal(share), 2);
        return Number(shiftDecimal(percent, -2)) === share;
      }),
    );
  });
});
