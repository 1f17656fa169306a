/** Typed view of the client's `sync.*` meta keys (no workstation migration: the meta table holds them). */
import type { Countersignature } from '../../../shared/sync/push';
import type { SyncStateStore } from './types';

export const SYNC_KEYS = {
  serverUrl: 'sync.server.url',
  serverPublicKey: 'sync.server.public_key',
  /** The server signing keys this device trusts, by key id (JSON): the enrolment key and its endorsed successors. */
  serverKeys: 'sync.server.keys',
  branchId: 'sync.branch_id',
  accessToken: 'sync.access_token',
  accessTokenExpiresAt: 'sync.access_token.expires_at',
  ackedSeq: 'sync.push.acked_seq',
  pushId: 'sync.push.last_id',
  countersigned: 'sync.push.countersigned',
  pullCursor: 'sync.pull.cursor',
  revoked: 'sync.revoked',
  lastError: 'sync.last_error',
  lastSuccessAt: 'sync.last_success_at',
  lastRejected: 'sync.pull.last_rejected',
} as const;

export interface LastError {
  readonly code: string;
  readonly message: string;
  readonly at: string;
}

export class SyncState {
  readonly #store: SyncStateStore;

  constructor(store: SyncStateStore) {
    this.#store = store;
  }

  get enrolled(): boolean {
    return this.#store.get(SYNC_KEYS.serverPublicKey) !== undefined;
  }

  get serverUrl(): string | undefined {
    return this.#store.get(SYNC_KEYS.serverUrl);
  }

  get serverPublicKey(): string | undefined {
    return this.#store.get(SYNC_KEYS.serverPublicKey);
  }

  get branchId(): string | undefined {
    return this.#store.get(SYNC_KEYS.branchId);
  }

  saveEnrolment(serverUrl: string, serverKeyId: string, serverPublicKey: string, branchId: string): void {
    this.#store.set(SYNC_KEYS.serverUrl, serverUrl);
    this.#store.set(SYNC_KEYS.serverKeys, JSON.stringify({ [serverKeyId]: serverPublicKey }));
    this.#store.set(SYNC_KEYS.serverPublicKey, serverPublicKey);
    this.#store.set(SYNC_KEYS.branchId, branchId);
  }

  #serverKeys(): Record<string, string> {
    const raw = this.#store.get(SYNC_KEYS.serverKeys);
    return raw === undefined ? {} : (JSON.parse(raw) as Record<string, string>);
  }

  /** A trusted server signing key by id. */
  serverKey(keyId: string): string | undefined {
    return Object.hasOwn(this.#serverKeys(), keyId) ? this.#serverKeys()[keyId] : undefined;
  }

  /** Adds a key the caller has checked is endorsed by one already trusted. */
  trustServerKey(keyId: string, publicKey: string): void {
    this.#store.set(SYNC_KEYS.serverKeys, JSON.stringify({ ...this.#serverKeys(), [keyId]: publicKey }));
    this.#store.set(SYNC_KEYS.serverPublicKey, publicKey);
  }

  token(now: Date, marginMs: number): string | undefined {
    const token = this.#store.get(SYNC_KEYS.accessToken);
    const expires = this.#store.get(SYNC_KEYS.accessTokenExpiresAt);
    if (token === undefined || token === '' || expires === undefined) {
      return undefined;
    }
    return Date.parse(expires) - marginMs > now.getTime() ? token : undefined;
  }

  saveToken(token: string, expiresAt: string): void {
    this.#store.set(SYNC_KEYS.accessToken, token);
    this.#store.set(SYNC_KEYS.accessTokenExpiresAt, expiresAt);
  }

  dropToken(): void {
    this.#store.set(SYNC_KEYS.accessToken, '');
  }

  get ackedSeq(): number {
    return Number(this.#store.get(SYNC_KEYS.ackedSeq) ?? '0');
  }

  set ackedSeq(seq: number) {
    this.#store.set(SYNC_KEYS.ackedSeq, String(seq));
  }

  /** Takes the next push id (raisePushId keeps it above the last one the server saw). */
  nextPushId(): number {
    const next = Number(this.#store.get(SYNC_KEYS.pushId) ?? '0') + 1;
    this.#store.set(SYNC_KEYS.pushId, String(next));
    return next;
  }

  raisePushId(serverLast: number): void {
    if (serverLast > Number(this.#store.get(SYNC_KEYS.pushId) ?? '0')) {
      this.#store.set(SYNC_KEYS.pushId, String(serverLast));
    }
  }

  get countersigned(): Countersignature | undefined {
    const raw = this.#store.get(SYNC_KEYS.countersigned);
    return raw === undefined ? undefined : (JSON.parse(raw) as Countersignature);
  }

  set countersigned(value: Countersignature) {
    this.#store.set(SYNC_KEYS.countersigned, JSON.stringify(value));
  }

  get pullCursor(): number {
    return Number(this.#store.get(SYNC_KEYS.pullCursor) ?? '0');
  }

  set pullCursor(cursor: number) {
    this.#store.set(SYNC_KEYS.pullCursor, String(cursor));
  }

  get revoked(): boolean {
    return this.#store.get(SYNC_KEYS.revoked) === 'true';
  }

  markRevoked(): void {
    this.#store.set(SYNC_KEYS.revoked, 'true');
  }

  /** The centre reinstated this device (a recovery re-enrolment). */
  clearRevoked(): void {
    this.#store.set(SYNC_KEYS.revoked, 'false');
  }

  get lastError(): LastError | undefined {
    const raw = this.#store.get(SYNC_KEYS.lastError);
    return raw === undefined || raw === '' ? undefined : (JSON.parse(raw) as LastError);
  }

  recordError(error: LastError | undefined): void {
    this.#store.set(SYNC_KEYS.lastError, error === undefined ? '' : JSON.stringify(error));
  }

  get lastRejected(): { itemId: number; kind: string; reason: string } | undefined {
    const raw = this.#store.get(SYNC_KEYS.lastRejected);
    return raw === undefined ? undefined : (JSON.parse(raw) as { itemId: number; kind: string; reason: string });
  }

  get lastSuccessAt(): string | undefined {
    return this.#store.get(SYNC_KEYS.lastSuccessAt);
  }

  recordSuccess(at: Date): void {
    this.#store.set(SYNC_KEYS.lastSuccessAt, at.toISOString());
  }

  recordRejected(itemId: number, kind: string, reason: string): void {
    this.#store.set(SYNC_KEYS.lastRejected, JSON.stringify({ itemId, kind, reason }));
  }
}

/** An in-memory store: tests and the simulated devices of the fault harness. */
export function memoryStateStore(): SyncStateStore & { readonly map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, get: (key) => map.get(key), set: (key, value) => void map.set(key, value) };
}
