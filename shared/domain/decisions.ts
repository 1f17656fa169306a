/**
 * Credit decisions: the officer's choices, the fixed reason codes a decision may cite besides the model's principal
 * reasons, and the override reasons required when a decision departs from the policy outcome. Shared by the core
 * (validation), the decision screen (pick lists) and the applicant letter (texts in the consent language).
 */
export const DECISIONS = ['approve', 'decline', 'refer'] as const;
export type Decision = (typeof DECISIONS)[number];

export const POLICY_OUTCOMES = ['approve', 'refer', 'decline'] as const;
export type PolicyOutcome = (typeof POLICY_OUTCOMES)[number];

export interface BilingualText {
  readonly en: string;
  readonly sw: string;
}

/**
 * A principal reason of the score is cited as `model:<featureKey>`; it must be one of the reasons of the score the
 * decision is about, so an adverse-action notice only names what really lowered the score.
 */
export const MODEL_REASON_PREFIX = 'model:';

/** Reasons an officer may cite that are not model outputs (checks done outside the model). */
export const DECISION_REASON_CODES = [
  'income-not-verified',
  'identity-not-verified',
  'incomplete-application',
  'affordability-insufficient',
  'existing-arrears-confirmed',
  'policy-knock-out',
  'meets-policy',
] as const;
export type DecisionReasonCode = (typeof DECISION_REASON_CODES)[number];

export const DECISION_REASON_TEXTS: Record<DecisionReasonCode, BilingualText> = {
  'income-not-verified': {
    en: 'The income stated could not be verified.',
    sw: 'Mapato yaliyotajwa hayakuweza kuthibitishwa.',
  },
  'identity-not-verified': {
    en: 'Your identity documents could not be verified.',
    sw: 'Nyaraka zako za utambulisho hazikuweza kuthibitishwa.',
  },
  'incomplete-application': {
    en: 'The application is incomplete.',
    sw: 'Ombi halijakamilika.',
  },
  'affordability-insufficient': {
    en: 'The repayments would be too high for your income.',
    sw: 'Marejesho yangekuwa makubwa mno kwa mapato yako.',
  },
  'existing-arrears-confirmed': {
    en: 'Arrears on an existing loan were confirmed.',
    sw: 'Malimbikizo kwenye mkopo uliopo yalithibitishwa.',
  },
  'policy-knock-out': {
    en: "The application does not meet one of the bank's lending rules.",
    sw: 'Ombi halikidhi mojawapo ya kanuni za benki za kukopesha.',
  },
  'meets-policy': {
    en: "The application meets the bank's lending rules.",
    sw: 'Ombi linakidhi kanuni za benki za kukopesha.',
  },
};

/** Why an officer departs from the policy outcome. `other` needs a note. */
export const OVERRIDE_REASONS = [
  'additional-income-documented',
  'guarantor-or-collateral',
  'long-customer-relationship',
  'affordability-concern',
  'recent-adverse-information',
  'data-quality-concern',
  'other',
] as const;
export type OverrideReason = (typeof OVERRIDE_REASONS)[number];

export const OVERRIDE_REASON_LABELS: Record<OverrideReason, string> = {
  'additional-income-documented': 'Additional income documented',
  'guarantor-or-collateral': 'Guarantor or collateral offered',
  'long-customer-relationship': 'Long, good customer relationship',
  'affordability-concern': 'Affordability concern',
  'recent-adverse-information': 'Recent adverse information',
  'data-quality-concern': 'Doubt about the quality of the data',
  other: 'Other (explain in the note)',
};

/**
 * Four eyes on overrides: a decision that raises the policy outcome to approve (decline → approve, refer → approve)
 * is `pending` until a supervisor other than its author approves or rejects it (rows marked `approved` / `rejected`).
 * On by default; a signed policy release can turn it off (`fourEyesOverrides: false`, shared/sync/release-bodies.ts).
 */
export const FOUR_EYES_STATES = ['pending', 'approved', 'rejected'] as const;
export type FourEyesState = (typeof FOUR_EYES_STATES)[number];

/** The policy outcomes from lowest to highest: an override raises the outcome when it decides above it. */
const OUTCOME_RANK: Record<PolicyOutcome, number> = { decline: 0, refer: 1, approve: 2 };

/**
 * Whether a decision raises the policy outcome to an approval. decline → refer is a raise too, but a referral is
 * already decided by a second person, so only approvals wait for four eyes.
 */
export function raisesToApproval(decision: Decision, policy: PolicyOutcome): boolean {
  return decision === 'approve' && OUTCOME_RANK[decision] > OUTCOME_RANK[policy];
}

/** The note is stored with the decision, so it is short and must not carry personal data (checked in the core). */
export const OVERRIDE_NOTE_MAX = 280;

/** A supervisor's review states its reason in a note held to the override-note rules; the form labels it so. */
export const REVIEW_NOTE_LABEL = 'Reason for your decision';
export const REVIEW_NOTE_REQUIRED = `${REVIEW_NOTE_LABEL}: write why you approve or decline (no names, phone or id numbers).`;
export const MAX_REASON_CODES = 4;
