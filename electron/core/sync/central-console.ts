/**
 * The sync console's side of the core: calls the central admin API (docs/server.md) for the signed-in admin. The
 * renderer never touches the network (its CSP allows only 'self'); the admin API token is held here, in memory, for
 * that one session, and is forgotten on lock, sign-out or disconnect. It is never written to disk or logged.
 */
import { resolve } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { ConsoleConnection, ConsoleOverview } from '../../../shared/ipc/sync';
import {
  BranchActivitySchema,
  ChainIssueSchema,
  DeviceSummarySchema,
  EnrolmentCodeCreatedSchema,
  FailureSchema,
} from '../../../shared/sync/admin';
import { SyncErrorBodySchema } from '../../../shared/sync/errors';
import type { ConsentPurpose } from '../../../shared/domain/consent';
import type { PolicyRelease } from '../../../shared/sync/pull';
import { readPackageBytes } from '../../../models/package/files';
import { verifyPackageBytes } from '../../../models/package/signing';
import type { Clock } from '../clock';
import { NexisError } from '../errors';
import type { Store } from '../store';

interface Connection {
  readonly key: string;
  readonly serverUrl: string;
  readonly token: string;
}

/** Who is asking: the session, so a token never outlives the sign-in it was given in. */
export interface ConsoleSession {
  readonly id: string;
  readonly officerId: string;
  readonly signedInAt: string;
}

const FeedItemSchema = z.object({ feedItemId: z.number().int() });
const ReleaseSchema = z.object({ feedItemId: z.number().int(), version: z.string() });
const RevokedSchema = z.object({ revokedAt: z.string() });
const TIMEOUT_MS = 15_000;

export interface CentralConsoleOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly trustedModelKey: KeyObject;
  /** The server this workstation is enrolled with, if any (the default for `connect`). */
  readonly enrolledServerUrl: () => string | undefined;
  /** Whether this sign-in is still the connection's session, and unlocked. */
  readonly sessionUsable: (session: ConsoleSession) => boolean;
}

export class CentralConsole {
  readonly #o: CentralConsoleOptions;
  readonly #connections = new Map<string, Connection>();
  /** Bumped by every `forget`: a connect that was in flight when its session locked or ended keeps nothing. */
  readonly #epochs = new Map<string, number>();

  constructor(options: CentralConsoleOptions) {
    this.#o = options;
  }

  connection(session: ConsoleSession): ConsoleConnection {
    const c = this.#connections.get(session.id);
    return c !== undefined && c.key === keyOf(session)
      ? { connected: true, serverUrl: c.serverUrl }
      : { connected: false, serverUrl: this.#o.enrolledServerUrl() ?? null };
  }

  async connect(session: ConsoleSession, token: string, serverUrl?: string): Promise<ConsoleConnection> {
    const url = serverUrl ?? this.#o.enrolledServerUrl();
    if (url === undefined) {
      throw new NexisError('INVALID_INPUT', 'Give the central server address: this workstation is not enrolled.');
    }
    const candidate: Connection = { key: keyOf(session), serverUrl: url.replace(/\/+$/, ''), token };
    const epoch = this.#epochs.get(session.id) ?? 0;
    // A wrong token is refused by the server here, before anything is kept.
    await this.#request(candidate, 'GET', '/v1/admin/devices', undefined, z.object({ devices: z.array(z.unknown()) }));
    if ((this.#epochs.get(session.id) ?? 0) !== epoch || !this.#o.sessionUsable(session)) {
      throw new NexisError('SESSION_LOCKED', 'The session was locked or ended while connecting: nothing was kept.');
    }
    this.#connections.set(session.id, candidate);
    this.#audit(session.officerId, 'console.connected', null, { server: new URL(candidate.serverUrl).origin });
    return { connected: true, serverUrl: candidate.serverUrl };
  }

  /** Forgets the token of a session (disconnect, lock, sign-out, closed window). */
  forget(sessionId: string): void {
    this.#connections.delete(sessionId);
    this.#epochs.set(sessionId, (this.#epochs.get(sessionId) ?? 0) + 1);
  }

  async overview(session: ConsoleSession): Promise<ConsoleOverview> {
    const c = this.#require(session);
    const [devices, issues, failures, activity] = await Promise.all([
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
    ]);
    return {
      serverUrl: c.serverUrl,
      fetchedAt: this.#o.clock.now().toISOString(),
      devices: devices.devices,
      issues: issues.issues,
      failures: failures.failures,
      activity: { since: activity.since, branches: activity.branches },
    };
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

  async revokeDevice(session: ConsoleSession, deviceId: string): Promise<{ deviceId: string; revokedAt: string }> {
    const c = this.#require(session);
    const revoked = await this.#request(
      c,
      'POST',
      `/v1/admin/devices/${encodeURIComponent(deviceId)}/revoke`,
      undefined,
      RevokedSchema,
    );
    this.#audit(session.officerId, 'console.device_revoked', deviceId, {});
    return { deviceId, revokedAt: revoked.revokedAt };
  }

  async publishPolicy(
    session: ConsoleSession,
    policy: PolicyRelease,
  ): Promise<{ feedItemId: number; version: string }> {
    const c = this.#require(session);
    const published = await this.#request(c, 'POST', '/v1/admin/policy-releases', policy, ReleaseSchema);
    this.#audit(session.officerId, 'console.policy_published', null, { version: policy.version });
    return published;
  }

  /** Refuses a package that does not verify with the bank's trusted key: branches would refuse it anyway. */
  async publishModel(
    session: ConsoleSession,
    version: string,
    packageDir: string,
  ): Promise<{ feedItemId: number; version: string; modelHash: string }> {
    const c = this.#require(session);
    let bytes: ReturnType<typeof readPackageBytes>;
    try {
      bytes = readPackageBytes(resolve(packageDir));
    } catch (error) {
      throw new NexisError(
        'INVALID_INPUT',
        `No signed model package in that folder (${error instanceof Error ? error.message : 'unreadable'}).`,
      );
    }
    const verified = verifyPackageBytes(bytes, this.#o.trustedModelKey);
    if (!verified.ok) {
      throw new NexisError('INVALID_INPUT', `The package does not verify: ${verified.error.message}.`);
    }
    const b64 = (data: Uint8Array): string => Buffer.from(data).toString('base64');
    const published = await this.#request(
      c,
      'POST',
      '/v1/admin/model-releases',
      {
        version,
        files: {
          'manifest.json': b64(bytes.manifest),
          'model.onnx': b64(bytes.onnx),
          'signature.json': b64(bytes.signature),
        },
      },
      ReleaseSchema,
    );
    this.#audit(session.officerId, 'console.model_published', null, {
      version,
      modelHash: verified.value.modelHash,
    });
    return { ...published, modelHash: verified.value.modelHash };
  }

  async requestErasure(session: ConsoleSession, applicantId: string): Promise<{ feedItemId: number }> {
    const c = this.#require(session);
    const item = await this.#request(c, 'POST', '/v1/admin/erasure-requests', { applicantId }, FeedItemSchema);
    this.#audit(session.officerId, 'console.erasure_requested', applicantId, {});
    return item;
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
      throw new NexisError('CONSOLE_NOT_CONNECTED', 'Connect to the central server with an admin API token first.');
    }
    return c;
  }

  #audit(actor: string, action: string, subject: string | null, payload: Record<string, string>): void {
    this.#o.store.transaction(() => this.#o.store.audit.append({ actor, action, subject, payload }));
  }

  async #request<S extends z.ZodType>(
    c: Connection,
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    schema: S,
  ): Promise<z.output<S>> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${c.serverUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${c.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      text = await response.text();
    } catch {
      throw new NexisError(
        'CENTRAL_UNREACHABLE',
        `The central server at ${new URL(c.serverUrl).origin} cannot be reached.`,
      );
    }
    let json: unknown = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      throw new NexisError('CENTRAL_UNREACHABLE', 'The central server sent an answer that is not JSON.');
    }
    if (!response.ok) {
      const refusal = SyncErrorBodySchema.safeParse(json);
      const code = refusal.success ? refusal.data.error.code : `HTTP ${response.status}`;
      if (response.status >= 500 || response.status === 429) {
        throw new NexisError('CENTRAL_UNREACHABLE', `The central server failed (${code}); try again shortly.`);
      }
      if (response.status === 401 || response.status === 403) {
        throw new NexisError('CENTRAL_REFUSED', 'The central server refused the admin API token.');
      }
      const message = refusal.success ? refusal.data.error.message : 'The request was refused.';
      throw new NexisError(response.status === 409 ? 'CONFLICT' : 'CENTRAL_REFUSED', `${code}: ${message}`);
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

function keyOf(session: ConsoleSession): string {
  return `${session.officerId}|${session.signedInAt}`;
}
