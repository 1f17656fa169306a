/**
 * Named central administrators: creation (bootstrap command or an approved proposal), sign-in with password and TOTP,
 * first-sign-in enrolment of the second factor, short sessions with an idle limit, lockout, sign-out. Every
 * authentication event about an existing account is written to the server audit chain in the transaction of its
 * effect; attempts on unknown names and attempts during a lockout write nothing, so an anonymous client can cause
 * at most `maxFailures` entries per account per lockout period.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AdminPrincipal, AdminRole, AdminSignInResponse } from '../../shared/sync/admin-auth';
import { ADMIN_ROLES } from '../../shared/sync/admin-auth';
import { appendServerAudit } from '../audit/server-audit';
import type { ServerDb } from '../db/database';
import { adminSessions, admins } from '../db/schema';
import { ApiError } from '../http/errors';
import { burnPasswordCheck, hashPassword, verifyPassword, type ScryptCost } from '../security/passwords';
import type { ServerSecrets } from '../security/secrets';
import { newTotpSecret, totpStep, totpUri } from '../security/totp';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

export interface AdminAuthPolicy {
  readonly scryptCost: ScryptCost;
  /** Absolute session lifetime. */
  readonly sessionMinutes: number;
  /** A session unused this long ends. */
  readonly idleMinutes: number;
  readonly maxFailures: number;
  readonly lockMinutes: number;
  /** TOTP enrolment tickets. */
  readonly ticketMinutes: number;
}

export const DEFAULT_ADMIN_POLICY: Omit<AdminAuthPolicy, 'scryptCost'> = {
  sessionMinutes: 60,
  idleMinutes: 15,
  maxFailures: 5,
  lockMinutes: 15,
  ticketMinutes: 10,
};

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const bearerValue = (prefix: string): string => `${prefix}${randomBytes(32).toString('base64url')}`;
const minutes = (now: Date, n: number): Date => new Date(now.getTime() + n * 60_000);
const totpAad = (adminId: string): string => `totp:${adminId}`;

function newAdminId(): string {
  const bytes = randomBytes(16);
  let id = 'ADM-';
  for (const b of bytes) {
    id += CROCKFORD[b % 32];
  }
  return id;
}

/** One-time passwords for new accounts: 24 Crockford characters (120 bits), replaced at first sign-in. */
export function oneTimePassword(): string {
  const bytes = randomBytes(24);
  return [...bytes].map((b) => CROCKFORD[b % 32]).join('');
}

const wrongCredentials = (): ApiError =>
  new ApiError(401, 'UNAUTHENTICATED', 'The user name, password or code is wrong.');

export interface CreatedAdmin {
  readonly adminId: string;
  readonly username: string;
  readonly roles: readonly AdminRole[];
  readonly oneTimePassword: string;
}

/** Inside the caller's transaction: creates an account whose first sign-in enrols TOTP and replaces the password. */
export async function createAdminAccount(
  tx: Tx,
  secrets: ServerSecrets,
  input: { username: string; roles: readonly AdminRole[]; createdBy: string },
  policy: Pick<AdminAuthPolicy, 'scryptCost'>,
  now: Date,
): Promise<CreatedAdmin> {
  const roles = ADMIN_ROLES.filter((r) => input.roles.includes(r));
  const existing = await tx.select({ id: admins.adminId }).from(admins).where(eq(admins.username, input.username));
  if (existing.length > 0) {
    throw new ApiError(409, 'CONFLICT', 'An administrator with that user name exists.');
  }
  const password = oneTimePassword();
  const adminId = newAdminId();
  await tx.insert(admins).values({
    adminId,
    username: input.username,
    passwordHash: await hashPassword(password, policy.scryptCost),
    roles: [...roles],
    createdAt: now,
    createdBy: input.createdBy,
    mustChangePassword: true,
  });
  await appendServerAudit(
    tx,
    secrets.signing,
    { actor: input.createdBy, action: 'admin.created', subject: adminId, payload: { roles: [...roles] } },
    now,
  );
  return { adminId, username: input.username, roles, oneTimePassword: password };
}

type AdminRow = typeof admins.$inferSelect;

function principal(row: AdminRow): AdminPrincipal {
  return { adminId: row.adminId, username: row.username, roles: ADMIN_ROLES.filter((r) => row.roles.includes(r)) };
}

/** A fresh bearer value (session or enrolment ticket), stored as its SHA-256 with its audit entry. */
async function storeBearer(
  tx: Tx,
  secrets: ServerSecrets,
  adminId: string,
  what: { kind: 'session' | 'totp-enrolment'; expiresAt: Date; audit: string; pendingSecret?: string },
  now: Date,
): Promise<string> {
  const token = bearerValue(what.kind === 'session' ? 'nxs_' : 'nxt_');
  await tx.insert(adminSessions).values({
    tokenHash: sha256(token),
    adminId,
    kind: what.kind,
    pendingSecret: what.pendingSecret ?? null,
    createdAt: now,
    expiresAt: what.expiresAt,
    lastSeenAt: now,
  });
  await appendServerAudit(tx, secrets.signing, { actor: adminId, action: what.audit, subject: adminId }, now);
  return token;
}

async function openSession(
  tx: Tx,
  secrets: ServerSecrets,
  row: AdminRow,
  policy: AdminAuthPolicy,
  now: Date,
): Promise<AdminSignInResponse> {
  const expiresAt = minutes(now, policy.sessionMinutes);
  const token = await storeBearer(
    tx,
    secrets,
    row.adminId,
    { kind: 'session', expiresAt, audit: 'admin.signed_in' },
    now,
  );
  return {
    status: 'signed-in',
    session: { token, expiresAt: expiresAt.toISOString(), idleMinutes: policy.idleMinutes },
    admin: principal(row),
  };
}

/** Counts a failed factor; the failure that reaches the limit locks the account. Returns the error to answer. */
async function recordFailure(
  db: ServerDb,
  secrets: ServerSecrets,
  row: AdminRow,
  factor: 'password' | 'totp' | 'totp_replay',
  policy: AdminAuthPolicy,
  now: Date,
): Promise<ApiError> {
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(admins)
      .set({ failedAttempts: sql`${admins.failedAttempts} + 1` })
      .where(eq(admins.adminId, row.adminId))
      .returning({ failedAttempts: admins.failedAttempts });
    const failures = updated?.failedAttempts ?? policy.maxFailures;
    await appendServerAudit(
      tx,
      secrets.signing,
      { actor: 'anonymous', action: 'admin.sign_in_failed', subject: row.adminId, payload: { factor, failures } },
      now,
    );
    if (failures < policy.maxFailures) {
      return wrongCredentials();
    }
    const until = minutes(now, policy.lockMinutes);
    await tx.update(admins).set({ failedAttempts: 0, lockedUntil: until }).where(eq(admins.adminId, row.adminId));
    await appendServerAudit(
      tx,
      secrets.signing,
      { actor: 'system', action: 'admin.locked_out', subject: row.adminId, payload: { until: until.toISOString() } },
      now,
    );
    return locked(until);
  });
}

const locked = (until: Date): ApiError =>
  new ApiError(
    401,
    'ACCOUNT_LOCKED',
    `Too many failed sign-ins: the account is locked until ${until.toISOString()}. Ask another security administrator if this was not you.`,
  );

export async function signIn(
  db: ServerDb,
  secrets: ServerSecrets,
  input: { username: string; password: string; totp?: string | undefined },
  policy: AdminAuthPolicy,
  now: Date,
): Promise<AdminSignInResponse> {
  const [row] = await db.select().from(admins).where(eq(admins.username, input.username));
  if (row === undefined || row.status !== 'active') {
    await burnPasswordCheck(input.password, policy.scryptCost);
    throw wrongCredentials();
  }
  if (row.lockedUntil !== null && row.lockedUntil.getTime() > now.getTime()) {
    throw locked(row.lockedUntil);
  }
  if (!(await verifyPassword(input.password, row.passwordHash))) {
    throw await recordFailure(db, secrets, row, 'password', policy, now);
  }
  if (row.totpSecret === null) {
    return startTotpEnrolment(db, secrets, row, policy, now);
  }
  if (input.totp === undefined) {
    throw new ApiError(401, 'SECOND_FACTOR_REQUIRED', 'Enter the 6-digit code from your authenticator app.');
  }
  const secret = secrets.open(row.totpSecret, totpAad(row.adminId));
  if (secret === undefined) {
    throw new ApiError(500, 'INTERNAL', 'The second factor cannot be read with the keys this server holds.');
  }
  const step = totpStep(secret.toString('utf8'), input.totp, now);
  if (step === undefined || step <= row.totpLastStep) {
    throw await recordFailure(db, secrets, row, step === undefined ? 'totp' : 'totp_replay', policy, now);
  }
  return db.transaction(async (tx) => {
    // The step is claimed atomically: two sign-ins racing with one code cannot both pass.
    const claimed = await tx
      .update(admins)
      .set({ totpLastStep: step, failedAttempts: 0, lockedUntil: null, lastSignInAt: now })
      .where(and(eq(admins.adminId, row.adminId), eq(admins.totpLastStep, row.totpLastStep)))
      .returning({ id: admins.adminId });
    if (claimed.length === 0) {
      throw wrongCredentials();
    }
    return openSession(tx, secrets, row, policy, now);
  });
}

async function startTotpEnrolment(
  db: ServerDb,
  secrets: ServerSecrets,
  row: AdminRow,
  policy: AdminAuthPolicy,
  now: Date,
): Promise<AdminSignInResponse> {
  const secret = newTotpSecret();
  const expiresAt = minutes(now, policy.ticketMinutes);
  const ticket = await db.transaction((tx) =>
    storeBearer(
      tx,
      secrets,
      row.adminId,
      {
        kind: 'totp-enrolment',
        expiresAt,
        audit: 'admin.totp_enrolment_started',
        pendingSecret: secrets.seal(Buffer.from(secret, 'utf8'), totpAad(row.adminId)),
      },
      now,
    ),
  );
  return {
    status: 'totp-enrolment',
    ticket,
    expiresAt: expiresAt.toISOString(),
    secret,
    otpauthUri: totpUri(secret, row.username),
  };
}

export async function completeTotpEnrolment(
  db: ServerDb,
  secrets: ServerSecrets,
  input: { ticket: string; totp: string; newPassword: string },
  policy: AdminAuthPolicy,
  now: Date,
): Promise<AdminSignInResponse> {
  const [ticket] = await db
    .select()
    .from(adminSessions)
    .where(and(eq(adminSessions.tokenHash, sha256(input.ticket)), eq(adminSessions.kind, 'totp-enrolment')));
  const [row] = ticket === undefined ? [] : await db.select().from(admins).where(eq(admins.adminId, ticket.adminId));
  if (
    ticket === undefined ||
    row === undefined ||
    ticket.endedAt !== null ||
    ticket.expiresAt.getTime() <= now.getTime() ||
    ticket.pendingSecret === null ||
    row.status !== 'active' ||
    row.totpSecret !== null
  ) {
    throw new ApiError(401, 'SESSION_EXPIRED', 'The enrolment has expired: sign in again with your password.');
  }
  if (row.lockedUntil !== null && row.lockedUntil.getTime() > now.getTime()) {
    throw locked(row.lockedUntil);
  }
  const secret = secrets.open(ticket.pendingSecret, totpAad(row.adminId));
  const step = secret === undefined ? undefined : totpStep(secret.toString('utf8'), input.totp, now);
  if (secret === undefined || step === undefined) {
    throw await recordFailure(db, secrets, row, 'totp', policy, now);
  }
  if (await verifyPassword(input.newPassword, row.passwordHash)) {
    throw new ApiError(400, 'INVALID_INPUT', 'Choose a new password: the one-time password cannot be kept.');
  }
  const passwordHash = await hashPassword(input.newPassword, policy.scryptCost);
  return db.transaction(async (tx) => {
    const ended = await tx
      .update(adminSessions)
      .set({ endedAt: now })
      .where(and(eq(adminSessions.tokenHash, ticket.tokenHash), isNull(adminSessions.endedAt)))
      .returning({ id: adminSessions.tokenHash });
    if (ended.length === 0) {
      throw new ApiError(401, 'SESSION_EXPIRED', 'The enrolment has expired: sign in again with your password.');
    }
    await tx
      .update(admins)
      .set({
        totpSecret: ticket.pendingSecret,
        totpLastStep: step,
        passwordHash,
        mustChangePassword: false,
        failedAttempts: 0,
        lastSignInAt: now,
      })
      .where(eq(admins.adminId, row.adminId));
    await appendServerAudit(
      tx,
      secrets.signing,
      { actor: row.adminId, action: 'admin.totp_enrolled', subject: row.adminId },
      now,
    );
    return openSession(tx, secrets, { ...row, totpSecret: ticket.pendingSecret }, policy, now);
  });
}

/** The administrator behind a session token, or a typed refusal. Touches the session (idle limit). */
export async function authenticateAdmin(
  db: ServerDb,
  token: string | undefined,
  policy: AdminAuthPolicy,
  now: Date,
): Promise<AdminPrincipal & { readonly sessionHash: string }> {
  if (token === undefined || !/^nxs_[A-Za-z0-9_-]{43}$/.test(token)) {
    throw new ApiError(401, 'UNAUTHENTICATED', 'Sign in as an administrator first.');
  }
  const hash = sha256(token);
  const [session] = await db
    .select()
    .from(adminSessions)
    .where(and(eq(adminSessions.tokenHash, hash), eq(adminSessions.kind, 'session')));
  if (session === undefined) {
    throw new ApiError(401, 'UNAUTHENTICATED', 'Sign in as an administrator first.');
  }
  const idleEnd = session.lastSeenAt.getTime() + policy.idleMinutes * 60_000;
  if (session.endedAt !== null || session.expiresAt.getTime() <= now.getTime() || idleEnd <= now.getTime()) {
    throw new ApiError(401, 'SESSION_EXPIRED', 'The administrator session has ended: sign in again.');
  }
  const [row] = await db.select().from(admins).where(eq(admins.adminId, session.adminId));
  if (row === undefined || row.status !== 'active') {
    throw new ApiError(401, 'SESSION_EXPIRED', 'The administrator session has ended: sign in again.');
  }
  await db.update(adminSessions).set({ lastSeenAt: now }).where(eq(adminSessions.tokenHash, hash));
  return { ...principal(row), sessionHash: hash };
}

export async function signOut(
  db: ServerDb,
  secrets: ServerSecrets,
  admin: { adminId: string; sessionHash: string },
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(adminSessions).set({ endedAt: now }).where(eq(adminSessions.tokenHash, admin.sessionHash));
    await appendServerAudit(
      tx,
      secrets.signing,
      { actor: admin.adminId, action: 'admin.signed_out', subject: admin.adminId },
      now,
    );
  });
}

export async function listAdmins(db: ServerDb) {
  const rows = await db.select().from(admins).orderBy(admins.username);
  return rows.map((r) => ({
    adminId: r.adminId,
    username: r.username,
    roles: ADMIN_ROLES.filter((role) => r.roles.includes(role)),
    status: r.status,
    totpEnrolled: r.totpSecret !== null,
    lockedUntil: r.lockedUntil?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    lastSignInAt: r.lastSignInAt?.toISOString() ?? null,
  }));
}
