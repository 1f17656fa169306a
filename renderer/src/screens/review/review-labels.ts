/** Texts of the review screen: outcomes, decisions, horizons, reason codes. */
import {
  DECISION_REASON_CODES,
  DECISION_REASON_TEXTS,
  MODEL_REASON_PREFIX,
  type Decision,
  type PolicyOutcome,
} from '../../../../shared/domain/decisions';
import type { FeasibilityHorizon } from '../../../../shared/features';
import { featureLabel } from '../../features';

export const OUTCOME_LABELS: Record<PolicyOutcome, string> = {
  approve: 'Approve',
  refer: 'Refer',
  decline: 'Decline',
};

export const OUTCOME_COLORS: Record<PolicyOutcome, string> = {
  approve: 'teal',
  refer: 'yellow',
  decline: 'red',
};

export const DECISION_LABELS: Record<Decision, string> = { approve: 'Approve', decline: 'Decline', refer: 'Refer' };

export const HORIZON_LABELS: Record<FeasibilityHorizon, string> = {
  months3: '3 months',
  months6: '6 months',
  months12: '12 months',
};

/** A reason code as the officer reads it: a model reason by its feature, a fixed code by its English text. */
export function reasonCodeLabel(code: string): string {
  if (code.startsWith(MODEL_REASON_PREFIX)) {
    return `Model: ${featureLabel(code.slice(MODEL_REASON_PREFIX.length))}`;
  }
  const known = (DECISION_REASON_CODES as readonly string[]).includes(code)
    ? DECISION_REASON_TEXTS[code as (typeof DECISION_REASON_CODES)[number]].en
    : null;
  return known ?? code;
}

export function formatPoints(points: number): string {
  const rounded = Math.round(points * 10) / 10;
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : ''}${Math.abs(rounded).toFixed(1)}`;
}

export function formatPercent(probability: number): string {
  return `${(probability * 100).toFixed(1)} %`;
}
