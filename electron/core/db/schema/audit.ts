import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/**
 * Append-only hash chain (format: docs/audit-format.md). `payload` holds the RFC 8785 canonical JSON text
 * exactly as it was hashed. Triggers in the migration refuse UPDATE and DELETE through SQL.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    seq: integer('seq').primaryKey(),
    ts: text('ts').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subject: text('subject'),
    payload: text('payload').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (table) => [
    index('audit_log_action').on(table.action),
    index('audit_log_actor').on(table.actor),
    index('audit_log_subject').on(table.subject),
  ],
);

/** Every N entries the head of the chain is signed with the device's Ed25519 key. */
export const auditCheckpoints = sqliteTable('audit_checkpoints', {
  seq: integer('seq').primaryKey(),
  headHash: text('head_hash').notNull(),
  deviceId: text('device_id').notNull(),
  publicKey: text('public_key').notNull(),
  signature: text('signature').notNull(),
  signedAt: text('signed_at').notNull(),
});
