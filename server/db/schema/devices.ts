import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Enrolled workstations: their Ed25519 key, branch, and how far the server has acknowledged their chain. */
export const devices = pgTable(
  'devices',
  {
    deviceId: text('device_id').primaryKey(),
    branchId: text('branch_id').notNull(),
    publicKey: text('public_key').notNull(),
    enrolledAt: timestamp('enrolled_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** When the device last re-enrolled with a recovery code (a restored workstation, shared/sync/recovery.ts). */
    recoveredAt: timestamp('recovered_at', { withTimezone: true }),
    lastContactAt: timestamp('last_contact_at', { withTimezone: true }),
    ackedSeq: bigint('acked_seq', { mode: 'number' }).notNull().default(0),
    ackedHash: text('acked_hash').notNull(),
    reportedHeadSeq: bigint('reported_head_seq', { mode: 'number' }).notNull().default(0),
    /** Highest push id seen: older ids are late replays (shared/sync/push.ts). */
    lastPushId: bigint('last_push_id', { mode: 'number' }).notNull().default(0),
    chainStatus: text('chain_status', { enum: ['ok', 'flagged'] })
      .notNull()
      .default('ok'),
  },
  (t) => [index('devices_branch').on(t.branchId)],
);

/** One-time enrolment codes, stored as SHA-256 only. */
export const enrolmentCodes = pgTable('enrolment_codes', {
  codeHash: text('code_hash').primaryKey(),
  branchId: text('branch_id').notNull(),
  /** Set on a recovery code: only this already enrolled device, with its own key, may use it. */
  deviceId: text('device_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  usedBy: text('used_by'),
});

/** Nonces a device signs to obtain an access token; each is usable once, briefly. */
export const authChallenges = pgTable(
  'auth_challenges',
  {
    nonce: text('nonce').primaryKey(),
    deviceId: text('device_id').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('auth_challenges_expiry').on(t.expiresAt)],
);

/**
 * Each device's latest self-report (fleet view, shared/sync/fleet.ts): versions, sizes and error counts, replaced at
 * every sync. No personal data: the body is validated against DeviceReportSchema before it is stored.
 */
export const deviceReports = pgTable('device_reports', {
  deviceId: text('device_id')
    .primaryKey()
    .references(() => devices.deviceId),
  body: jsonb('body').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
});

/**
 * Characteristic stability input (server/monitoring): each device's latest feature bin counts for a model version
 * and month, as its fleet report carried them (shared/sync/fleet.ts, FeatureBinMonthSchema; validated before they are
 * stored). Cumulative per device, so a newer report replaces the row. Anonymous counts, kept with the branch the
 * device belonged to when it reported.
 */
export const featureBinCounts = pgTable(
  'feature_bin_counts',
  {
    deviceId: text('device_id')
      .notNull()
      .references(() => devices.deviceId),
    branchId: text('branch_id').notNull(),
    modelVersion: text('model_version').notNull(),
    /** `YYYY-MM`, UTC. */
    month: text('month').notNull(),
    scores: integer('scores').notNull(),
    /** FeatureBinCounts[]: per feature, sparse [bin, count] pairs. */
    features: jsonb('features').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.deviceId, t.modelVersion, t.month] }),
    index('feature_bin_counts_version').on(t.modelVersion, t.month),
  ],
);
