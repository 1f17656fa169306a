/**
 * `npm run server -- verify-audit`: verifies the central API's own audit chain. Exit 0 when sound, 1 when broken
 * (with the first bad sequence and why), 2 when it could not be verified at all (database unreachable or not migrated).
 */
import { verifyServerAudit, type ChainVerification } from '../audit/server-audit';
import type { Database } from '../db/database';

export const VERIFY_EXIT = { sound: 0, broken: 1, error: 2 } as const;

export async function runVerifyAudit(
  database: Database,
  publicKeyFor: (keyId: string) => string | undefined,
  out: (line: string) => void,
): Promise<number> {
  const ready = await database.ready();
  if (!ready.ok) {
    out(`verify-audit: cannot verify: ${ready.detail}`);
    return VERIFY_EXIT.error;
  }
  const started = performance.now();
  let result: ChainVerification;
  try {
    result = await verifyServerAudit(database.db, publicKeyFor);
  } catch (error) {
    out(`verify-audit: cannot verify: ${error instanceof Error ? error.message : String(error)}`);
    return VERIFY_EXIT.error;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (!result.ok) {
    out(`server audit chain BROKEN after ${result.entries} sound entries`);
    out(`first bad sequence ${result.firstBadSeq}: ${result.reason}`);
    return VERIFY_EXIT.broken;
  }
  out(
    `server audit chain sound: ${result.entries} entries, ${result.checkpoints} signed checkpoints, ` +
      `head ${result.headSeq} (${result.headHash}), verified in ${seconds} s`,
  );
  return VERIFY_EXIT.sound;
}
