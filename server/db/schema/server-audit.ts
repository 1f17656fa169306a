import { bigint, pgTable, text } from 'drizzle-orm/pg-core';

/**
 * The central API's own audit chain: every administrator action and authentication event, in the workstation's
 * format (docs/audit-format.md): canonical entries, SHA-256 chain, signed checkpoints. Append-only (triggers).
 */
export const serverAudit = pgTable('server_audit', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  ts: text('ts').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  subject: text('subject'),
  payload: text('payload').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

export const serverAuditCheckpoints = pgTable('server_audit_checkpoints', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  headHash: text('head_hash').notNull(),
  keyId: text('key_id').notNull(),
  signature: text('signature').notNull(),
  signedAt: text('signed_at').notNull(),
});

/**
 * Per-applicant data keys for central personal-data attachments, wrapped by a master key kept outside the database
 * (server/security/keyring.ts). Erasure deletes the row: the attachments can no longer be decrypted.
 */
export const applicantKeys = pgTable('applicant_keys', {
  applicantId: text('applicant_id').primaryKey(),
  masterKeyId: text('master_key_id').notNull(),
  wrappedKey: text('wrapped_key').notNull(),
});
