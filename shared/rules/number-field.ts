/**
 * A plain number field with a range (settings, policy cut-offs): parsed in the officer's locale, never clamped, and
 * described the same way by the form and the schema that checks it again in the core.
 */
import { z } from 'zod';
import { formatLocaleNumber, numberSymbols, parseLocaleNumber, type NumberSymbols } from './numbers';

export interface NumberFieldRule {
  /** The field's label as the form shows it. */
  readonly label: string;
  /** Plural unit word for messages ("minutes"); empty for plain numbers. */
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
}

export function numberFieldMessage(rule: NumberFieldRule, symbols: NumberSymbols = numberSymbols()): string {
  const kind = rule.integer ? 'a whole number' : 'a number';
  const unit = rule.unit === '' ? '' : ` of ${rule.unit}`;
  return `${rule.label}: enter ${kind}${unit} from ${formatLocaleNumber(rule.min, symbols)} to ${formatLocaleNumber(rule.max, symbols)}.`;
}

export type NumberFieldResult =
  { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

export function parseNumberField(
  rule: NumberFieldRule,
  text: string,
  symbols: NumberSymbols = numberSymbols(),
): NumberFieldResult {
  const parsed = parseLocaleNumber(text, symbols);
  const message = numberFieldMessage(rule, symbols);
  if (!parsed.ok) {
    return { ok: false, message };
  }
  const { value } = parsed;
  if ((rule.integer && !Number.isInteger(value)) || value < rule.min || value > rule.max) {
    return { ok: false, message };
  }
  return { ok: true, value };
}

/** The zod schema for the same rule, so the core refuses with the form's words. */
export function numberFieldSchema(rule: NumberFieldRule): z.ZodNumber {
  const message = numberFieldMessage(rule, numberSymbols('en-KE'));
  const base = z.number({ error: message });
  return (rule.integer ? base.int(message) : base).min(rule.min, message).max(rule.max, message);
}

/** Minutes without activity before a session locks itself. */
export const IDLE_TIMEOUT_RULE: NumberFieldRule = {
  label: 'Lock after (minutes)',
  unit: 'minutes',
  min: 1,
  max: 120,
  integer: true,
};
