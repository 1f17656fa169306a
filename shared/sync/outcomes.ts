/**
 * Loan outcomes at the centre (issue 14): the core-banking CSV an administrator imports, the per-row refusals, and
 * what the console reads back. Outcomes name decisions by their pseudonymous ids (`DC-…`) only.
 */
import { z } from 'zod';
import { IsoTimeSchema } from './primitives';

export const LOAN_OUTCOME_STATUSES = ['current', 'dpd30', 'dpd60', 'dpd90', 'written_off', 'repaid'] as const;
export type LoanOutcomeStatus = (typeof LOAN_OUTCOME_STATUSES)[number];
export const OUTCOME_SOURCES = ['core-banking-csv', 'branch'] as const;

/** The workstation's decision ids (electron/core/decisions/decision-service.ts). */
export const DECISION_ID = /^DC-[0-9A-F]{16}$/;
export const DecisionIdSchema = z.string().regex(DECISION_ID);
export const OUTCOME_IMPORT_ID = /^OIM-[0-9A-F]{16}$/;
export const OutcomeImportIdSchema = z.string().regex(OUTCOME_IMPORT_ID);
export const CalendarDateSchema = z.iso.date();

/** The header a core-banking file must have, in this order. */
export const OUTCOME_CSV_COLUMNS = ['decision_id', 'status', 'as_of'] as const;
export type OutcomeCsvColumn = (typeof OUTCOME_CSV_COLUMNS)[number];
/** Data rows per file: a month of a large bank's book fits; a runaway export does not. */
export const MAX_OUTCOME_ROWS = 100_000;
/** 100,000 fully quoted rows with CRLF are about 5 MiB. */
export const OUTCOME_BODY_LIMIT = 8 * 1024 * 1024;
/** Refusals listed in one answer; `errorCount` gives the total. */
export const MAX_REPORTED_ROW_ERRORS = 500;

export const OUTCOME_ROW_ERROR_CODES = [
  'empty-file',
  'bad-header',
  'too-many-rows',
  'malformed-row',
  'empty-row',
  'wrong-column-count',
  'invalid-id',
  'unknown-status',
  'invalid-date',
  'future-date',
  'before-decision',
  'duplicate-row',
  'unknown-decision',
  'not-an-approval',
  'approval-pending',
  'superseded',
  'conflicts-with-stored',
] as const;
export type OutcomeRowErrorCode = (typeof OUTCOME_ROW_ERROR_CODES)[number];

/** One refusal: the file's line number (1 is the header), the column when one is at fault, ids only in messages. */
export const OutcomeRowErrorSchema = z.strictObject({
  row: z.number().int().min(1),
  column: z.enum(OUTCOME_CSV_COLUMNS).nullable(),
  code: z.enum(OUTCOME_ROW_ERROR_CODES),
  message: z.string(),
});
export type OutcomeRowError = z.infer<typeof OutcomeRowErrorSchema>;

/** 422: some row is refused, so nothing of the file was stored. */
export const OutcomeImportRefusalSchema = z.strictObject({
  error: z.strictObject({ code: z.literal('INVALID_INPUT'), message: z.string() }),
  errorCount: z.number().int().min(1),
  errors: z.array(OutcomeRowErrorSchema).max(MAX_REPORTED_ROW_ERRORS),
});
export type OutcomeImportRefusal = z.infer<typeof OutcomeImportRefusalSchema>;

export const OutcomeImportResultSchema = z.strictObject({
  importId: OutcomeImportIdSchema,
  /** Data rows in the file. */
  rows: z.number().int().min(0),
  /** Rows stored now. */
  imported: z.number().int().min(0),
  /** Rows already stored exactly so (a re-import). */
  unchanged: z.number().int().min(0),
});
export type OutcomeImportResult = z.infer<typeof OutcomeImportResultSchema>;

/**
 * What the console's import gives back (shared/ipc/sync.ts): the stored import, or the file's refusal with its rows.
 * A refusal is an answer to show, not an error: the administrator corrects the file and imports it again.
 */
export const OutcomeImportAnswerSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), result: OutcomeImportResultSchema }),
  z.strictObject({
    ok: z.literal(false),
    errorCount: z.number().int().min(1),
    errors: z.array(OutcomeRowErrorSchema).max(MAX_REPORTED_ROW_ERRORS),
  }),
]);
export type OutcomeImportAnswer = z.infer<typeof OutcomeImportAnswerSchema>;

export const LoanOutcomeSchema = z.strictObject({
  decisionId: DecisionIdSchema,
  status: z.enum(LOAN_OUTCOME_STATUSES),
  asOf: CalendarDateSchema,
  source: z.enum(OUTCOME_SOURCES),
  importId: OutcomeImportIdSchema,
  recordedAt: IsoTimeSchema,
});
export type LoanOutcome = z.infer<typeof LoanOutcomeSchema>;

export const OUTCOME_LIST_MAX = 500;
/** With `decisionId`: that decision's history, oldest first. Without: the current outcome per decision, paged. */
export const OutcomeQuerySchema = z.strictObject({
  decisionId: DecisionIdSchema.optional(),
  /** Decisions after this id (the next page). */
  after: DecisionIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(OUTCOME_LIST_MAX).default(100),
});
export const OutcomeListSchema = z.strictObject({ outcomes: z.array(LoanOutcomeSchema) });
