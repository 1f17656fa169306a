/**
 * The rules a decision must satisfy before it is stored: reason codes the applicant can be told (the score's own
 * principal reasons or the fixed list), an override reason exactly when the officer departs from the policy, and an
 * override note that carries no personal data.
 */
import {
  DECISION_REASON_CODES,
  MODEL_REASON_PREFIX,
  type Decision,
  type OverrideReason,
  type PolicyOutcome,
  REVIEW_NOTE_LABEL,
  REVIEW_NOTE_REQUIRED,
} from '../../../shared/domain/decisions';
import { fold } from '../../../shared/rules/text';
import { nameTokensOf, OVERRIDE_NOTE_REQUIRED, overrideNoteProblem } from '../../../shared/rules/override-note';
import { NexisError } from '../errors';

export interface OverrideInput {
  readonly reason: OverrideReason;
  readonly note?: string | undefined;
}

export interface DecisionInput {
  readonly decision: Decision;
  readonly reasonCodes: readonly string[];
  readonly override?: OverrideInput | undefined;
  /** A supervisor's written reason for a review (required there, unused elsewhere). */
  readonly note?: string | undefined;
}

const invalid = (field: string, message: string): NexisError =>
  new NexisError('INVALID_INPUT', `Invalid input — ${field}: ${message}`);

export function checkReasonCodes(input: DecisionInput, principalReasons: readonly string[]): void {
  const codes = input.reasonCodes;
  if (new Set(codes).size !== codes.length) {
    throw invalid('reasonCodes', 'each reason may be given once.');
  }
  for (const code of codes) {
    if (code.startsWith(MODEL_REASON_PREFIX)) {
      if (!principalReasons.includes(code.slice(MODEL_REASON_PREFIX.length))) {
        throw invalid('reasonCodes', `${code} is not a principal reason of this score.`);
      }
    } else if (!(DECISION_REASON_CODES as readonly string[]).includes(code)) {
      throw invalid('reasonCodes', `${code} is not a known reason code.`);
    }
  }
  if (input.decision !== 'approve' && codes.length === 0) {
    throw invalid('reasonCodes', `a ${input.decision} needs at least one reason the applicant can be told.`);
  }
  if (input.decision === 'decline' && codes.includes('meets-policy')) {
    throw invalid('reasonCodes', '"meets-policy" cannot justify a decline.');
  }
}

/**
 * An override is required exactly when the decision differs from the policy outcome, except when a supervisor
 * decides a referral that the policy itself referred: that review is the human decision the policy asked for.
 */
export function overrideRequired(
  decision: Decision,
  policy: PolicyOutcome,
  isReviewOfPolicyReferral: boolean,
): boolean {
  return decision !== policy && !isReviewOfPolicyReferral;
}

/** A note names facts, not people (the rule and its message: shared/rules/override-note.ts). */
export function checkOverrideNote(note: string, nameTokens: readonly string[], label?: string): void {
  const problem = overrideNoteProblem(note, nameTokens, { quote: false, ...(label === undefined ? {} : { label }) });
  if (problem !== null) {
    throw new NexisError('INVALID_INPUT', problem);
  }
}

/** Four eyes means a stated reason: a review's note is required and follows the override-note rules. */
export function checkReviewNote(note: string | undefined, nameTokens: readonly string[]): string {
  const trimmed = note?.trim() ?? '';
  if (trimmed === '') {
    throw new NexisError('INVALID_INPUT', REVIEW_NOTE_REQUIRED);
  }
  checkOverrideNote(trimmed, nameTokens, REVIEW_NOTE_LABEL);
  return trimmed;
}

export function checkOverride(input: DecisionInput, required: boolean, nameTokens: readonly string[]): void {
  if (!required) {
    if (input.override !== undefined) {
      throw invalid('override', 'the decision follows the policy outcome, so there is nothing to override.');
    }
    return;
  }
  if (input.override === undefined) {
    throw invalid('override', 'the decision differs from the policy outcome: give an override reason.');
  }
  const note = input.override.note?.trim() ?? '';
  if (input.override.reason === 'other' && note === '') {
    throw new NexisError('INVALID_INPUT', OVERRIDE_NOTE_REQUIRED);
  }
  if (note !== '') {
    checkOverrideNote(note, nameTokens);
  }
}

export { fold, nameTokensOf };
