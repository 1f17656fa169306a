/**
 * What a statement must show before the values derived from it are worth much, and how many bad rows an import
 * report lists. The preview states the thresholds so the officer can judge (and ask for a longer statement).
 */
export const THIN_STATEMENT_MONTHS = 3;
export const THIN_STATEMENT_TRANSACTIONS = 20;
/** Bad rows listed one by one; beyond this the report gives the count, so a broken file does not flood the screen. */
export const MAX_REPORTED_ROWS = 10;

/** The warning for a statement too short or too sparse to derive behaviour from, or null. */
export function thinStatementWarning(months: number, transactions: number): string | null {
  if (months >= THIN_STATEMENT_MONTHS && transactions >= THIN_STATEMENT_TRANSACTIONS) {
    return null;
  }
  const shown = `${transactions} transaction${transactions === 1 ? '' : 's'} over ${months} month${months === 1 ? '' : 's'}`;
  return (
    `Thin statement: ${shown}. Values derived from fewer than ${THIN_STATEMENT_MONTHS} months or ` +
    `${THIN_STATEMENT_TRANSACTIONS} transactions say little about the applicant; ask for a longer statement ` +
    '(12 months is best), or check each value before importing.'
  );
}
