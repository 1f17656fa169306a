/**
 * The sync console's side of the core: calls the central admin API (docs/server.md) as a named central
 * administrator. The renderer never touches the network (its CSP allows only 'self'). The administrator signs in with
 * user name, password and TOTP code; the session token the server returns is held here, in memory, for that one
 * workstation session, and is forgotten (and ended at the server) on lock, sign-out or disconnect. Neither the
 * password nor the token is ever written to disk or logged.
 */
import { resolve } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import {
  ModelReleaseSummarySchema,
  type ChallengerPromotion,
  type ModelWithdrawalInput,
} from '../../../shared/sync/fleet';
import type { ModelRelease } from '../../../shared/sync/pull';
import { challengerMismatch, type ModelPackageFiles } from './releases';
import {
  ConsoleAppReleases,
  type ConsoleConnection,
  type ConsoleOverview,
  type ConsoleSignIn,
} from '../../../shared/ipc/sync';
import type { AppReleaseProposal, AppRolloutProposal } from '../../../shared/sync/app-updates';
import {
  BranchActivitySchema,
  ChainIssueSchema,
  DeviceSummarySchema,
  EnrolmentCodeCreatedSchema,
  FailureSchema,
} from '../../../shared/sync/admin';
import { AdminSignInResponseSchema, type AdminPrincipal } from '../../../shared/sync/admin-auth';
import { SyncErrorBodySchema } from '../../../shared/sync/errors';
import { MonitoringReportSchema, type MonitoringReport } from '../../../shared/sync/monitoring';
import {
  OutcomeImportRefusalSchema,
  OutcomeImportResultSchema,
  type OutcomeImportAnswer,
} from '../../../shared/sync/outcomes';
import type { ConsentPurpose } from '../../../shared/domain/consent';
import { ProposalAnswerSchema, ProposalViewSchema, type ProposalView } from '../../../shared/sync/proposals';
import type { SignedPolicyRelease } from '../../../shared/sync/signed-release';
import { verifyRelease } from '../../../models/package/release-signing';
import { ServerAuditPageSchema, type ServerAuditEntry } from '../../../shared/sync/server-audit';
import { readPackageBytes } from '../../../models/package/files';
import { verifyPackageBytes } from '../../../models/package/signing';
import type { Clock } from '../clock';
import { NexisError } from '../errors';
import { createHttpTransport, type SyncResponse, type SyncTransport } from './transport';
import { SyncError } from './types';
import type { Store } from '../store';

interface Connection {
  readonly sessionId: string;
  readonly key: string;
  readonly serverUrl: string;
  readonly token: string;
  readonly admin: AdminPrincipal;
}

interface PendingEnrolment {
  readonly key: string;
  readonly serverUrl: string;
  readonly ticket: string;
}

/** Who is asking: the session, so a token never outlives the sign-in it was given in. */
export interface ConsoleSession {
  readonly id: string;
  readonly officerId: string;
  readonly signedInAt: string;
}

const FeedItemSchema = z.object({ feedItemId: z.number().int() });
const AdminsSchema = z.object({ proposals: z.array(ProposalViewSchema) });
const TIMEOUT_MS = 15_000;

export interface CentralConsoleOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly trustedModelKey: KeyObject;
  /** The server this workstation is enrolled with, if any (the default for `connect`). */
  readonly enrolledServerUrl: () => string | undefined;
  /** Whether this sign-in is still the connection's session, and unlocked. */
  readonly sessionUsable: (session: ConsoleSession) => boolean;
  /**
   * How a central server is reached: a bank build passes the transport bound to its baked server, CA and key pins
   * (trust-config.ts `trustedTransportFor`), so an administrator's password and TOTP code never go to another
   * address or through an interception proxy. Default: plain HTTPS (or HTTP in development) to the address typed.
   */
  readonly transportFor?: (serverUrl: string) => SyncTransport;
}

export class CentralConsole {
  readonly #o: CentralConsoleOptions;
  readonly #connections = new Map<string, Connection>();
  readonly #enrolments = new Map<string, PendingEnrolment>();
  /** Bumped by every `forget`: a sign-in that was in flight when its session locked or ended keeps nothing. */
  readonly #epochs = new Map<string, number>();
  /** One transport (and its keep-alive agent) per server address. */
  readonly #transports = new Map<string, SyncTransport>();

  constructor(options: CentralConsoleOptions) {
    this.#o = options;
  }

  #transport(serverUrl: string): SyncTransport {
    let transport = this.#transports.get(serverUrl);
    if (transport === undefined) {
      try {
        transport = (this.#o.transportFor ?? ((url: string) => createHttpTransport(url, TIMEOUT_MS)))(serverUrl);
      } catch (error) {
        throw new NexisError(
          'CENTRAL_REFUSED',
          error instanceof SyncError ? error.message : 'This central server address cannot be used.',
        );
      }
      this.#transports.set(serverUrl, transport);
    }
    return transport;
  }

  connection(session: ConsoleSession): ConsoleConnection {
    const c = this.#connections.get(session.id);
    return c !== undefined && c.key === keyOf(session)
      ? { connected: true, serverUrl: c.serverUrl, admin: { username: c.admin.username, roles: c.admin.roles } }
      : { connected: false, serverUrl: this.#o.enrolledServerUrl() ?? null, admin: null };
  }

  /** Password (and TOTP code once enrolled). At first sign-in the answer carries the TOTP secret to enrol. */
  async signIn(
    session: ConsoleSession,
    input: { username: string; password: string; totp?: string | undefined; serverUrl?: string | undefined },
  ): Promise<ConsoleSignIn> {
    const url = (input.serverUrl ?? this.#o.enrolledServerUrl())?.replace(/\/+$/, '');
    if (url === undefined) {
      throw new NexisError('INVALID_INPUT', 'Give the central server address: this workstation is not enrolled.');
    }
    const epoch = this.#epochs.get(session.id) ?? 0;
    const answer = await this.#call(
      url,
      undefined,
      'POST',
      '/v1/auth/admin/sign-in',
      {
        username: input.username,
        password: input.password,
        ...(input.totp === undefined || input.totp === '' ? {} : { totp: input.totp }),
      },
      AdminSignInResponseSchema,
    );
    this.#requireSameSession(session, epoch);
    if (answer.status === 'totp-enrolment') {
      this.#enrolments.set(session.id, { key: keyOf(session), serverUrl: url, ticket: answer.ticket });
      return {
        status: 'totp-enrolment',
        secret: answer.secret,
        otpauthUri: answer.otpauthUri,
        expiresAt: answer.expiresAt,
      };
    }
    return { status: 'connected', connection: this.#keep(session, url, answer.session.token, answer.admin) };
  }

  /** First sign-in: the first code from the authenticator app and a new password replace the one-time password. */
  async enrolTotp(session: ConsoleSession, input: { totp: string; newPassword: string }): Promise<ConsoleConnection> {
    const pending = this.#enrolments.get(session.id);
    if (pending === undefined || pending.key !== keyOf(session)) {
      throw new NexisError('CONSOLE_NOT_CONNECTED', 'Sign in with the one-time password first.');
    }
    const epoch = this.#epochs.get(session.id) ?? 0;
    const answer = await this.#call(
      pending.serverUrl,
      undefined,
      'POST',
      '/v1/auth/admin/totp',
      {
        ticket: pending.ticket,
        totp: input.totp,
        newPassword: input.newPassword,
      },
      AdminSignInResponseSchema,
    );
    this.#requireSameSession(session, epoch);
    if (answer.status !== 'signed-in') {
      throw new NexisError('CENTRAL_REFUSED', 'The central server did not open a session.');
    }
    this.#enrolments.delete(session.id);
    return this.#keep(session, pending.serverUrl, answer.session.token, answer.admin);
  }

  #requireSameSession(session: ConsoleSession, epoch: number): void {
    if ((this.#epochs.get(session.id) ?? 0) !== epoch || !this.#o.sessionUsable(session)) {
      throw new NexisError('SESSION_LOCKED', 'The session was locked or ended while signing in: nothing was kept.');
    }
  }

  #keep(session: ConsoleSession, serverUrl: string, token: string, admin: AdminPrincipal): ConsoleConnection {
    this.#connections.set(session.id, { sessionId: session.id, key: keyOf(session), serverUrl, token, admin });
    this.#audit(session.officerId, 'console.connected', null, {
      server: new URL(serverUrl).origin,
      centralAdminId: admin.adminId,
    });
    return this.connection(session);
  }

  /** Forgets the session of a workstation session (disconnect, lock, sign-out, closed window), ending it centrally. */
  forget(sessionId: string): void {
    const c = this.#connections.get(sessionId);
    this.#connections.delete(sessionId);
    this.#enrolments.delete(sessionId);
    this.#epochs.set(sessionId, (this.#epochs.get(sessionId) ?? 0) + 1);
    if (c !== undefined) {
      // Best effort: the session also ends by itself after its idle limit if the server cannot be reached now.
      void this.#call(c.serverUrl, c.token, 'POST', '/v1/admin/session/sign-out', undefined, z.null()).catch(
        () => undefined,
      );
    }
  }

  async overview(session: ConsoleSession): Promise<ConsoleOverview> {
    const c = this.#require(session);
    const [devices, issues, failures, activity, proposals, models] = await Promise.all([
      this.#request(c, 'GET', '/v1/admin/devices', undefined, z.object({ devices: z.array(DeviceSummarySchema) })),
      this.#request(c, 'GET', '/v1/admin/chain-issues', undefined, z.object({ issues: z.array(ChainIssueSchema) })),
      this.#request(c, 'GET', '/v1/admin/failures', undefined, z.object({ failures: z.array(FailureSchema) })),
      this.#request(
        c,
        'GET',
        '/v1/admin/activity',
        undefined,
        z.object({ since: z.string(), branches: z.array(BranchActivitySchema) }),
      ),
      this.#request(c, 'GET', '/v1/admin/proposals?status=pending', undefined, AdminsSchema),
      this.#request(
        c,
        'GET',
        '/v1/admin/model-releases',
        undefined,
        z.object({ releases: z.array(ModelReleaseSummarySchema) }),
      ),
    ]);
    return {
      serverUrl: c.serverUrl,
      fetchedAt: this.#o.clock.now().toISOString(),
      admin: { adminId: c.admin.adminId, username: c.admin.username, roles: c.admin.roles },
      devices: devices.devices,
      issues: issues.issues,
      failures: failures.failures,
      activity: { since: activity.since, branches: activity.branches },
      proposals: proposals.proposals,
      modelReleases: models.releases,
    };
  }

  async proposals(session: ConsoleSession, status?: 'pending' | 'approved' | 'rejected'): Promise<ProposalView[]> {
    const c = this.#require(session);
    const query = status === undefined ? '' : `?status=${status}`;
    return (await this.#request(c, 'GET', `/v1/admin/proposals${query}`, undefined, AdminsSchema)).proposals;
  }

  async decide(
    session: ConsoleSession,
    proposalId: number,
    decision: 'approve' | 'reject',
    reason: string,
  ): Promise<ProposalView> {
    const c = this.#require(session);
    const answer = await this.#request(
      c,
      'POST',
      `/v1/admin/proposals/${proposalId}/${decision}`,
      { reason },
      ProposalAnswerSchema.extend({ createdAdmin: z.unknown().optional() }),
    );
    this.#audit(
      session.officerId,
      decision === 'approve' ? 'console.proposal_approved' : 'console.proposal_rejected',
      null,
      {
        proposalId: String(proposalId),
        kind: answer.proposal.kind,
      },
    );
    return answer.proposal;
  }

  async serverAudit(
    session: ConsoleSession,
    query: { before?: number | undefined; action?: string | undefined },
  ): Promise<ServerAuditEntry[]> {
    const c = this.#require(session);
    const params = new URLSearchParams({ limit: '50' });
    if (query.before !== undefined) {
      params.set('before', String(query.before));
    }
    if (query.action !== undefined && query.action !== '') {
      params.set('action', query.action);
    }
    return (await this.#request(c, 'GET', `/v1/admin/audit?${params.toString()}`, undefined, ServerAuditPageSchema))
      .entries;
  }

  async createEnrolmentCode(session: ConsoleSession, branchId: string, ttlMinutes: number) {
    const c = this.#require(session);
    const created = await this.#request(
      c,
      'POST',
      '/v1/admin/enrolment-codes',
      { branchId, ttlMinutes },
      EnrolmentCodeCreatedSchema,
    );
    // The code itself is a secret until used: the audit keeps the branch and expiry only.
    this.#audit(session.officerId, 'console.enrolment_code_created', null, {
      branchId,
      expiresAt: created.expiresAt,
    });
    return created;
  }

  /** A revocation is a proposal: a second security administrator approves it. */
  async revokeDevice(session: ConsoleSession, deviceId: string): Promise<ProposalView> {
    const c = this.#require(session);
    const answer = await this.#request(
      c,
      'POST',
      `/v1/admin/devices/${encodeURIComponent(deviceId)}/revoke`,
      undefined,
      ProposalAnswerSchema,
    );
    this.#audit(session.officerId, 'console.device_revocation_proposed', deviceId, {});
    return answer.proposal;
  }

  /** Proposes withdrawing a model release fleet-wide. The reason goes to the central API only, not to the local trail. */
  async withdrawModel(session: ConsoleSession, input: ModelWithdrawalInput): Promise<ProposalView> {
    const c = this.#require(session);
    const answer = await this.#request(c, 'POST', '/v1/admin/model-releases/withdraw', input, ProposalAnswerSchema);
    this.#audit(session.officerId, 'console.model_withdrawal_proposed', null, { version: input.version });
    return answer.proposal;
  }

  /** Refuses a release that does not verify with the bank's release key: branches would refuse it anyway. */
  async publishPolicy(session: ConsoleSession, policy: SignedPolicyRelease): Promise<ProposalView> {
    const c = this.#require(session);
    const verdict = verifyRelease(policy, this.#o.trustedModelKey);
    if (!verdict.ok) {
      throw new NexisError('INVALID_INPUT', `The policy release does not verify: ${verdict.reason}.`);
    }
    const answer = await this.#request(c, 'POST', '/v1/admin/policy-releases', policy, ProposalAnswerSchema);
    this.#audit(session.officerId, 'console.policy_proposed', null, {
      version: policy.release.version,
      serial: String(policy.serial),
    });
    return answer.proposal;
  }

  /** What each update channel offers now (the release in force and its rollout), or null. */
  async appReleases(session: ConsoleSession): Promise<ConsoleAppReleases> {
    const c = this.#require(session);
    return await this.#request(c, 'GET', '/v1/admin/app-releases', undefined, ConsoleAppReleases);
  }

  /** The model monitoring report (docs/monitoring.md), computed by the central API for this window. */
  async monitoring(session: ConsoleSession, performanceMonths: number): Promise<MonitoringReport> {
    const c = this.#require(session);
    const query = new URLSearchParams({ performanceMonths: String(performanceMonths) });
    return await this.#request(c, 'GET', `/v1/admin/monitoring?${query.toString()}`, undefined, MonitoringReportSchema);
  }

  /**
   * Refuses an app release that does not verify with the bank's release key before anything is sent: every
   * workstation would refuse it anyway, and a forged or altered release should not even reach a second reviewer.
   */
  async publishAppRelease(session: ConsoleSession, proposal: AppReleaseProposal): Promise<ProposalView> {
    const c = this.#require(session);
    const verdict = verifyRelease(proposal.signed, this.#o.trustedModelKey);
    if (!verdict.ok) {
      throw new NexisError('INVALID_INPUT', `The app release does not verify: ${verdict.reason}.`);
    }
    const answer = await this.#request(c, 'POST', '/v1/admin/app-releases', proposal, ProposalAnswerSchema);
    this.#audit(session.officerId, 'console.app_release_proposed', null, {
      channel: proposal.signed.release.channel,
      version: proposal.signed.release.version,
      serial: String(proposal.signed.serial),
      rolloutPercent: String(proposal.rolloutPercent),
    });
    return answer.proposal;
  }

  /** Proposes a new rollout percentage for the release in force on a channel. */
  async changeRollout(session: ConsoleSession, input: AppRolloutProposal): Promise<ProposalView> {
    const c = this.#require(session);
    const answer = await this.#request(c, 'POST', '/v1/admin/app-releases/rollout', input, ProposalAnswerSchema);
    this.#audit(session.officerId, 'console.app_rollout_proposed', null, {
      channel: input.channel,
      version: input.version,
      rolloutPercent: String(input.rolloutPercent),
    });
    return answer.proposal;
  }

  /** Refuses a package that does not verify with the bank's trusted key: branches would refuse it anyway. */
  async publishModel(
    session: ConsoleSession,
    version: string,
    packageDir: string,
    challengerDir?: string,
  ): Promise<{ proposal: ProposalView; modelHash: string }> {
    const c = this.#require(session);
    const champion = this.#verifiedPackage(packageDir, 'The package');
    const challenger = challengerDir === undefined ? null : this.#verifiedPackage(challengerDir, 'The challenger');
    const mismatch = challenger === null ? null : challengerMismatch(champion.bytes, challenger.bytes);
    if (mismatch !== null) {
      throw new NexisError('INVALID_INPUT', `Branches would refuse this release: ${mismatch}.`);
    }
    const answer = await this.#request(
      c,
      'POST',
      '/v1/admin/model-releases',
      {
        version,
        files: champion.files,
        ...(challenger === null ? {} : { challenger: { files: challenger.files } }),
      },
      ProposalAnswerSchema,
    );
    this.#audit(session.officerId, 'console.model_proposed', null, {
      version,
      modelHash: champion.modelHash,
      ...(challenger === null ? {} : { challengerHash: challenger.modelHash }),
    });
    return { proposal: answer.proposal, modelHash: champion.modelHash };
  }

  /** Reads and verifies a signed package folder with the trusted model key, as a release carries it. */
  #verifiedPackage(
    dir: string,
    what: string,
  ): { files: ModelRelease['files']; bytes: ModelPackageFiles; modelHash: string } {
    let bytes: ReturnType<typeof readPackageBytes>;
    try {
      bytes = readPackageBytes(resolve(dir));
    } catch (error) {
      throw new NexisError(
        'INVALID_INPUT',
        `No signed model package in that folder (${what === 'The package' ? '' : 'the challenger: '}${error instanceof Error ? error.message : 'unreadable'}).`,
      );
    }
    const verified = verifyPackageBytes(bytes, this.#o.trustedModelKey);
    if (!verified.ok) {
      throw new NexisError('INVALID_INPUT', `${what} does not verify: ${verified.error.message}.`);
    }
    const b64 = (data: Uint8Array): string => Buffer.from(data).toString('base64');
    return {
      files: {
        'manifest.json': b64(bytes.manifest),
        'model.onnx': b64(bytes.onnx),
        'signature.json': b64(bytes.signature),
      },
      bytes: { manifest: bytes.manifest, onnx: bytes.onnx, signature: bytes.signature },
      modelHash: verified.value.modelHash,
    };
  }

  /** Proposes promoting the challenger release `from` carries to champion of a new release `version`. */
  async promoteChallenger(session: ConsoleSession, input: ChallengerPromotion): Promise<ProposalView> {
    const c = this.#require(session);
    const answer = await this.#request(c, 'POST', '/v1/admin/model-releases/promote', input, ProposalAnswerSchema);
    this.#audit(session.officerId, 'console.challenger_promotion_proposed', null, {
      version: input.version,
      from: input.from,
    });
    return answer.proposal;
  }

  /** A bank-wide erasure is a proposal: a second privacy officer approves it. */
  async requestErasure(session: ConsoleSession, applicantId: string): Promise<ProposalView> {
    const c = this.#require(session);
    const answer = await this.#request(c, 'POST', '/v1/admin/erasure-requests', { applicantId }, ProposalAnswerSchema);
    this.#audit(session.officerId, 'console.erasure_proposed', applicantId, {});
    return answer.proposal;
  }

  async requestWithdrawal(
    session: ConsoleSession,
    applicantId: string,
    purpose: ConsentPurpose,
  ): Promise<{ feedItemId: number }> {
    const c = this.#require(session);
    const item = await this.#request(
      c,
      'POST',
      '/v1/admin/consent-withdrawals',
      { applicantId, purpose },
      FeedItemSchema,
    );
    this.#audit(session.officerId, 'console.withdrawal_requested', applicantId, { purpose });
    return item;
  }

  #require(session: ConsoleSession): Connection {
    const c = this.#connections.get(session.id);
    if (c === undefined || c.key !== keyOf(session) || !this.#o.sessionUsable(session)) {
      throw new NexisError('CONSOLE_NOT_CONNECTED', 'Sign in to the central server as an administrator first.');
    }
    return c;
  }

  /**
   * Imports the bank's core-banking outcome file at the central API (docs/monitoring.md, "Loan outcomes"). All rows
   * or none: a refused file comes back with its problems by line, and nothing of it is stored. The workstation's own
   * trail records the import's id and counts, never the file.
   */
  async importOutcomes(session: ConsoleSession, csv: string): Promise<OutcomeImportAnswer> {
    const c = this.#require(session);
    const answer = await this.#request(
      c,
      'POST',
      '/v1/admin/outcomes/import',
      new CsvBody(csv),
      OutcomeImportResultSchema,
      {
        status: 422,
        schema: OutcomeImportRefusalSchema,
      },
    );
    if ('errors' in answer) {
      return { ok: false, errorCount: answer.errorCount, errors: answer.errors };
    }
    this.#audit(session.officerId, 'console.outcomes_imported', null, {
      importId: answer.importId,
      rows: String(answer.rows),
      imported: String(answer.imported),
      unchanged: String(answer.unchanged),
    });
    return { ok: true, result: answer };
  }

  #audit(actor: string, action: string, subject: string | null, payload: Record<string, string>): void {
    this.#o.store.transaction(() => this.#o.store.audit.append({ actor, action, subject, payload }));
  }

  async #request<S extends z.ZodType, R extends z.ZodType = z.ZodNever>(
    c: Connection,
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    schema: S,
    refusal?: Refusal<R>,
  ): Promise<z.output<S> | z.output<R>> {
    try {
      return await this.#call(c.serverUrl, c.token, method, path, body, schema, refusal);
    } catch (error) {
      // An ended session (idle limit, sign-out elsewhere) is forgotten here too: the console asks to sign in again.
      // Only if it is still the one in use: a request of the administrator signed out a moment ago (switching to
      // another) must not forget the connection that replaced it.
      if (
        error instanceof NexisError &&
        error.code === 'CONSOLE_NOT_CONNECTED' &&
        this.#connections.get(c.sessionId) === c
      ) {
        this.#connections.delete(c.sessionId);
      }
      throw error;
    }
  }

  async #call<S extends z.ZodType, R extends z.ZodType = z.ZodNever>(
    serverUrl: string,
    token: string | undefined,
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    schema: S,
    refusal?: Refusal<R>,
  ): Promise<z.output<S> | z.output<R>> {
    let response: SyncResponse;
    try {
      response = await this.#transport(serverUrl).request(method, path, {
        ...(body instanceof CsvBody ? { csv: body.text } : body === undefined ? {} : { body }),
        ...(token === undefined ? {} : { token }),
      });
    } catch (error) {
      if (error instanceof SyncError && !error.retryable) {
        // Refused before anything was sent: another address than the bank's server, or a pinned server over http.
        throw new NexisError('CENTRAL_REFUSED', error.message);
      }
      // An untrusted certificate or an oversized answer says so; any other failure is "cannot be reached".
      const told = error instanceof SyncError && (error.code !== 'NETWORK' || /certificate/.test(error.message));
      throw new NexisError(
        'CENTRAL_UNREACHABLE',
        told ? error.message : `The central server at ${new URL(serverUrl).origin} cannot be reached.`,
      );
    }
    const json = response.body;
    const ok = response.status >= 200 && response.status < 300;
    if (refusal !== undefined && response.status === refusal.status) {
      const refused = refusal.schema.safeParse(json);
      if (refused.success) {
        return refused.data;
      }
    }
    if (!ok) {
      const refusal = SyncErrorBodySchema.safeParse(json);
      const code = refusal.success ? refusal.data.error.code : `HTTP ${response.status}`;
      const message = refusal.success ? refusal.data.error.message : 'The request was refused.';
      if (response.status >= 500 || response.status === 429) {
        throw new NexisError('CENTRAL_UNREACHABLE', `The central server failed (${code}); try again shortly.`);
      }
      if (token !== undefined && (code === 'SESSION_EXPIRED' || code === 'UNAUTHENTICATED')) {
        throw new NexisError('CONSOLE_NOT_CONNECTED', 'The central administrator session has ended: sign in again.');
      }
      throw new NexisError(response.status === 409 ? 'CONFLICT' : 'CENTRAL_REFUSED', message);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new NexisError(
        'CENTRAL_UNREACHABLE',
        'The central server sent an answer this workstation does not understand.',
      );
    }
    return parsed.data;
  }
}

/** A request body sent as the file it is (text/csv), not as JSON. */
class CsvBody {
  constructor(readonly text: string) {}
}

/** An answer with this status that parses as `schema` is the request's result (a refusal to show), not an error. */
interface Refusal<R extends z.ZodType> {
  readonly status: number;
  readonly schema: R;
}

function keyOf(session: ConsoleSession): string {
  return `${session.officerId}|${session.signedInAt}`;
}
