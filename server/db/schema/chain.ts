import { bigint, bigserial, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Every audit entry pushed by every device, once: the primary key (device_id, seq) is the idempotency key. */
export const auditEntries = pgTable(
  'audit_entries',
  {
    deviceId: text('device_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    ts: text('ts').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subject: text('subject'),
    payload: text('payload').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    attachmentKind: text('attachment_kind'),
    attachment: jsonb('attachment'),
    /** Personal-data attachments sealed under the applicant's central data key (applicant_keys). */
    attachmentSealed: text('attachment_sealed'),
    branchId: text('branch_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.deviceId, t.seq] }),
    index('audit_entries_branch_received').on(t.branchId, t.receivedAt),
  ],
);

/** Device checkpoints the server matched against the stored chain and countersigned. */
export const countersignedCheckpoints = pgTable(
  'countersigned_checkpoints',
  {
    deviceId: text('device_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    headHash: text('head_hash').notNull(),
    deviceSignature: text('device_signature').notNull(),
    serverSignature: text('server_signature').notNull(),
    /** Countersigning key that made serverSignature (rotation keeps earlier countersignatures verifiable). */
    keyId: text('key_id').notNull().default('cs-legacy'),
    countersignedAt: timestamp('countersigned_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.seq] })],
);

/** Gap, fork, rollback, truncation or a bad signature seen in a device's chain: shown on the console. */
export const chainIssues = pgTable(
  'chain_issues',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deviceId: text('device_id').notNull(),
    kind: text('kind', { enum: ['gap', 'fork', 'rollback', 'truncation', 'bad_signature'] }).notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    detail: text('detail').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('chain_issues_device').on(t.deviceId, t.id)],
);

/** Refused sync requests (codes and pseudonymous ids only), for the console's failure list. */
export const failures = pgTable(
  'failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deviceId: text('device_id'),
    route: text('route').notNull(),
    code: text('code').notNull(),
    detail: text('detail').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('failures_device').on(t.deviceId, t.id)],
);
