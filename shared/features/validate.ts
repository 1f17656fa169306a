/**
 * Checks one applicant's values against the specification. Used by intake (form errors),
 * the scoring engine (refuse out-of-range input) and the trainer (refuse bad rows).
 * Missing optional values are `null`; categorical values are the category's `value`.
 */
import type { Feature, FeatureSpec } from './schema';

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
    return feature.required ? { key, code: 'REQUIRED', message: `${feature.label.en} is required` } : undefined;
  }
  if (feature.kind === 'categorical') {
    return feature.categories.some((c) => c.value === value)
      ? undefined
      : { key, code: 'UNKNOWN_CATEGORY', message: `${feature.label.en}: "${String(value)}" is not an allowed value` };
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { key, code: 'NOT_A_NUMBER', message: `${feature.label.en} must be a number` };
  }
  if (feature.kind === 'integer' && !Number.isInteger(value)) {
    return { key, code: 'NOT_AN_INTEGER', message: `${feature.label.en} must be a whole number` };
  }
  if (value < feature.min || value > feature.max) {
    return {
      key,
      code: 'OUT_OF_RANGE',
      message: `${feature.label.en} must be between ${feature.min} and ${feature.max} ${feature.unit}`,
    };
  }
  return undefined;
}

/** All problems with an applicant's values; keys that are not features are reported too. */
export function validateFeatureValues(spec: FeatureSpec, values: FeatureValues): ValueIssue[] {
  const issues: ValueIssue[] = [];
  const known = new Set(spec.features.map((f) => f.key));
  for (const key of Object.keys(values)) {
    if (!known.has(key)) {
      issues.push({ key, code: 'UNKNOWN_FEATURE', message: `${key} is not a feature of ${spec.id}` });
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
