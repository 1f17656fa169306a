/**
 * Checks one applicant's values against the specification. Used by intake (form errors),
 * the scoring engine (refuse out-of-range input) and the trainer (refuse bad rows).
 * Missing optional values are `null`; categorical values are the category's `value`.
 */
import { featureMessage, featureValueProblem } from './input';
import { numberSymbols } from '../rules/numbers';
import type { Feature, FeatureSpec } from './schema';

/** Messages made outside a screen (core, trainer) use the workstation's home locale. */
const HOME_SYMBOLS = numberSymbols('en-KE');

export type FeatureValue = number | string | null;
export type FeatureValues = Readonly<Record<string, FeatureValue | undefined>>;

export const VALUE_ISSUES = [
  'REQUIRED',
  'NOT_A_NUMBER',
  'NOT_AN_INTEGER',
  'OUT_OF_RANGE',
  'UNKNOWN_CATEGORY',
  'UNKNOWN_FEATURE',
] as const;
export type ValueIssueCode = (typeof VALUE_ISSUES)[number];

export interface ValueIssue {
  readonly key: string;
  readonly code: ValueIssueCode;
  readonly message: string;
}

/** The problem with one feature's value, or undefined when the value is acceptable. */
export function checkFeatureValue(feature: Feature, value: FeatureValue | undefined): ValueIssue | undefined {
  const key = feature.key;
  if (value === null || value === undefined || value === '') {
    return feature.required
      ? { key, code: 'REQUIRED', message: featureMessage(feature, 'REQUIRED', HOME_SYMBOLS) }
      : undefined;
  }
  if (feature.kind === 'categorical') {
    return feature.categories.some((c) => c.value === value)
      ? undefined
      : { key, code: 'UNKNOWN_CATEGORY', message: featureMessage(feature, 'UNKNOWN_CATEGORY', HOME_SYMBOLS) };
  }
  if (typeof value !== 'number') {
    return { key, code: 'NOT_A_NUMBER', message: featureMessage(feature, 'NOT_A_NUMBER', HOME_SYMBOLS) };
  }
  const problem = featureValueProblem(feature, value, HOME_SYMBOLS);
  return problem === null ? undefined : { key, code: problem.code, message: problem.message };
}

/** All problems with an applicant's values; keys that are not features are reported too. */
export function validateFeatureValues(spec: FeatureSpec, values: FeatureValues): ValueIssue[] {
  const issues: ValueIssue[] = [];
  const known = new Set(spec.features.map((f) => f.key));
  for (const key of Object.keys(values)) {
    if (!known.has(key)) {
      issues.push({ key, code: 'UNKNOWN_FEATURE', message: `${key} is not a field of ${spec.title}` });
    }
  }
  for (const feature of spec.features) {
    const issue = checkFeatureValue(feature, values[feature.key]);
    if (issue !== undefined) {
      issues.push(issue);
    }
  }
  return issues;
}
