/**
 * The manifest of a model package, validated with zod wherever a package is read: everything the
 * workstation needs besides the ONNX graph — specification and its hash, the model's tables
 * (intercept, bins, shapes: the plan engine's input), scaling, bands, policy defaults, training data,
 * metrics, fairness and the drift baseline.
 */
import { z } from 'zod';
import { FeatureSpec } from '../../shared/features';
import { PolicyDefaults, ScoreBand, ScoreScaling } from '../scoring/scaling';

export const MANIFEST_FORMAT = 'nexis-model-package/1';

const finite = z.number().refine(Number.isFinite, 'must be finite');

const MainTermSchema = z.strictObject({
  kind: z.literal('main'),
  feature: z.number().int().nonnegative(),
  name: z.string(),
  cuts: z.array(finite),
  values: z.array(finite),
  counts: z.array(finite),
});

const PairTermSchema = z.strictObject({
  kind: z.literal('pair'),
  features: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
  name: z.string(),
  cuts: z.tuple([z.array(finite), z.array(finite)]),
  values: z.array(finite),
  counts: z.array(finite),
});

export const GlassBoxModelSchema = z.strictObject({
  format: z.literal('nexis-glassbox/1'),
  specId: z.string(),
  specVersion: z.string(),
  featureKeys: z.array(z.string()),
  intercept: finite,
  terms: z.array(z.discriminatedUnion('kind', [MainTermSchema, PairTermSchema])).min(1),
  training: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.array(z.string())])),
});

const CalibrationBin = z.strictObject({
  lower: finite,
  upper: finite,
  count: z.number().int(),
  meanPredicted: finite,
  observedRate: finite,
});

export const MetricsSchema = z.strictObject({
  rows: z.number().int(),
  defaultRate: finite,
  auc: finite,
  gini: finite,
  ks: finite,
  brier: finite,
  logLoss: finite,
  calibration: z.array(CalibrationBin),
});

const CutoffNameSchema = z.enum(['approve', 'approve-or-refer']);

/**
 * Fairness of one protected attribute (models/eval/fairness.ts). Fields after `minGroupRows` came with the
 * per-cut-off report (AIR, SMD, equal-opportunity gap); they are optional so packages built before still verify.
 */
export const FairnessSchema = z.strictObject({
  attribute: z.string(),
  column: z.string(),
  cutoffScore: finite,
  groups: z.array(
    z.strictObject({
      group: z.string(),
      rows: z.number().int(),
      defaultRate: finite,
      approvalRate: finite,
      truePositiveRate: finite.nullable(),
      reliable: z.boolean().optional(),
      meanScore: finite.optional(),
      scoreStandardDeviation: finite.optional(),
      standardizedMeanDifference: finite.nullable().optional(),
    }),
  ),
  approvalRateRatio: finite,
  truePositiveRateDifference: finite,
  fourFifthsRuleMet: z.boolean(),
  minGroupRows: z.number().int(),
  edges: z.array(finite).optional(),
  scoreReferenceGroup: z.string().nullable().optional(),
  worstStandardizedMeanDifference: finite.optional(),
  cutoffs: z
    .array(
      z.strictObject({
        name: CutoffNameSchema,
        score: finite,
        mostFavouredGroup: z.string().nullable(),
        groups: z.array(
          z.strictObject({
            group: z.string(),
            rows: z.number().int(),
            goods: z.number().int(),
            reliable: z.boolean(),
            approvalRate: finite,
            adverseImpactRatio: finite.nullable(),
            truePositiveRate: finite.nullable(),
            equalOpportunityGap: finite.nullable(),
          }),
        ),
        worstAdverseImpactRatio: finite,
        worstGroup: z.string().nullable(),
        maxEqualOpportunityGap: finite,
        fourFifthsRuleMet: z.boolean(),
      }),
    )
    .optional(),
});
export type Fairness = z.infer<typeof FairnessSchema>;

/** One trained variant of the less-discriminatory-alternative search (models/eval/lda.ts), on the held-out rows. */
const LdaVariantSchema = z.strictObject({
  name: z.string(),
  kind: z.enum(['baseline', 'drop', 'drop-all', 'cap', 'smooth']),
  features: z.array(z.string()),
  description: z.string(),
  auc: finite,
  /** Lowest AIR at the approve cut-off over every attribute's reliable groups. */
  worstAdverseImpactRatio: finite,
  worstAttribute: z.string().nullable(),
  worstGroup: z.string().nullable(),
  /** AIR of the group the search targeted (the baseline's worst), at the approve cut-off. */
  targetAdverseImpactRatio: finite,
  approvalRate: finite,
  withinTolerance: z.boolean(),
  onFrontier: z.boolean(),
});

export const LdaSearchSchema = z.strictObject({
  target: z
    .strictObject({
      attribute: z.string(),
      column: z.string(),
      group: z.string(),
      reference: z.string(),
      adverseImpactRatio: finite,
    })
    .nullable(),
  /** Features ranked by how much more they lower the target group's score than the reference group's (logit). */
  drivers: z.array(z.strictObject({ feature: z.string(), logitGap: finite })),
  aucTolerance: finite,
  minImprovement: finite,
  variants: z.array(LdaVariantSchema).min(1),
  recommended: z.string(),
  /** The variant this package ships: the recommended one with `--lda-select`, the baseline otherwise. */
  shipped: z.string(),
  reason: z.string(),
});
export type LdaSearch = z.infer<typeof LdaSearchSchema>;

/** Per feature, the training distribution over the model's own bins: the reference for PSI drift checks. */
export const DriftBaselineSchema = z.strictObject({
  feature: z.string(),
  cuts: z.array(finite),
  /** Share of training rows per bin, bin 0 = missing. */
  proportions: z.array(finite),
  missingRate: finite,
  mean: finite.nullable(),
  standardDeviation: finite.nullable(),
});
export type DriftBaseline = z.infer<typeof DriftBaselineSchema>;

export const TrainingDataSchema = z.strictObject({
  source: z.string(),
  synthetic: z.boolean(),
  license: z.string(),
  rows: z.number().int(),
  holdoutRows: z.number().int(),
  defaultRate: finite,
  splitSeed: z.number().int(),
  description: z.string(),
});
export type TrainingData = z.infer<typeof TrainingDataSchema>;

export const ModelManifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  modelId: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  modelVersion: z.string().regex(/^\d+\.\d+\.\d+$/),
  createdAt: z.iso.datetime(),
  spec: FeatureSpec,
  specHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  onnx: z.strictObject({
    file: z.literal('model.onnx'),
    inputName: z.string(),
    outputName: z.string(),
    mlOpset: z.number().int(),
    inputType: z.literal('float32'),
    featureOrder: z.array(z.string()),
    termNames: z.array(z.string()),
    categoryEncoding: z.literal('index-in-spec'),
  }),
  model: GlassBoxModelSchema,
  scaling: ScoreScaling,
  bands: z.array(ScoreBand).min(1),
  policy: PolicyDefaults,
  trainingData: TrainingDataSchema,
  metrics: z.strictObject({ holdout: MetricsSchema }),
  fairness: z.array(FairnessSchema),
  /** The less-discriminatory-alternative search, when the trainer ran it (optional: older packages lack it). */
  lessDiscriminatoryAlternatives: LdaSearchSchema.optional(),
  drift: z.array(DriftBaselineSchema),
});
export type ModelManifest = z.infer<typeof ModelManifestSchema>;
