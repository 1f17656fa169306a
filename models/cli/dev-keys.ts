/**
 * Release keys no production build may trust, by key id (models/package/signing.ts keyIdOf). One list, read by the
 * signing CLIs (a warning) and by the bank trust file check (a refusal: electron/core/system/trust-config.ts).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { keyIdOf } from '../package/signing';

/**
 * The development key committed as resources/model/dev-keys/public.pem. Its private half was discarded after signing
 * the default package and is not in the repository; development runs trust it, packaged builds refuse it.
 */
export const DEVELOPMENT_KEY_ID = 'd051ae4fac792cd8';

/** The first development pair: its private half was committed and stays readable in git history. Never trust it. */
export const COMPROMISED_DEVELOPMENT_KEY_ID = 'dffa4fbaf26c56a6';

/** Why each refused key id is refused (said in the error, so an operator knows what to fix). */
export const REFUSED_KEY_IDS: ReadonlyMap<string, string> = new Map([
  [DEVELOPMENT_KEY_ID, 'the development key committed in resources/model/dev-keys (development builds only)'],
  [COMPROMISED_DEVELOPMENT_KEY_ID, 'the old development key, whose private half is public in the git history'],
]);

/** The reason a key must not be trusted in production, or null for any other key. */
export function refusedKeyReason(key: KeyObject): string | null {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return REFUSED_KEY_IDS.get(keyIdOf(publicKey)) ?? null;
}

/** Warns on stderr when a CLI signs with a key production builds refuse. */
export function warnIfRefusedKey(key: KeyObject): void {
  const reason = refusedKeyReason(key);
  if (reason !== null) {
    process.stderr.write(`WARNING: this key is ${reason}; packaged builds refuse what it signs.\n`);
  }
}
