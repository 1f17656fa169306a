/**
 * Policy cut-offs: `approve` (approve at or above) and `refer` (refer at or above, decline below). One rule for the
 * console's release form and the workstation that verifies a signed release before applying it: whole score points,
 * refer below approve, both on the model's score scale (exactly one above the top means "approve no one", a
 * deliberate freeze), and a move larger than the branches' step limit only when declared.
 */
import { formatLocaleNumber, numberSymbols, parseLocaleNumber, type NumberSymbols } from './numbers';

export const CUTOFF_LABELS = { approve: 'Approve cut-off', refer: 'Refer cut-off' } as const;
export type CutoffField = keyof typeof CUTOFF_LABELS;

export interface ScoreScale {
  readonly min: number;
  readonly max: number;
}

export interface Cutoffs {
  readonly approve: number;
  readonly refer: number;
}

/** A cut-off typed in the form: whole score points in the officer's locale, or the message to show. */
export function parseCutoff(
  field: CutoffField,
  text: string,
  symbols: NumberSymbols = numberSymbols(),
): { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string } {
  const parsed = parseLocaleNumber(text, symbols);
  if (!parsed.ok || !Number.isInteger(parsed.value)) {
    return { ok: false, message: `${CUTOFF_LABELS[field]}: enter a whole number of score points, such as 620.` };
  }
  return { ok: true, value: parsed.value };
}

/** What is wrong with a pair of cut-offs, field by field (empty when they may be released). */
export function cutoffProblems(
  cutoffs: Partial<Cutoffs>,
  scale?: ScoreScale,
  symbols: NumberSymbols = numberSymbols('en-KE'),
): Partial<Record<CutoffField, string>> {
  const problems: Partial<Record<CutoffField, string>> = {};
  const { approve, refer } = cutoffs;
  for (const field of ['approve', 'refer'] as const) {
    const value = cutoffs[field];
    if (value === undefined || !Number.isInteger(value)) {
      problems[field] = `${CUTOFF_LABELS[field]}: enter a whole number of score points, such as 620.`;
    }
  }
  if (approve === undefined || refer === undefined || Object.keys(problems).length > 0) {
    return problems;
  }
  if (refer >= approve) {
    problems.refer = `${CUTOFF_LABELS.refer}: must be below the approve cut-off (${formatLocaleNumber(approve, symbols)}); lower it or raise the approve cut-off.`;
  }
  if (scale !== undefined) {
    const range = `${formatLocaleNumber(scale.min, symbols)} to ${formatLocaleNumber(scale.max + 1, symbols)}`;
    if (approve < scale.min || approve > scale.max + 1) {
      problems.approve = `${CUTOFF_LABELS.approve}: must be on the model's score scale, ${range}.`;
    }
    if (refer < scale.min || refer > scale.max + 1) {
      problems.refer ??= `${CUTOFF_LABELS.refer}: must be on the model's score scale, ${range}.`;
    }
  }
  return problems;
}

/** Why a release moves the cut-offs too far without saying so, or null. */
export function cutoffMoveProblem(next: Cutoffs, inForce: Cutoffs, step: number, declared: boolean): string | null {
  const moved = Math.max(Math.abs(next.approve - inForce.approve), Math.abs(next.refer - inForce.refer));
  return moved > step && !declared
    ? `moves a cut-off by ${moved} points (more than ${step}) without declaring a large move`
    : null;
}
