/**
 * Short-lived device access tokens: `nx2.<key id>.<claims>.<mac>`, claims = base64url JSON {d: deviceId, e: expiry
 * seconds}, mac = HMAC-SHA256 under the named token key of the keyring. HMAC rather than a signature because only the
 * servers of this deployment verify them: a symmetric key is enough and cheaper per request. The key id lets a
 * rotation take effect without invalidating tokens already issued. Revocation is checked on every request against
 * the devices table, so a revoked device is refused before its token expires.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DEVICE_ID } from '../../shared/sync/primitives';

const PREFIX = 'nx2';

export type TokenCheck =
  | { readonly ok: true; readonly deviceId: string }
  | { readonly ok: false; readonly code: 'UNAUTHENTICATED' | 'TOKEN_EXPIRED' };

export interface AccessTokens {
  issue(deviceId: string, now: Date): { token: string; expiresAt: string };
  check(token: string, now: Date): TokenCheck;
}

export interface TokenKeys {
  readonly current: { readonly id: string; readonly key: Buffer };
  byId(id: string): Buffer | undefined;
}

export function createAccessTokens(keys: TokenKeys, ttlSeconds: number): AccessTokens {
  const mac = (key: Buffer, kid: string, claims: string): string =>
    createHmac('sha256', key).update(`${PREFIX}.${kid}.${claims}`).digest('base64url');
  return {
    issue(deviceId, now) {
      const expiry = Math.floor(now.getTime() / 1000) + ttlSeconds;
      const claims = Buffer.from(JSON.stringify({ d: deviceId, e: expiry })).toString('base64url');
      const { id, key } = keys.current;
      return {
        token: `${PREFIX}.${id}.${claims}.${mac(key, id, claims)}`,
        expiresAt: new Date(expiry * 1000).toISOString(),
      };
    },
    check(token, now) {
      const [prefix, kid, body, given, ...rest] = token.split('.');
      const key = kid === undefined ? undefined : keys.byId(kid);
      if (prefix !== PREFIX || kid === undefined || body === undefined || given === undefined || rest.length > 0) {
        return { ok: false, code: 'UNAUTHENTICATED' };
      }
      if (key === undefined) {
        return { ok: false, code: 'UNAUTHENTICATED' };
      }
      const expected = Buffer.from(mac(key, kid, body));
      const presented = Buffer.from(given);
      if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) {
        return { ok: false, code: 'UNAUTHENTICATED' };
      }
      let claims: unknown;
      try {
        claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        return { ok: false, code: 'UNAUTHENTICATED' };
      }
      if (
        typeof claims !== 'object' ||
        claims === null ||
        !('d' in claims) ||
        !('e' in claims) ||
        typeof claims.d !== 'string' ||
        typeof claims.e !== 'number' ||
        !DEVICE_ID.test(claims.d)
      ) {
        return { ok: false, code: 'UNAUTHENTICATED' };
      }
      if (claims.e * 1000 <= now.getTime()) {
        return { ok: false, code: 'TOKEN_EXPIRED' };
      }
      return { ok: true, deviceId: claims.d };
    },
  };
}
