/**
 * Model monitoring at the centre (issue 14, item 2): how each model version performs on the loans it decided, per
 * branch, against what its package promised. Figures only, by model version, branch, month and band: no applicant,
 * decision or officer appears in the report, the export or the metrics.
 */
import { z } from 'zod';
import { BranchIdSchema, IsoTimeSchema, VersionSchema } from './primitives';
import { POLICY_OUTCOMES } from '../domain/decisions';
import { LOAN_OUTCOME_STATUSES, type LoanOutcomeStatus } from './outcomes';

/** A loan is bad once it has been 90 days past due or written off at any as-of date (the Basel default definition). */
export const BAD_STATUSES: readonly LoanOutcomeStatus[] = ['dpd90', 'written_off'];
/** Past its performance window and 30 or 60 days late: neither good nor bad, left out of the realised figures. */
export const INDETERMINATE_STATUSES: readonly LoanOutcomeStatus[] = ['dpd30', 'dpd60'];
export const DEFAULT_PERFORMANCE_MONTHS = 12;

/** Where a figure raises a flag; docs/monitoring.md says why each was chosen. */
export const MONITORING_THRESHOLDS = {
  /** PSI of the score against the package's hold-out distribution: above this, watch. */
  psiWatch: 0.1,
  /** Above this, act: the population is no longer the one the model was validated on. */
  psiAct: 0.25,
  /** A month's PSI over fewer scores is shown but never flagged: its noise alone can pass 0.25. */
  minScoresForPsi: 50,
  /**
   * Characteristic stability is computed over coarse classes of each feature's baseline bins: missing apart, then
   * consecutive bins merged until each holds at least this share of the training rows (about ten classes, like the
   * score's deciles; over a feature's 60 fine bins a month's PSI would be mostly sampling noise).
   */
  featureClassShare: 0.1,
  /** A band's calibration over fewer matured loans is shown but never flagged. */
  minLoansForCalibration: 30,
} as const;

export const MonitoringQuerySchema = z.strictObject({
  /** Months after the decision at which a loan still current counts as good. */
  performanceMonths: z.coerce.number().int().min(1).max(60).default(DEFAULT_PERFORMANCE_MONTHS),
  modelVersion: VersionSchema.optional(),
});
export type MonitoringQuery = z.infer<typeof MonitoringQuerySchema>;

const Count = z.number().int().nonnegative();
const Rate = z.number().min(0).max(1);
const IntervalSchema = z.strictObject({ low: Rate, high: Rate });

export const DecisionRatesSchema = z.strictObject({
  /** Decisions in force: not superseded by a correction or review, not an override still waiting for approval. */
  total: Count,
  approved: Count,
  declined: Count,
  referred: Count,
  /** The policy itself said refer. */
  policyReferrals: Count,
  /** The officer's decision differs from the policy's, outside a review of a policy referral. */
  overrides: Count,
  approvalRate: Rate.nullable(),
  referralRate: Rate.nullable(),
  overrideRate: Rate.nullable(),
});

export const OverrideOutcomesSchema = z.strictObject({
  /** Overrides that approved a loan the policy declined or referred. */
  raisedToApproval: Count,
  /** Overrides that declined or referred what the policy approved. */
  lowered: Count,
  /** Raised overrides with an outcome, by latest status. */
  statuses: z.record(z.enum(LOAN_OUTCOME_STATUSES), Count),
  matured: Count,
  bad: Count,
  badRate: Rate.nullable(),
  badRateInterval: IntervalSchema.nullable(),
});

export const RealisedPerformanceSchema = z.strictObject({
  /** Approved decisions in force with a score of this model version. */
  loans: Count,
  withOutcome: Count,
  /** Bad, repaid, or past the performance window: the loans behind AUC, KS, Brier and calibration. */
  matured: Count,
  bad: Count,
  indeterminate: Count,
  auc: Rate.nullable(),
  aucInterval: IntervalSchema.nullable(),
  ks: Rate.nullable(),
  brier: Rate.nullable(),
  expectedBadRate: Rate.nullable(),
  observedBadRate: Rate.nullable(),
});

export const CalibrationBandSchema = z.strictObject({
  band: z.string(),
  matured: Count,
  bad: Count,
  /** Mean probability of default the model gave these loans. */
  expectedBadRate: Rate.nullable(),
  observedBadRate: Rate.nullable(),
  observedInterval: IntervalSchema.nullable(),
  /** The expected rate lies outside the observed rate's 95 % interval, over enough loans to say so. */
  miscalibrated: z.boolean(),
});

export const STABILITY_LEVELS = ['stable', 'watch', 'act', 'too-few', 'no-baseline'] as const;
export const StabilityMonthSchema = z.strictObject({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  scores: Count,
  psi: z.number().nonnegative().nullable(),
  level: z.enum(STABILITY_LEVELS),
});

/** One feature's stability in one month, over the scores its branches counted (shared/sync/fleet.ts, featureBins). */
export const FeatureStabilitySchema = StabilityMonthSchema.extend({
  feature: z.string(),
  /** The coarse classes the PSI compares (MONITORING_THRESHOLDS.featureClassShare). */
  classes: Count,
});
export type FeatureStability = z.infer<typeof FeatureStabilitySchema>;

export const MonitoringSegmentSchema = z.strictObject({
  /** null: every branch together. */
  branchId: BranchIdSchema.nullable(),
  decisions: DecisionRatesSchema,
  overrides: OverrideOutcomesSchema,
  performance: RealisedPerformanceSchema,
  calibration: z.array(CalibrationBandSchema),
  stability: z.array(StabilityMonthSchema),
  /** Per feature and month, by feature then month. Empty where no workstation has reported counts yet. */
  featureStability: z.array(FeatureStabilitySchema),
});
export type MonitoringSegment = z.infer<typeof MonitoringSegmentSchema>;

export const ModelBaselineSchema = z.strictObject({
  /** The central release that carried the package. */
  release: VersionSchema,
  holdoutAuc: Rate,
  holdoutRows: Count,
});

/**
 * A challenger against its champion on the same applicants (docs/monitoring.md, "Champion and challenger"): how often
 * the policy would have decided the same, and, on the champion's approved loans that matured, each model's realised
 * AUC, Brier score and the bad rate of the loans the challenger would have declined. Only approved loans have
 * outcomes, so the realised figures say nothing of the applicants the champion declined.
 */
export const ChallengerComparisonSchema = z.strictObject({
  modelVersion: VersionSchema,
  /** Scores of the champion with this challenger's shadow score beside them. */
  scores: Count,
  /** Share of those with the same policy outcome. */
  agreement: Rate.nullable(),
  /** Policy outcomes of the champion (rows) against the challenger's, every pair listed. */
  outcomes: z.array(
    z.strictObject({ champion: z.enum(POLICY_OUTCOMES), challenger: z.enum(POLICY_OUTCOMES), count: Count }),
  ),
  /** Mean of challenger score minus champion score, in score points. */
  meanScoreDifference: z.number().nullable(),
  matured: Count,
  bad: Count,
  champion: z.strictObject({ auc: Rate.nullable(), aucInterval: IntervalSchema.nullable(), brier: Rate.nullable() }),
  challenger: z.strictObject({ auc: Rate.nullable(), aucInterval: IntervalSchema.nullable(), brier: Rate.nullable() }),
  /** Matured approved loans the challenger would have declined, and how many of them went bad. */
  swappedOut: z.strictObject({ loans: Count, bad: Count, badRate: Rate.nullable() }),
});
export type ChallengerComparison = z.infer<typeof ChallengerComparisonSchema>;

export const ModelMonitoringSchema = z.strictObject({
  modelVersion: VersionSchema,
  /** null: the package never came through a central release, so nothing it promised is known here. */
  baseline: ModelBaselineSchema.nullable(),
  segments: z.array(MonitoringSegmentSchema),
  /** Challengers scored in shadow beside this model version, all branches together. */
  challengers: z.array(ChallengerComparisonSchema),
});
export type ModelMonitoring = z.infer<typeof ModelMonitoringSchema>;

export const MONITORING_FLAG_CODES = ['psi-act', 'feature-psi-act', 'auc-below-holdout', 'miscalibrated-band'] as const;
export type MonitoringFlagCode = (typeof MONITORING_FLAG_CODES)[number];
export const MonitoringFlagSchema = z.strictObject({
  code: z.enum(MONITORING_FLAG_CODES),
  modelVersion: VersionSchema,
  branchId: BranchIdSchema.nullable(),
  month: z.string().nullable(),
  band: z.string().nullable(),
  /** The feature of a `feature-psi-act` flag; null for the others. */
  feature: z.string().nullable(),
  value: z.number(),
  threshold: z.number(),
  message: z.string(),
});
export type MonitoringFlag = z.infer<typeof MonitoringFlagSchema>;

export const MonitoringReportSchema = z.strictObject({
  generatedAt: IsoTimeSchema,
  performanceMonths: z.number().int(),
  models: z.array(ModelMonitoringSchema),
  flags: z.array(MonitoringFlagSchema),
  /** Entries left out, and why: a score whose attachment disagrees with its chained entry is not believed. */
  excluded: z.strictObject({
    scoresWithoutAttachment: Count,
    inconsistentScores: Count,
    decisionsWithoutScore: Count,
    /**
     * A device's month of feature counts not believed: a bin or feature its model's baseline does not have (another
     * package's), or more scores than the device pushed for that month.
     */
    inconsistentFeatureCounts: Count,
    /** Shadow scores of a challenger no model release carried (by model hash): left out of the comparison. */
    unknownChallengers: Count,
  }),
});
export type MonitoringReport = z.infer<typeof MonitoringReportSchema>;
