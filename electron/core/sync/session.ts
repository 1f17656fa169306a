/**
 * Authenticated calls to the central API: keeps a short-lived access token, refreshes it by signing a server nonce
 * with the device key, and turns every refusal into a SyncError with a code and whether retrying can help.
 */
import type { z } from 'zod';
import { AccessTokenSchema, ChallengeResponseSchema } from '../../../shared/sync/auth';
import { SyncErrorBodySchema } from '../../../shared/sync/errors';
import { tokenRequestMessage } from '../../../shared/sync/messages';
import type { SyncState } from './state';
import type { SyncResponse, SyncTransport } from './transport';
import { SyncError, type DeviceSigner } from './types';

/** Refresh a little before expiry so a token never dies in flight. */
const TOKEN_MARGIN_MS = 30_000;

export class SyncSession {
  readonly #transport: SyncTransport;
  readonly #state: SyncState;
  readonly #device: DeviceSigner;
  readonly #clock: () => Date;

  constructor(transport: SyncTransport, state: SyncState, device: DeviceSigner, clock: () => Date) {
    this.#transport = transport;
    this.#state = state;
    this.#device = device;
    this.#clock = clock;
  }

  /** An authenticated call; one token refresh on 401. Returns 2xx and 409 answers; throws SyncError otherwise. */
  async call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    options: { maxBytes?: number; alsoAccept?: readonly number[] } = {},
  ): Promise<SyncResponse> {
    for (let attempt = 0; ; attempt += 1) {
      const token = await this.#token();
      const response = await this.#transport.request(method, path, {
        token,
        ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
        ...(body === undefined ? {} : { body }),
      });
      if (options.alsoAccept?.includes(response.status) === true) {
        return response;
      }
      if (response.status === 401 && attempt === 0) {
        this.#state.dropToken();
        continue;
      }
      if ((response.status >= 200 && response.status < 300) || response.status === 409) {
        return response;
      }
      throw this.refusal(response);
    }
  }

  /** A valid access token (refreshed when near expiry): for downloads that go around this session (app updates). */
  accessToken(): Promise<string> {
    return this.#token();
  }

  /** Unauthenticated call (enrolment, challenge). */
  async open(method: 'GET' | 'POST', path: string, body?: unknown): Promise<SyncResponse> {
    const response = await this.#transport.request(method, path, body === undefined ? {} : { body });
    if (response.status >= 200 && response.status < 300) {
      return response;
    }
    throw this.refusal(response);
  }

  refusal(response: SyncResponse): SyncError {
    const parsed = SyncErrorBodySchema.safeParse(response.body);
    const code = parsed.success ? parsed.data.error.code : 'UNKNOWN';
    const message = parsed.success ? parsed.data.error.message : `HTTP ${response.status}`;
    if (code === 'DEVICE_REVOKED') {
      this.#state.markRevoked();
      return new SyncError('DEVICE_REVOKED', 'This workstation was revoked by the bank; sync is off.', false);
    }
    if (response.status === 429) {
      return new SyncError('RATE_LIMITED', message, true);
    }
    if (response.status >= 500 || !parsed.success) {
      return new SyncError('SERVER', `The central server failed (${code}).`, true);
    }
    if (response.status === 401) {
      return new SyncError('UNAUTHENTICATED', message, true);
    }
    if (code === 'CHAIN_CONFLICT') {
      return new SyncError('CHAIN_CONFLICT', message, false);
    }
    return new SyncError('REFUSED', `${code}: ${message}`, false);
  }

  async #token(): Promise<string> {
    const now = this.#clock();
    const current = this.#state.token(now, TOKEN_MARGIN_MS);
    if (current !== undefined) {
      return current;
    }
    const deviceId = this.#device.deviceId;
    const challenge = parse(
      ChallengeResponseSchema,
      (await this.open('POST', '/v1/auth/challenge', { deviceId })).body,
    );
    const signature = this.#device.sign(tokenRequestMessage(deviceId, challenge.nonce));
    const issued = parse(
      AccessTokenSchema,
      (await this.open('POST', '/v1/auth/token', { deviceId, nonce: challenge.nonce, signature })).body,
    );
    this.#state.saveToken(issued.token, issued.expiresAt);
    return issued.token;
  }
}

/** Validates a server answer; a malformed one (a cut or altered response) is retryable. */
export function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new SyncError('PROTOCOL', 'The central server sent an answer this workstation does not understand.', true);
  }
  return result.data;
}
