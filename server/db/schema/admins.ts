import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Named central administrators (docs/server.md, "Security model"). Passwords as scrypt hashes; TOTP secrets sealed. */
export const admins = pgTable('admins', {
  adminId: text('admin_id').primaryKey(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  roles: jsonb('roles').$type<string[]>().notNull(),
  status: text('status', { enum: ['active', 'disabled'] })
    .notNull()
    .default('active'),
  /** Sealed base32 TOTP secret (server/security/sealing.ts); null until enrolled at first sign-in. */
  totpSecret: text('totp_secret'),
  /** Highest TOTP time step accepted: a code is never accepted twice (RFC 6238 §5.2). */
  totpLastStep: bigint('totp_last_step', { mode: 'number' }).notNull().default(0),
  mustChangePassword: boolean('must_change_password').notNull().default(true),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  /** Administrator id, or `bootstrap` for the command line. */
  createdBy: text('created_by').notNull(),
  lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
});

/** Administrator sessions and TOTP enrolment tickets, stored as SHA-256 of the bearer value only. */
export const adminSessions = pgTable(
  'admin_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    adminId: text('admin_id').notNull(),
    kind: text('kind', { enum: ['session', 'totp-enrolment'] }).notNull(),
    /** Enrolment tickets: the sealed secret being enrolled. */
    pendingSecret: text('pending_secret'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('admin_sessions_admin').on(t.adminId)],
);

/**
 * Four-eyes: a change that reaches every branch is a proposal until a second administrator with the right role
 * approves it; only then does it enter the feed.
 */
export const proposals = pgTable(
  'proposals',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    /** What will be published (or done) on approval. */
    body: jsonb('body').notNull(),
    /** What the reviewer sees: the diff against what is in force, with no personal data. */
    summary: jsonb('summary').notNull(),
    /** Administrator id, or a device id for requests raised by a branch. */
    proposedBy: text('proposed_by').notNull(),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: ['pending', 'approved', 'rejected'] })
      .notNull()
      .default('pending'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionReason: text('decision_reason'),
    /** Feed item or effect of an approved proposal. */
    result: jsonb('result'),
    /** At most one pending proposal per key (e.g. one per release version). */
    dedupeKey: text('dedupe_key'),
  },
  (t) => [index('proposals_status').on(t.status, t.id)],
);
