import { sqliteTable, text, integer, real, index, primaryKey } from 'drizzle-orm/sqlite-core';
import { applicants } from './applicants';

/**
 * One row per score run: what was scored, by which model and policy, and the outcome. `inputs` is the validated
 * feature vector (pseudonymous: it carries no personal identifier) kept so an auditor can replay the score exactly;
 * `explanation` is the full result (contributions, reasons, plan) as JSON.
 */
export const scores = sqliteTable(
  'scores',
  {
    id: text('id').primaryKey(),
    applicantId: text('applicant_id')
      .notNull()
      .references(() => applicants.id),
    behaviourRecordId: text('behaviour_record_id').notNull(),
    createdAt: text('created_at').notNull(),
    officerId: text('officer_id').notNull(),
    modelHash: text('model_hash').notNull(),
    modelVersion: text('model_version').notNull(),
    policyVersion: text('policy_version').notNull(),
    specHash: text('spec_hash').notNull(),
    score: integer('score').notNull(),
    band: text('band').notNull(),
    outcome: text('outcome', { enum: ['approve', 'refer', 'decline'] }).notNull(),
    probabilityOfDefault: real('probability_of_default').notNull(),
    inputs: text('inputs').notNull(),
    explanation: text('explanation').notNull(),
    /**
     * The release's challenger on the same inputs, in shadow (ChallengerScore as JSON: model identity, score, band,
     * what the policy would have said, probability of default); null when none was loaded. Never drives anything.
     */
    challenger: text('challenger'),
  },
  (table) => [index('scores_applicant').on(table.applicantId, table.createdAt)],
);

/**
 * Officers' decisions. Immutable (triggers refuse UPDATE and DELETE): a correction, a supervisor's review of a
 * referral or a supervisor's verdict on a pending override is a new row whose `supersedes` names the decision it
 * replaces.
 */
export const decisions = sqliteTable(
  'decisions',
  {
    id: text('id').primaryKey(),
    scoreId: text('score_id')
      .notNull()
      .references(() => scores.id),
    applicantId: text('applicant_id')
      .notNull()
      .references(() => applicants.id),
    createdAt: text('created_at').notNull(),
    officerId: text('officer_id').notNull(),
    decision: text('decision', { enum: ['approve', 'decline', 'refer'] }).notNull(),
    policyOutcome: text('policy_outcome', { enum: ['approve', 'refer', 'decline'] }).notNull(),
    reasonCodes: text('reason_codes').notNull(),
    overrideReason: text('override_reason'),
    supersedes: text('supersedes'),
    /**
     * Four eyes on overrides (decisions/four-eyes.ts): `pending` marks a decision that raises the policy outcome to
     * approve and is not in force until a second supervisor decides it; `approved` / `rejected` mark that
     * supervisor's row, which supersedes the pending one. Null for every other decision.
     */
    fourEyes: text('four_eyes', { enum: ['pending', 'approved', 'rejected'] }),
  },
  (table) => [
    index('decisions_applicant').on(table.applicantId, table.createdAt),
    index('decisions_supersedes').on(table.supersedes),
  ],
);

/**
 * Characteristic stability (docs/monitoring.md): how many stored scores fell in each bin of each feature of the model
 * (the bins of its package's drift baseline, bin 0 = missing), per model version and UTC month. Counted in the score's
 * own transaction, so a score and its counts commit together. Anonymous aggregates: no applicant, score or officer
 * id, so an erasure leaves them as they are; the fleet report sends months with enough scores (fleet-report.ts) and
 * older months are dropped.
 */
export const featureBinCounts = sqliteTable(
  'feature_bin_counts',
  {
    modelVersion: text('model_version').notNull(),
    /** `YYYY-MM`, UTC: the month of the score's `created_at`. */
    month: text('month').notNull(),
    feature: text('feature').notNull(),
    bin: integer('bin').notNull(),
    count: integer('count').notNull(),
  },
  (table) => [primaryKey({ columns: [table.modelVersion, table.month, table.feature, table.bin] })],
);
