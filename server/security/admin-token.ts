/**
 * The admin API token. Configured with NEXIS_ADMIN_TOKEN; otherwise, outside production, a fresh one is generated at
 * each start, printed once by the CLI and kept only as its SHA-256. No default secret exists.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ServerDb } from '../db/database';
import { serverState } from '../db/schema';

export const ADMIN_TOKEN_STATE_KEY = 'admin.token.sha256';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface AdminGate {
  /** Constant-time check of a presented token. */
  accepts(presented: string): boolean;
}

export function adminGate(tokenHashHex: string | undefined): AdminGate {
  const expected = tokenHashHex === undefined ? undefined : Buffer.from(tokenHashHex, 'hex');
  return {
    accepts(presented) {
      if (expected === undefined) {
        return false;
      }
      return timingSafeEqual(Buffer.from(sha256Hex(presented), 'hex'), expected);
    },
  };
}

export function generateAdminToken(): string {
  return `nxa_${randomBytes(32).toString('base64url')}`;
}

/** Stores the hash of a (generated) admin token, replacing the previous one. */
export async function storeAdminTokenHash(db: ServerDb, token: string): Promise<string> {
  const hash = sha256Hex(token);
  await db
    .insert(serverState)
    .values({ key: ADMIN_TOKEN_STATE_KEY, value: hash })
    .onConflictDoUpdate({ target: serverState.key, set: { value: hash } });
  return hash;
}
