/**
 * Numbers as people type them, in their locale: "25,000.50" in en-KE, "25.000,50" in de-DE, "25 000,50" in fr-FR.
 * The parse is strict so that nothing is ever changed silently: a separator in the wrong place ("25,00" in en-KE,
 * which a European habit might mean as 25.00) is refused with a message instead of being read as some other number.
 * The text is rewritten as a plain decimal string and converted once, so "8.25" % becomes exactly the double nearest
 * to 0.0825, the same value the officer would get typing 0.0825. Intl has no parser, hence the hand-written one.
 */

export interface NumberSymbols {
  /** Thousands separator ("," in en-KE). */
  readonly group: string;
  readonly decimal: string;
}

export const DEFAULT_LOCALE = 'en-KE';

const SPACES = /[\s\u00a0\u202f]/;

/** The group and decimal separators of a locale (Intl's own, so they match what the app displays). */
export function numberSymbols(locale: string = DEFAULT_LOCALE): NumberSymbols {
  const parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(12345.6);
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  return { group, decimal };
}

export type ParseProblem = 'EMPTY' | 'MALFORMED' | 'GROUPING' | 'TOO_PRECISE';

export type ParsedNumber =
  | { readonly ok: true; readonly value: number; readonly decimal: string }
  | { readonly ok: false; readonly problem: ParseProblem };

/** Digits beyond this cannot be stored exactly in a double; refusing them keeps "what was meant" true. */
const MAX_SIGNIFICANT_DIGITS = 15;

function isGroupSeparator(char: string, symbols: NumberSymbols): boolean {
  // Locales that group with a (narrow) no-break space also accept an ordinary space, as people type it.
  return char === symbols.group || (SPACES.test(symbols.group) && SPACES.test(char));
}

/**
 * Reads a number typed in the locale. Grouping is optional but, when used, must be in threes ("25,000", "1,250,000").
 * A leading minus (hyphen or U+2212) is kept: ranges, not the parser, decide whether negatives are allowed.
 */
export function parseLocaleNumber(text: string, symbols: NumberSymbols = numberSymbols()): ParsedNumber {
  let body = text.trim();
  if (body === '') {
    return { ok: false, problem: 'EMPTY' };
  }
  let sign = '';
  if (body.startsWith('-') || body.startsWith('\u2212')) {
    sign = '-';
    body = body.slice(1).trimStart();
  }
  const decimalAt = body.indexOf(symbols.decimal);
  const whole = decimalAt === -1 ? body : body.slice(0, decimalAt);
  const fraction = decimalAt === -1 ? '' : body.slice(decimalAt + symbols.decimal.length);
  if (decimalAt !== -1 && !/^\d+$/.test(fraction)) {
    return { ok: false, problem: 'MALFORMED' };
  }
  const groups: string[] = [];
  let current = '';
  for (const char of whole) {
    if (/\d/.test(char)) {
      current += char;
    } else if (isGroupSeparator(char, symbols)) {
      groups.push(current);
      current = '';
    } else {
      return { ok: false, problem: 'MALFORMED' };
    }
  }
  groups.push(current);
  const bareFraction = groups.length === 1 && whole === '' && decimalAt !== -1;
  if (!bareFraction && groups.some((g) => g === '')) {
    return { ok: false, problem: groups.length > 1 ? 'GROUPING' : 'MALFORMED' };
  }
  // "0,500" is refused too: a leading zero group means the separator was meant as a decimal point.
  const first = groups[0] ?? '';
  if (groups.length > 1 && (first.length > 3 || first.startsWith('0') || groups.slice(1).some((g) => g.length !== 3))) {
    return { ok: false, problem: 'GROUPING' };
  }
  const digits = groups.join('');
  const significant = (digits + fraction).replace(/^0+/, '').replace(/0+$/, '');
  if (significant.length > MAX_SIGNIFICANT_DIGITS) {
    return { ok: false, problem: 'TOO_PRECISE' };
  }
  const decimal = `${sign}${digits === '' ? '0' : digits}${fraction === '' ? '' : `.${fraction}`}`;
  const value = Number(decimal);
  return { ok: true, value: Object.is(value, -0) ? 0 : value, decimal };
}

/** Moves the decimal point of a plain decimal string: shiftDecimal("8.25", -2) = "0.0825". Exact, no floating point. */
export function shiftDecimal(decimal: string, places: number): string {
  const negative = decimal.startsWith('-');
  const unsigned = negative ? decimal.slice(1) : decimal;
  const [intPart = '0', fracPart = ''] = unsigned.split('.');
  let digits = intPart + fracPart;
  let point = intPart.length + places;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) {
    digits = digits + '0'.repeat(point - digits.length);
  }
  const int = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const frac = digits.slice(point).replace(/0+$/, '');
  const result = frac === '' ? int : `${int}.${frac}`;
  return negative && /[1-9]/.test(result) ? `-${result}` : result;
}

/** The shortest decimal string that reads back as `value` (no exponent), for display and shifting. */
export function plainDecimal(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) {
    return text;
  }
  const [, sign = '', int = '', frac = '', exponent = '0'] = match;
  return shiftDecimal(`${sign}${int}.${frac}`, Number(exponent));
}

/** A number as the locale writes it, with grouping, keeping every digit of its shortest form ("25,000.5"). */
export function formatLocaleNumber(value: number, symbols: NumberSymbols = numberSymbols()): string {
  const decimal = plainDecimal(value);
  const negative = decimal.startsWith('-');
  const [int = '0', frac] = (negative ? decimal.slice(1) : decimal).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, symbols.group);
  return `${negative ? '-' : ''}${grouped}${frac === undefined ? '' : `${symbols.decimal}${frac}`}`;
}
