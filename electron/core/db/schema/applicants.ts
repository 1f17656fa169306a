import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core';

/** One row per applicant: pseudonymous id and state only. Personal data lives encrypted in applicant_pii. */
export const applicants = sqliteTable(
  'applicants',
  {
    id: text('id').primaryKey(),
    status: text('status', { enum: ['active', 'erased'] }).notNull(),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    erasedAt: text('erased_at'),
  },
  (table) => [index('applicants_created_at').on(table.createdAt)],
);

/**
 * Per-applicant AES-256-GCM data key, wrapped by the workstation's key-encryption key. Deleting the row
 * (secure_delete overwrites it) is the erasure: the applicant's ciphertexts can no longer be decrypted.
 */
export const applicantKeys = sqliteTable('applicant_keys', {
  applicantId: text('applicant_id')
    .primaryKey()
    .references(() => applicants.id),
  wrappedKey: text('wrapped_key').notNull(),
});

/** One encrypted personal field per row: base64(iv ‖ tag ‖ ciphertext), bound to (applicant, field) as AAD. */
export const applicantPii = sqliteTable(
  'applicant_pii',
  {
    applicantId: text('applicant_id')
      .notNull()
      .references(() => applicants.id),
    field: text('field').notNull(),
    ciphertext: text('ciphertext').notNull(),
  },
  (table) => [primaryKey({ columns: [table.applicantId, table.field] })],
);

/** Blind index: keyed HMAC tokens of normalised name words, phone suffixes and national id, for search. */
export const applicantSearch = sqliteTable(
  'applicant_search',
  {
    token: text('token').notNull(),
    applicantId: text('applicant_id')
      .notNull()
      .references(() => applicants.id),
  },
  (table) => [
    primaryKey({ columns: [table.token, table.applicantId] }),
    index('applicant_search_applicant').on(table.applicantId),
  ],
);

export const consentReceipts = sqliteTable(
  'consent_receipts',
  {
    id: text('id').primaryKey(),
    applicantId: text('applicant_id')
      .notNull()
      .references(() => applicants.id),
    createdAt: text('created_at').notNull(),
    language: text('language', { enum: ['en', 'sw'] }).notNull(),
    /** Canonical JSON of the receipt exactly as signed. */
    receipt: text('receipt').notNull(),
    signature: text('signature').notNull(),
    publicKey: text('public_key').notNull(),
    /**
     * The retention term the applicant agreed to (12, 24 or 60 months), counted from the last decision, or from
     * registration when there is none (electron/core/lifecycle/retention.ts). Null only for a receipt whose term
     * could not be recovered by migration 0004: such an applicant is never erased automatically, only reported.
     */
    retentionMonths: integer('retention_months'),
  },
  (table) => [index('consent_receipts_applicant').on(table.applicantId)],
);

export const consentEvents = sqliteTable(
  'consent_events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    receiptId: text('receipt_id')
      .notNull()
      .references(() => consentReceipts.id),
    applicantId: text('applicant_id').notNull(),
    purpose: text('purpose', { enum: ['credit-scoring', 'central-sync', 'credit-bureau-sharing'] }).notNull(),
    event: text('event', { enum: ['granted', 'declined', 'withdrawn'] }).notNull(),
    at: text('at').notNull(),
    officerId: text('officer_id').notNull(),
  },
  (table) => [index('consent_events_applicant').on(table.applicantId)],
);

/** Behavioural (alternative) data as captured: derived feature values only, never raw transactions. */
export const behaviouralRecords = sqliteTable(
  'behavioural_records',
  {
    id: text('id').primaryKey(),
    applicantId: text('applicant_id')
      .notNull()
      .references(() => applicants.id),
    capturedAt: text('captured_at').notNull(),
    officerId: text('officer_id').notNull(),
    source: text('source', { enum: ['form', 'statement-import'] }).notNull(),
    specId: text('spec_id').notNull(),
    specVersion: text('spec_version').notNull(),
    values: text('values').notNull(),
    importSummary: text('import_summary'),
  },
  (table) => [index('behavioural_records_applicant').on(table.applicantId, table.capturedAt)],
);

/**
 * Legal holds: while a hold is open (`releasedAt` null) the applicant is kept past the retention term. Set and
 * released by a supervisor with a reason code and a short note (the override-note rules: no names or numbers).
 */
export const legalHolds = sqliteTable(
  'legal_holds',
  {
    id: text('id').primaryKey(),
    applicantId: text('applicant_id')
      .notNull()
      .references(() => applicants.id),
    reason: text('reason', { enum: ['litigation', 'regulator-inquiry', 'fraud-investigation', 'complaint'] }).notNull(),
    note: text('note').notNull(),
    setAt: text('set_at').notNull(),
    setBy: text('set_by').notNull(),
    releasedAt: text('released_at'),
    releasedBy: text('released_by'),
  },
  (table) => [index('legal_holds_applicant').on(table.applicantId)],
);
