import { date, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { LOAN_OUTCOME_STATUSES, OUTCOME_SOURCES } from '../../../shared/sync/outcomes';

/**
 * Loan outcomes at the centre (issue 14): what became of an approved loan, by its pseudonymous decision id only.
 * One row per decision and as-of date; a later as-of date is a new row, so the history stays and the latest as-of
 * date is the current outcome. Rows are only ever added (server/outcomes/import.ts): a re-import of the same row
 * changes nothing, and a different status for a stored (decision, as-of) pair is refused rather than overwritten.
 */

/** One import: who brought which file when, and what it changed (the server audit entry names its id). */
export const outcomeImports = pgTable('outcome_imports', {
  importId: text('import_id').primaryKey(),
  source: text('source', { enum: OUTCOME_SOURCES }).notNull(),
  /** `ADM-…` for a core-banking file. */
  importedBy: text('imported_by').notNull(),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull(),
  /** SHA-256 of the body as received, so the file an outcome came from can be identified later. */
  bodySha256: text('body_sha256').notNull(),
  rows: integer('rows').notNull(),
  imported: integer('imported').notNull(),
  unchanged: integer('unchanged').notNull(),
});

export const loanOutcomes = pgTable(
  'loan_outcomes',
  {
    decisionId: text('decision_id').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    status: text('status', { enum: LOAN_OUTCOME_STATUSES }).notNull(),
    source: text('source', { enum: OUTCOME_SOURCES }).notNull(),
    importId: text('import_id')
      .notNull()
      .references(() => outcomeImports.importId),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.decisionId, t.asOf] }), index('loan_outcomes_import').on(t.importId)],
);
