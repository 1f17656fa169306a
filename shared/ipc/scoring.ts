/**
 * IPC contract of the scoring engine, decisions, applicant letters and the model status. One map per capability
 * prefix (scoring, decisions, letters, model), merged into the app contract like the others.
 */
import { z } from 'zod';
import { defineChannels } from './define';
import { Empty, IsoTimestamp } from './common';
import { ApplicantId } from './applicants';
import { FEASIBILITY_HORIZONS } from '../features';
import {
  DECISIONS,
  FOUR_EYES_STATES,
  MAX_REASON_CODES,
  OVERRIDE_NOTE_MAX,
  OVERRIDE_REASONS,
  POLICY_OUTCOMES,
} from '../domain/decisions';

const LENDING = ['officer', 'supervisor'] as const;
const READERS = ['officer', 'supervisor', 'auditor'] as const;
const MAX_BATCH_CSV_CHARS = 20 * 1024 * 1024;

export const ScoreId = z.string().regex(/^SC-[0-9A-F]{16}$/, 'a score id such as SC-0123456789ABCDEF');
export const DecisionId = z.string().regex(/^DC-[0-9A-F]{16}$/, 'a decision id such as DC-0123456789ABCDEF');
export const Horizon = z.enum(FEASIBILITY_HORIZONS);
export const Outcome = z.enum(POLICY_OUTCOMES);

export const Contribution = z.strictObject({
  term: z.string(),
  features: z.array(z.string()),
  /** Contribution to the logit of default (positive raises risk). */
  logit: z.number(),
  /** The same in score points (negative lowers the score). */
  points: z.number(),
});

export const PrincipalReason = z.strictObject({
  feature: z.string(),
  pointsLost: z.number(),
  text: z.strictObject({ en: z.string(), sw: z.string().optional() }),
});

/** What the shillings of a plan step measure (the screen and the letter word each one). */
export const MONEY_MEASURES = [
  'monthly-savings',
  'monthly-repayments',
  'monthly-swing',
  'monthly-inflow',
  'balance',
  'loan-amount',
] as const;

export const PlanStep = z.strictObject({
  feature: z.string(),
  from: z.number(),
  to: z.number(),
  gainPoints: z.number(),
  effort: z.number(),
  horizon: Horizon,
  /** The change in shillings with the applicant's own inflow; null for counts. Absent in plans stored before it. */
  money: z
    .strictObject({ measure: z.enum(MONEY_MEASURES), from: z.number(), to: z.number() })
    .nullable()
    .optional(),
});

export const PlanTarget = z.strictObject({
  kind: z.enum(['next-band', 'approval']),
  band: z.string(),
  minScore: z.number(),
  reachable: z.boolean(),
  horizon: Horizon.nullable(),
  steps: z.array(PlanStep),
  totalEffort: z.number(),
  projectedScore: z.number(),
  projectedBand: z.string(),
  projectedOutcome: Outcome,
});

export const ImprovementPlan = z.strictObject({
  modelHash: z.string(),
  policyVersion: z.string(),
  createdAt: IsoTimestamp,
  validUntil: IsoTimestamp,
  currentScore: z.number(),
  currentBand: z.string(),
  currentOutcome: Outcome,
  targets: z.array(PlanTarget),
});
export type ImprovementPlanView = z.infer<typeof ImprovementPlan>;

/**
 * The one reference point of chart, reasons and plan: each feature's best attainable value. One bar per feature,
 * points ≤ 0 lost against it; bestPoints + Σ points = rawScore; the principal reasons are the largest losses.
 */
export const Attribution = z.strictObject({
  reference: z.literal('best-attainable'),
  bestPoints: z.number(),
  factors: z.array(z.strictObject({ feature: z.string(), points: z.number().max(0) })),
});
export type AttributionView = z.infer<typeof Attribution>;

/** The model's answer and its exact explanation. */
export const ScoreExplanation = z.strictObject({
  intercept: z.number(),
  logit: z.number(),
  probabilityOfDefault: z.number(),
  basePoints: z.number(),
  rawScore: z.number(),
  score: z.number().int(),
  band: z.string(),
  outcome: Outcome,
  contributions: z.array(Contribution),
  /** Absent only in scores stored before the single reference point (score again to see it). */
  attribution: Attribution.optional(),
  /** The policy's cut-offs this score was judged by (drawn on the gauge); absent in older scores and what-ifs. */
  policyCutOffs: z.strictObject({ approveAtOrAbove: z.number(), declineBelow: z.number() }).optional(),
  reasons: z.array(PrincipalReason).max(4),
});
export type ScoreExplanation = z.infer<typeof ScoreExplanation>;

/**
 * A challenger's score of the same applicant, in shadow (docs/monitoring.md, "Champion and challenger"): what it would
 * have said under the policy in force. Recorded with the score and in its audit entry; never shown as a reason, a
 * plan or a decision.
 */
export const ChallengerScore = z.strictObject({
  modelVersion: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/),
  modelHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  score: z.number().int(),
  band: z.string().min(1).max(40),
  outcome: Outcome,
  probabilityOfDefault: z.number().min(0).max(1),
});
export type ChallengerScore = z.infer<typeof ChallengerScore>;

export const ScoreView = z.strictObject({
  ...ScoreExplanation.shape,
  scoreId: ScoreId,
  applicantId: z.string(),
  behaviourRecordId: z.string(),
  createdAt: IsoTimestamp,
  officerId: z.string(),
  modelHash: z.string(),
  modelVersion: z.string(),
  policyVersion: z.string(),
  specHash: z.string(),
  plan: ImprovementPlan,
});
export type ScoreView = z.infer<typeof ScoreView>;

export const WhatIfResult = z.strictObject({
  ...ScoreExplanation.shape,
  /** Score change against the applicant's current values. */
  deltaPoints: z.number().int(),
  changed: z.array(z.string()),
  modelHash: z.string(),
});
export type WhatIfResult = z.infer<typeof WhatIfResult>;

export const PlanProgress = z.strictObject({
  modelHash: z.string(),
  checkedAt: IsoTimestamp,
  expired: z.boolean(),
  score: z.number().int(),
  band: z.string(),
  outcome: Outcome,
  pointsSincePlan: z.number().int(),
  targets: z.array(
    z.strictObject({
      kind: z.enum(['next-band', 'approval']),
      band: z.string(),
      minScore: z.number(),
      reached: z.boolean(),
      steps: z.array(
        z.strictObject({ feature: z.string(), planned: z.number(), current: z.number().nullable(), done: z.boolean() }),
      ),
    }),
  ),
});
export type PlanProgressView = z.infer<typeof PlanProgress>;

export const BatchSummary = z.strictObject({
  rows: z.number().int().nonnegative(),
  scored: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  bands: z.record(z.string(), z.number().int().nonnegative()),
  outcomes: z.strictObject({
    approve: z.number().int().nonnegative(),
    refer: z.number().int().nonnegative(),
    decline: z.number().int().nonnegative(),
  }),
  /** The first rows that could not be scored (line numbers of the CSV, header = line 1). */
  errors: z.array(z.strictObject({ line: z.number().int(), message: z.string() })),
  errorsTruncated: z.boolean(),
  modelHash: z.string(),
  policyVersion: z.string(),
  durationMs: z.number().nonnegative(),
  /** One line per input row: line, score, band, outcome, PD, up to four reason features (or the error). */
  resultCsv: z.string(),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

export const ModelStatusView = z.strictObject({
  state: z.enum(['verified', 'refused', 'not-installed']),
  /** Why a package was refused; null unless refused. */
  refusal: z
    .enum(['unsigned', 'altered', 'wrong-key', 'incompatible-spec', 'invalid-package', 'invalid-key', 'runtime-error'])
    .nullable(),
  detail: z.string(),
  source: z.string().nullable(),
  modelId: z.string().nullable(),
  modelVersion: z.string().nullable(),
  modelHash: z.string().nullable(),
  policyVersion: z.string().nullable(),
  specHash: z.string().nullable(),
  synthetic: z.boolean().nullable(),
  signature: z.strictObject({ algorithm: z.literal('Ed25519'), keyId: z.string() }).nullable(),
  trustedKeyId: z.string().nullable(),
  loadedAt: IsoTimestamp.nullable(),
  loadMs: z.number().nonnegative().nullable(),
});
export type ModelStatusView = z.infer<typeof ModelStatusView>;

export const OverrideInput = z.strictObject({
  reason: z.enum(OVERRIDE_REASONS),
  note: z.string().trim().max(OVERRIDE_NOTE_MAX).optional(),
});

const ReasonCodes = z
  .array(z.string().regex(/^(model:[a-z][A-Za-z0-9]{0,63}|[a-z][a-z-]{1,47})$/))
  .max(MAX_REASON_CODES);

export const DecisionView = z.strictObject({
  decisionId: DecisionId,
  scoreId: ScoreId,
  applicantId: z.string(),
  createdAt: IsoTimestamp,
  officerId: z.string(),
  decision: z.enum(DECISIONS),
  policyOutcome: Outcome,
  reasonCodes: z.array(z.string()),
  override: z.strictObject({ reason: z.enum(OVERRIDE_REASONS), note: z.string().nullable() }).nullable(),
  /** The written reason: an override note or a supervisor's reason for a review (no personal data). */
  note: z.string().nullable(),
  supersedes: DecisionId.nullable(),
  supersededBy: DecisionId.nullable(),
  /** `override-approval` / `override-rejection`: a second supervisor's verdict on a pending override. */
  kind: z.enum(['initial', 'review', 'correction', 'override-approval', 'override-rejection']),
  /**
   * Four eyes on overrides: `pending` marks a raise to approve that is not in force until a second supervisor
   * decides it; `approved` / `rejected` mark that supervisor's row. Null for every other decision.
   */
  fourEyes: z.enum(FOUR_EYES_STATES).nullable(),
  /** True while this decision is a pending override nothing has superseded yet: not an approval, no letter. */
  awaitingApproval: z.boolean(),
});
export type DecisionView = z.infer<typeof DecisionView>;

/** A referral waiting for review with what the supervisor needs to judge it without opening the applicant. */
export const PendingReferral = z.strictObject({
  ...DecisionView.shape,
  score: z.number().int(),
  band: z.string(),
  probabilityOfDefault: z.number(),
  reasons: z.array(PrincipalReason).max(4),
  /** The loan asked for (KES) and its term in months, from the scored inputs. */
  requestedAmount: z.number().nullable(),
  termMonths: z.number().nullable(),
});
export type PendingReferralView = z.infer<typeof PendingReferral>;

/**
 * The two written reasons of a four-eyes override on a replay record: what the officer asked for and why, and the
 * second supervisor's verdict and reason (null while the override is still pending).
 */
export const FourEyesRecord = z.strictObject({
  requestDecisionId: DecisionId,
  requestedBy: z.string(),
  requestedAt: IsoTimestamp,
  requested: z.enum(DECISIONS),
  policyOutcome: Outcome,
  overrideReason: z.enum(OVERRIDE_REASONS),
  overrideNote: z.string().nullable(),
  /** `withdrawn`: its author corrected the pending override before a supervisor decided it. */
  verdict: z.enum(['pending', 'approved', 'rejected', 'withdrawn']),
  verdictDecisionId: DecisionId.nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: IsoTimestamp.nullable(),
  supervisorNote: z.string().nullable(),
});
export type FourEyesRecord = z.infer<typeof FourEyesRecord>;

export const ReplayReport = z.strictObject({
  decisionId: DecisionId,
  scoreId: ScoreId,
  modelHash: z.string(),
  policyVersion: z.string(),
  reproduced: z.boolean(),
  stored: z.strictObject({ score: z.number(), band: z.string(), outcome: Outcome, probabilityOfDefault: z.number() }),
  replayed: z.strictObject({ score: z.number(), band: z.string(), outcome: Outcome, probabilityOfDefault: z.number() }),
  differences: z.array(z.string()),
  /** Set when the decision is a four-eyes override or a supervisor's verdict on one. */
  fourEyes: FourEyesRecord.nullable(),
});
export type ReplayReport = z.infer<typeof ReplayReport>;

export const scoringChannels = defineChannels('scoring', {
  'scoring:score': {
    input: z.strictObject({ applicantId: ApplicantId }),
    output: ScoreView,
    access: LENDING,
    summary: 'Scores the applicant’s latest behavioural data (requires credit-scoring consent; audited)',
  },
  'scoring:whatIf': {
    input: z.strictObject({
      applicantId: ApplicantId,
      changes: z.record(z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/), z.number().finite().nullable()),
    }),
    output: WhatIfResult,
    access: LENDING,
    summary: 'Scores changed actionable values without storing anything',
  },
  'scoring:latest': {
    input: z.strictObject({ applicantId: ApplicantId }),
    output: ScoreView.nullable(),
    access: READERS,
    summary: 'The latest stored score of an applicant with its explanation and plan',
  },
  'scoring:progress': {
    input: z.strictObject({ applicantId: ApplicantId }),
    output: PlanProgress,
    access: LENDING,
    summary: 'Progress of the latest plan against the applicant’s current data (same model required)',
  },
  'scoring:batch': {
    input: z.strictObject({ csv: z.string().min(1).max(MAX_BATCH_CSV_CHARS) }),
    output: BatchSummary,
    access: ['admin'],
    summary: 'Scores a CSV of feature rows (no personal data); stores only an audit entry with counts',
  },
});

export const decisionsChannels = defineChannels('decisions', {
  'decisions:record': {
    input: z.strictObject({
      scoreId: ScoreId,
      decision: z.enum(DECISIONS),
      reasonCodes: ReasonCodes,
      override: OverrideInput.optional(),
    }),
    output: DecisionView,
    access: LENDING,
    summary: 'Records approve / decline / refer; a departure from the policy outcome needs an override reason',
  },
  'decisions:correct': {
    input: z.strictObject({
      decisionId: DecisionId,
      decision: z.enum(DECISIONS),
      reasonCodes: ReasonCodes,
      override: OverrideInput.optional(),
    }),
    output: DecisionView,
    access: LENDING,
    summary: 'Records a correction: a new decision that supersedes the current one',
  },
  'decisions:review': {
    input: z.strictObject({
      decisionId: DecisionId,
      decision: z.enum(['approve', 'decline']),
      reasonCodes: ReasonCodes,
      /** The supervisor's reason, required for approve and decline alike; the override-note rules apply. */
      note: z.string().max(OVERRIDE_NOTE_MAX),
      /** Needed only when the policy outcome was approve or decline and the review departs from it. */
      override: OverrideInput.optional(),
    }),
    output: DecisionView,
    access: ['supervisor'],
    summary: 'A supervisor decides a referral (four eyes: not their own)',
  },
  'decisions:list': {
    input: z.strictObject({ applicantId: ApplicantId }),
    output: z.array(DecisionView),
    access: READERS,
    summary: 'Every decision about an applicant, newest first, with what superseded what',
  },
  'decisions:pendingReviews': {
    input: Empty,
    output: z.array(PendingReferral),
    access: ['supervisor'],
    summary: 'Referrals waiting for a supervisor, oldest first, with score, band, reasons and the loan asked for',
  },
  'decisions:pendingOverrides': {
    input: Empty,
    output: z.array(PendingReferral),
    access: ['supervisor'],
    summary: 'Overrides raising the policy outcome to approve that wait for a second supervisor, oldest first',
  },
  'decisions:approveOverride': {
    input: z.strictObject({
      decisionId: DecisionId,
      /** The supervisor's reason, required; the override-note rules apply. */
      note: z.string().max(OVERRIDE_NOTE_MAX),
    }),
    output: DecisionView,
    access: ['supervisor'],
    summary: 'A supervisor other than its author puts a pending override in force (four eyes)',
  },
  'decisions:rejectOverride': {
    input: z.strictObject({
      decisionId: DecisionId,
      /** What the applicant's letter cites for the policy outcome that stands (a decline or referral needs one). */
      reasonCodes: ReasonCodes,
      note: z.string().max(OVERRIDE_NOTE_MAX),
    }),
    output: DecisionView,
    access: ['supervisor'],
    summary: 'A supervisor other than its author rejects a pending override: the policy outcome stands',
  },
  'decisions:replay': {
    input: z.strictObject({ decisionId: DecisionId }),
    output: ReplayReport,
    access: ['supervisor', 'auditor', 'admin'],
    summary: 'Re-scores the stored inputs with the model of the stored hash and checks the score reproduces',
  },
});

export const lettersChannels = defineChannels('letters', {
  'letters:applicant': {
    input: z.strictObject({ decisionId: DecisionId }),
    output: z.strictObject({
      fileName: z.string(),
      language: z.enum(['en', 'sw']),
      pages: z.number().int().positive(),
      pdfBase64: z.string(),
    }),
    access: LENDING,
    summary: 'The applicant’s decision letter as a PDF in their consent language (audited, never logged)',
  },
  'letters:bankCopy': {
    input: z.strictObject({ decisionId: DecisionId }),
    output: z.strictObject({
      fileName: z.string(),
      language: z.enum(['en', 'sw']),
      pages: z.number().int().positive(),
      pdfBase64: z.string(),
    }),
    access: READERS,
    summary: 'The bank’s copy of a decision letter: the replay record, for the file, without personal data (audited)',
  },
});

export const modelChannels = defineChannels('model', {
  'model:status': {
    input: Empty,
    output: ModelStatusView,
    access: 'signedIn',
    summary: 'Whether a verified model is loaded, its version, hash and signature, or why it was refused',
  },
  'model:reload': {
    input: Empty,
    output: ModelStatusView,
    access: ['admin'],
    summary: 'Reads and verifies the model package again (after a release was installed)',
  },
});
