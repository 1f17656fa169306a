/**
 * The feature specification: one source of truth for the intake form, input validation,
 * the model trainer and the scoring engine. A specification is plain JSON so a bank can
 * train on its own CSV with its own file, validated by the same schema as ours.
 */
import { z } from 'zod';

/** English is required everywhere; Swahili is required for the product spec (checked by `missingTranslations`). */
export const LocalizedText = z.strictObject({
  en: z.string().trim().min(1),
  sw: z.string().trim().min(1).optional(),
});
export type LocalizedText = z.infer<typeof LocalizedText>;

/** What a higher value does to the risk of default; also the monotone constraint the trainer enforces. */
export const RISK_DIRECTIONS = ['increasing', 'decreasing', 'none'] as const;
export const RiskDirection = z.enum(RISK_DIRECTIONS);
export type RiskDirection = z.infer<typeof RiskDirection>;

export const FEASIBILITY_HORIZONS = ['months3', 'months6', 'months12'] as const;
export type FeasibilityHorizon = (typeof FEASIBILITY_HORIZONS)[number];

/**
 * How far a feature can plausibly move within a horizon. `relative: true` means `up`/`down`
 * are fractions of the applicant's current value (money grows in proportion), otherwise units.
 */
export const FeasibilityStep = z.strictObject({
  up: z.number().nonnegative(),
  down: z.number().nonnegative(),
  relative: z.boolean(),
});
export type FeasibilityStep = z.infer<typeof FeasibilityStep>;

export const Feasibility = z.strictObject({
  months3: FeasibilityStep,
  months6: FeasibilityStep,
  months12: FeasibilityStep,
});
export type Feasibility = z.infer<typeof Feasibility>;

const FeatureKey = z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'camelCase identifier');

const FeatureBase = {
  key: FeatureKey,
  /** CSV column the value is read from when training; defaults to `key`. */
  column: z.string().min(1).optional(),
  label: LocalizedText,
  description: LocalizedText,
  unit: z.string().min(1),
  required: z.boolean(),
  actionable: z.boolean(),
  riskDirection: RiskDirection,
  /** Present exactly when `actionable`; plans never move a non-actionable feature. */
  feasibility: Feasibility.optional(),
  /** Plain-language text shown when this feature is a principal reason for a lower score. */
  reasonText: LocalizedText,
};

export const NumericFeature = z.strictObject({
  ...FeatureBase,
  kind: z.enum(['numeric', 'integer']),
  min: z.number(),
  max: z.number(),
});
export type NumericFeature = z.infer<typeof NumericFeature>;

export const Category = z.strictObject({
  /** The value as it appears in data (CSV cell, form value). */
  value: z.string().min(1),
  label: LocalizedText,
});
export type Category = z.infer<typeof Category>;

export const CategoricalFeature = z.strictObject({
  ...FeatureBase,
  kind: z.literal('categorical'),
  categories: z.array(Category).min(2),
});
export type CategoricalFeature = z.infer<typeof CategoricalFeature>;

export const Feature = z
  .discriminatedUnion('kind', [NumericFeature, CategoricalFeature])
  .superRefine((feature, ctx) => {
    if (feature.actionable !== (feature.feasibility !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'feasibility must be given exactly when the feature is actionable' });
    }
    if (feature.kind === 'categorical') {
      if (feature.riskDirection !== 'none') {
        ctx.addIssue({ code: 'custom', message: 'a categorical feature has no order, so riskDirection must be none' });
      }
      const values = feature.categories.map((c) => c.value);
      if (new Set(values).size !== values.length) {
        ctx.addIssue({ code: 'custom', message: 'category values must be unique' });
      }
    } else {
      if (!(feature.min < feature.max)) {
        ctx.addIssue({ code: 'custom', message: 'min must be below max' });
      }
      if (feature.kind === 'integer' && !(Number.isInteger(feature.min) && Number.isInteger(feature.max))) {
        ctx.addIssue({ code: 'custom', message: 'an integer feature needs integer bounds' });
      }
    }
  });
export type Feature = z.infer<typeof Feature>;

/** A column read only to measure fairness on held-out rows; never a model input. */
export const ProtectedColumn = z.strictObject({
  column: z.string().min(1),
  attribute: z.string().min(1),
  /** Numeric columns (age) are grouped at these edges: [25, 35] gives <25, 25–34, ≥35. */
  groupEdges: z.array(z.number()).optional(),
});
export type ProtectedColumn = z.infer<typeof ProtectedColumn>;

export const LabelColumn = z.strictObject({
  column: z.string().min(1),
  /** Cell values that mean the applicant defaulted (the positive class). Every other value is non-default. */
  defaultValues: z.array(z.string().min(1)).min(1),
});
export type LabelColumn = z.infer<typeof LabelColumn>;

export const FeatureSpec = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case id'),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'semantic version'),
    title: z.string().min(1),
    currency: z.string().optional(),
    label: LabelColumn,
    features: z.array(Feature).min(1),
    protectedColumns: z.array(ProtectedColumn),
  })
  .superRefine((spec, ctx) => {
    const keys = spec.features.map((f) => f.key);
    if (new Set(keys).size !== keys.length) {
      ctx.addIssue({ code: 'custom', message: 'feature keys must be unique' });
    }
    const columns = spec.features.map(featureColumn);
    if (new Set(columns).size !== columns.length) {
      ctx.addIssue({ code: 'custom', message: 'feature columns must be unique' });
    }
    if (columns.includes(spec.label.column)) {
      ctx.addIssue({ code: 'custom', message: 'the label column cannot be a feature' });
    }
  });
export type FeatureSpec = z.infer<typeof FeatureSpec>;

/** The CSV column a feature is read from. */
export function featureColumn(feature: Pick<Feature, 'key' | 'column'>): string {
  return feature.column ?? feature.key;
}

/** Paths of texts lacking the given language, e.g. `features.savingsRate.label`. Empty when complete. */
export function missingTranslations(spec: FeatureSpec, language: 'sw'): string[] {
  const missing: string[] = [];
  const check = (text: LocalizedText, path: string): void => {
    if (text[language] === undefined) {
      missing.push(path);
    }
  };
  for (const f of spec.features) {
    check(f.label, `features.${f.key}.label`);
    check(f.description, `features.${f.key}.description`);
    check(f.reasonText, `features.${f.key}.reasonText`);
    if (f.kind === 'categorical') {
      for (const c of f.categories) {
        check(c.label, `features.${f.key}.categories.${c.value}`);
      }
    }
  }
  return missing;
}
