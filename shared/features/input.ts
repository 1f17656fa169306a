/**
 * How a feature is entered and how its rules are said: the one place the form, the core and the trainer take their
 * messages from. Shares (savings rate) and debt-to-income are stored as fractions but people think of them in
 * percent, so they are entered and described in percent; the conversion is an exact shift of the decimal point.
 */
import {
  formatLocaleNumber,
  numberSymbols,
  parseLocaleNumber,
  plainDecimal,
  shiftDecimal,
  type NumberSymbols,
} from '../rules/numbers';
import type { Feature, NumericFeature } from './schema';

/** Keys entered as a percentage of income; the stored value is the share (8 % is stored as 0.08). */
export const PERCENT_FEATURE_KEYS: ReadonlySet<string> = new Set(['savingsRate', 'debtToIncome']);

export function isPercentFeature(feature: Feature): boolean {
  return feature.kind !== 'categorical' && PERCENT_FEATURE_KEYS.has(feature.key);
}

const MONEY_UNITS = /^(?:KES|KSh|Ksh|KSH)\.?\s*|\s*(?:KES|KSh|Ksh|KSH)$/;

/** The unit the officer reads beside the field. */
export function inputUnit(feature: Feature): string {
  return isPercentFeature(feature) ? '%' : feature.unit;
}

/** The field's help text; for percent fields the spec's "(0.1 = 10%)" hint would mislead, so it says how to type it. */
export function inputDescription(feature: Feature): string {
  if (!isPercentFeature(feature)) {
    return feature.description.en;
  }
  return `${feature.description.en.replace(/\s*\([^)]*=[^)]*\)/, '')} Enter it in percent: 8 means 8 %.`;
}

/** The stored value written the way the officer types it ("25,000", "8.5" for a 0.085 share); '' when missing. */
export function toInputText(
  feature: Feature,
  value: number | string | null | undefined,
  symbols: NumberSymbols = numberSymbols(),
): string {
  if (value === null || value === undefined || value === '') {
    return '';
  }
  if (typeof value === 'string') {
    return value;
  }
  const shown = isPercentFeature(feature) ? Number(shiftDecimal(plainDecimal(value), 2)) : value;
  return formatLocaleNumber(shown, symbols);
}

function bound(feature: NumericFeature, value: number, symbols: NumberSymbols): string {
  const shown = isPercentFeature(feature) ? Number(shiftDecimal(plainDecimal(value), 2)) : value;
  return formatLocaleNumber(shown, symbols);
}

function unitSuffix(feature: NumericFeature): string {
  const unit = inputUnit(feature);
  if (unit === '%') {
    return ' %';
  }
  return unit === 'ratio' || unit === 'share' ? '' : ` ${unit}`;
}

/** "a percentage from 0 to 100 %", "a whole number from 1 to 60 months", "an amount from 500 to 5,000,000 KES". */
export function rangeText(feature: NumericFeature, symbols: NumberSymbols = numberSymbols()): string {
  const kind = isPercentFeature(feature)
    ? 'a percentage'
    : feature.unit.startsWith('KES')
      ? 'an amount'
      : feature.kind === 'integer'
        ? 'a whole number'
        : 'a number';
  return `${kind} from ${bound(feature, feature.min, symbols)} to ${bound(feature, feature.max, symbols)}${unitSuffix(feature)}`;
}

export type FeatureInputProblem = 'REQUIRED' | 'NOT_A_NUMBER' | 'NOT_AN_INTEGER' | 'OUT_OF_RANGE' | 'UNKNOWN_CATEGORY';

/**
 * The plain-language message for a problem: names the field as the form labels it and says what to enter. No "; "
 * inside: the core joins the messages of several fields with it.
 */
export function featureMessage(
  feature: Feature,
  problem: FeatureInputProblem,
  symbols: NumberSymbols = numberSymbols(),
  detail?: string,
): string {
  const label = feature.label.en;
  if (feature.kind === 'categorical') {
    return problem === 'REQUIRED'
      ? `${label}: choose one of the options.`
      : `${label}: choose one of the options listed.`;
  }
  const range = rangeText(feature, symbols);
  switch (problem) {
    case 'REQUIRED':
      return `${label}: enter ${range}.`;
    case 'NOT_AN_INTEGER':
      return `${label}: enter a whole number, without decimals (${range.replace(/^a whole number /, '')}).`;
    default:
      return `${label}: enter ${range}${detail === undefined ? '' : ` (${detail})`}.`;
  }
}

export type FeatureInputResult =
  { readonly ok: true; readonly value: number | null } | { readonly ok: false; readonly message: string };

function formatHint(symbols: NumberSymbols, percent: boolean): string {
  const example = `25${symbols.group}000${symbols.decimal}50`;
  const grouping = `write thousands as ${example.replace(/\s/g, ' ')}`;
  return percent ? `type the percentage as digits, such as 8 or 8${symbols.decimal}5` : grouping;
}

/**
 * Reads what the officer typed into a feature field: locale grouping, "%" on percent fields, "KES" on money fields.
 * Never clamps or rounds: a value outside the range or not whole where it must be is an error, not a different value.
 */
export function parseFeatureInput(
  feature: Feature,
  text: string,
  symbols: NumberSymbols = numberSymbols(),
): FeatureInputResult {
  if (feature.kind === 'categorical') {
    const trimmed = text.trim();
    if (trimmed === '') {
      return feature.required
        ? { ok: false, message: featureMessage(feature, 'REQUIRED', symbols) }
        : { ok: true, value: null };
    }
    return { ok: false, message: featureMessage(feature, 'UNKNOWN_CATEGORY', symbols) };
  }
  const percent = isPercentFeature(feature);
  let body = text.trim();
  if (percent) {
    body = body.replace(/\s*%$/, '');
  } else if (feature.unit.startsWith('KES')) {
    body = body.replace(MONEY_UNITS, '');
  }
  const parsed = parseLocaleNumber(body, symbols);
  if (!parsed.ok) {
    if (parsed.problem === 'EMPTY') {
      return feature.required
        ? { ok: false, message: featureMessage(feature, 'REQUIRED', symbols) }
        : { ok: true, value: null };
    }
    const detail = parsed.problem === 'TOO_PRECISE' ? 'use at most 15 digits' : formatHint(symbols, percent);
    return { ok: false, message: featureMessage(feature, 'NOT_A_NUMBER', symbols, detail) };
  }
  const value = percent ? Number(shiftDecimal(parsed.decimal, -2)) : parsed.value;
  const issue = featureValueProblem(feature, value, symbols);
  return issue === null ? { ok: true, value } : { ok: false, message: issue.message };
}

/** The problem with a stored value (already a number), in the same words as the form's. */
export function featureValueProblem(
  feature: NumericFeature,
  value: number,
  symbols: NumberSymbols = numberSymbols(),
): { readonly code: FeatureInputProblem; readonly message: string } | null {
  if (!Number.isFinite(value)) {
    return { code: 'NOT_A_NUMBER', message: featureMessage(feature, 'NOT_A_NUMBER', symbols) };
  }
  if (feature.kind === 'integer' && !Number.isInteger(value)) {
    return { code: 'NOT_AN_INTEGER', message: featureMessage(feature, 'NOT_AN_INTEGER', symbols) };
  }
  if (value < feature.min || value > feature.max) {
    const shown = `${bound(feature, value, symbols)}${unitSuffix(feature)}`;
    const side = value < feature.min ? 'is below the lowest allowed' : 'is above the highest allowed';
    return { code: 'OUT_OF_RANGE', message: featureMessage(feature, 'OUT_OF_RANGE', symbols, `${shown} ${side}`) };
  }
  return null;
}
