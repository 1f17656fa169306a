/**
 * A real central API on 127.0.0.1 (random port) over a given database, with a keyring made for the run and
 * administrators holding every role: `alice` (who the `admin` helper acts as) and `bob` (who approves what alice
 * proposes in `publish`), both signed in, and `carol` for sign-ins through a workstation's console. Their accounts are
 * written directly with an enrolled TOTP secret (firstSignIn covers the real first sign-in); passwords are hashed at
 * a lower scrypt cost than production to keep suites fast.
 */
import type { FastifyInstance } from 'fastify';
import { ADMIN_ROLES, type AdminRole } from '../../shared/sync/admin-auth';
import { buildApi, type AppOptions } from '../app';
import { createAdminAccount } from '../admin/accounts';
import type { Database } from '../db/database';
import type { RegisteredRoute } from '../http/access';
import type { ApiMetrics } from '../metrics/metrics';
import { generateKeyring, type Keyring } from '../security/keyring';
import type { ScryptCost } from '../security/passwords';
import { secretsFromKeyring } from '../security/secrets';
import { newTotpSecret, TOTP_PERIOD_SECONDS, totpCode } from '../security/totp';
import { hashPassword } from '../security/passwords';
import { admins } from '../db/schema';
import { eq } from 'drizzle-orm';

export const TEST_SCRYPT: ScryptCost = { N: 2 ** 12, r: 8, p: 1 };

export interface ProvisionedAdmin {
  readonly adminId: string;
  readonly username: string;
  readonly password: string;
  /**
   * A TOTP code the server has not accepted yet for this administrator (codes are single-use): the current step's,
   * or the next step's (accepted within one step of the clock). At most two sign-ins per 30 seconds.
   */
  nextTotp(): string;
}

export interface AdminClient extends ProvisionedAdmin {
  readonly token: string;
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

export interface TestServer {
  readonly app: FastifyInstance;
  readonly routes: readonly RegisteredRoute[];
  readonly keyring: Keyring;
  /** As SIGTERM does in `serve`: readiness turns not-ready, everything else keeps serving. */
  startDraining(): void;
  /** The API's Prometheus registry (what `serve` exposes on its metrics listener). */
  readonly metrics: ApiMetrics;
  readonly url: string;
  readonly port: number;
  /** alice's session token. */
  readonly adminToken: string;
  readonly alice: AdminClient;
  readonly bob: AdminClient;
  /** Every role, not signed in: for sign-ins through the workstation's console (two per 30 seconds). */
  readonly carol: ProvisionedAdmin;
  /** As alice. */
  admin(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /**
   * As alice, and when the answer is a four-eyes proposal, approved by bob: `{status: 201, body: result}` once
   * approved (the approval's status when it is refused).
   */
  publish(method: 'POST', path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** A further administrator with the given roles, signed in. */
  addAdmin(username: string, roles: readonly AdminRole[]): Promise<AdminClient>;
  /** A further administrator with the given roles, not signed in. */
  provision(username: string, roles: readonly AdminRole[]): Promise<ProvisionedAdmin>;
  close(): Promise<void>;
}

async function call(
  url: string,
  method: 'GET' | 'POST',
  path: string,
  body: unknown,
  token: string | undefined,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

/** Signs in for the first time over HTTP: one-time password, TOTP enrolment, new password. */
export async function firstSignIn(
  url: string,
  username: string,
  oneTimePassword: string,
  now: () => Date,
  newPassword = `${username}-correct-horse-battery`,
): Promise<{ token: string; secret: string; password: string }> {
  const started = await call(url, 'POST', '/v1/auth/admin/sign-in', { username, password: oneTimePassword }, undefined);
  const ticket = started.body as { status?: string; ticket?: string; secret?: string };
  if (ticket.status !== 'totp-enrolment' || ticket.ticket === undefined || ticket.secret === undefined) {
    throw new Error(`first sign-in of ${username} did not offer TOTP enrolment (${started.status})`);
  }
  const enrolled = await call(
    url,
    'POST',
    '/v1/auth/admin/totp',
    { ticket: ticket.ticket, totp: totpCode(ticket.secret, now()), newPassword },
    undefined,
  );
  const session = enrolled.body as { session?: { token?: string } };
  if (enrolled.status !== 200 || session.session?.token === undefined) {
    throw new Error(`TOTP enrolment of ${username} failed (${enrolled.status})`);
  }
  return { token: session.session.token, secret: ticket.secret, password: newPassword };
}

export async function startTestServer(
  database: Database,
  options: Partial<Omit<AppOptions, 'database' | 'keyring'>> & { port?: number; keyring?: Keyring } = {},
): Promise<TestServer> {
  const keyring = options.keyring ?? generateKeyring();
  const now = options.now ?? (() => new Date());
  const { app, routes, startDraining, metrics } = await buildApi({
    database,
    keyring,
    rateLimitPerIpPerMinute: 1_000_000,
    rateLimitPerDevicePerMinute: 1_000_000,
    rateLimitEnrolPerIpPerMinute: 1_000_000,
    // Tests start many servers in one process: each would add its own GC and event-loop observers.
    processMetrics: false,
    ...options,
    adminPolicy: {
      scryptCost: TEST_SCRYPT,
      sessionMinutes: 10_000_000,
      idleMinutes: 10_000_000,
      ...options.adminPolicy,
    },
  });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const secrets = secretsFromKeyring(keyring);

  /** An account with a known password and an enrolled TOTP secret, written directly (no code used yet). */
  const provision = async (username: string, roles: readonly AdminRole[]): Promise<ProvisionedAdmin> => {
    const password = `${username}-correct-horse-battery`;
    const secret = newTotpSecret();
    const adminId = await database.db.transaction(async (tx) => {
      // A restarted test server over the same database takes its accounts over again.
      const [existing] = await tx.select({ adminId: admins.adminId }).from(admins).where(eq(admins.username, username));
      const created =
        existing ??
        (await createAdminAccount(
          tx,
          secrets,
          { username, roles, createdBy: 'bootstrap' },
          { scryptCost: TEST_SCRYPT },
          now(),
        ));
      await tx
        .update(admins)
        .set({
          passwordHash: await hashPassword(password, TEST_SCRYPT),
          totpSecret: secrets.seal(Buffer.from(secret, 'utf8'), `totp:${created.adminId}`),
          mustChangePassword: false,
          totpLastStep: 0,
        })
        .where(eq(admins.adminId, created.adminId));
      return created.adminId;
    });
    let lastStep = 0;
    return {
      adminId,
      username,
      password,
      nextTotp() {
        const current = Math.floor(now().getTime() / 1000 / TOTP_PERIOD_SECONDS);
        const step = Math.max(lastStep + 1, current);
        if (step > current + 1) {
          throw new Error(`no unused TOTP code for ${username} in this 30-second window`);
        }
        lastStep = step;
        return totpCode(secret, new Date(step * TOTP_PERIOD_SECONDS * 1000));
      },
    };
  };
  const addAdmin = async (username: string, roles: readonly AdminRole[]): Promise<AdminClient> => {
    const admin = await provision(username, roles);
    const signedIn = await call(
      url,
      'POST',
      '/v1/auth/admin/sign-in',
      { username, password: admin.password, totp: admin.nextTotp() },
      undefined,
    );
    const token = (signedIn.body as { session?: { token?: string } }).session?.token;
    if (signedIn.status !== 200 || token === undefined) {
      throw new Error(`sign-in of ${username} failed (${signedIn.status})`);
    }
    return { ...admin, token, request: (method, path, body) => call(url, method, path, body, token) };
  };
  const alice = await addAdmin('alice', ADMIN_ROLES);
  const bob = await addAdmin('bob', ADMIN_ROLES);
  const carol = await provision('carol', ADMIN_ROLES);

  return {
    app,
    routes,
    startDraining,
    metrics,
    keyring,
    url,
    port,
    adminToken: alice.token,
    alice,
    bob,
    carol,
    admin: alice.request,
    async publish(method, path, body) {
      const proposed = await alice.request(method, path, body);
      const proposal = (proposed.body as { proposal?: { id?: number } } | null)?.proposal;
      if (proposed.status !== 202 || proposal?.id === undefined) {
        return proposed;
      }
      const approved = await bob.request('POST', `/v1/admin/proposals/${proposal.id}/approve`, {
        reason: 'approved in test',
      });
      if (approved.status !== 200) {
        return approved;
      }
      const result = (approved.body as { proposal: { result: unknown } }).proposal.result;
      return { status: 201, body: result };
    },
    addAdmin,
    provision,
    close: () => app.close(),
  };
}

/** Creates an enrolment code through the admin API. */
export async function enrolmentCode(server: TestServer, branchId: string): Promise<string> {
  const created = await server.admin('POST', '/v1/admin/enrolment-codes', { branchId });
  const body = created.body as { code?: unknown };
  if (created.status !== 201 || typeof body.code !== 'string') {
    throw new Error(`enrolment code not created (${created.status})`);
  }
  return body.code;
}
