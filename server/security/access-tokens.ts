/**
 * Short-lived device access tokens: `nx1.<claims>.<mac>`, claims = base64url JSON {d: deviceId, e: expiry seconds},
 * mac = HMAC-SHA256 with a server key. HMAC rather than a signature because only this server ever verifies them:
 * a symmetric key is enough, cheaper per request, and the key never leaves the database. Revocation is checked
 * on every request against the devices table, so a revoked device is refused before its token expires.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DEVICE_ID } from '../../shared/sync/primitives';

const PREFIX = 'nx1';

export type TokenCheck =
  | { readonly ok: true; readonly deviceId: string }
  | { readonly ok: false; readonly code: 'UNAUTHENTICATED' | 'TOKEN_EXPIRED' };

export interface AccessTokens {
  issue(deviceId: string, now: Date): { token: string; expiresAt: string };
  check(token: string, now: Date): TokenCheck;
}

export function createAccessTokens(key: Buffer, ttlSeconds: number): AccessTokens {
  const mac = (claims: string): string => createHmac('sha256', key).update(`${PREFIX}.${claims}`).digest('base64url');
  return {
    issue(deviceId, now) {
      const expiry = Math.floor(now.getTime() / 1000) + ttlSeconds;
      const claims = Buffer.from(JSON.stringify({ d: deviceId, e: expiry })).toString('base64url');
      return { token: `${PREFIX}.${claims}.${mac(claims)}`, expiresAt: new Date(expiry * 1000).toISOString() };
    },
    check(token, now) {
      const parts = token.split('.');
      if (parts.length !== 3 || parts[0] !== PREFIX || parts[1] === undefined || parts[2] === undefined) {
        return { ok: false, code: 'UNAUTHENTICATED' };
      }
      const expected = Buffer.from(mac(parts[1]));
      const given = Buffer.from(parts[2]);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        return { ok: false, code: 'UNAUTHENTICATED' };
      }
      let claims: unknown;
      try {
        claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
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
