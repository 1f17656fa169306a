/**
 * This workstation's device key: kept by a custody outside the database (see crypto/device-key-custody.ts).
 * The database records only the public half, so a database and a key that do not belong together are refused.
 */
import { generateDeviceKey, loadDeviceKey, type DeviceKey } from '../crypto/device-key';
import type { DeviceKeyCustody } from '../crypto/device-key-custody';
import type { NexisDb, SqliteConnection } from '../db/open';
import { NexisError } from '../errors';
import { deleteMeta, getMeta, setMeta } from './meta-store';

/** Where releases before key custody kept the private key (inside the database): moved out on first open. */
const LEGACY_PRIVATE_KEY = 'device.ed25519.pkcs8';
/** The public half (SPKI DER, base64): what this database's checkpoints must be signed with. */
export const DEVICE_PUBLIC_KEY = 'device.ed25519.spki';

/**
 * Loads the device key from its custody. A new database gets a new key (stored in custody before the database
 * records its public half); a database of an older release has its key moved out of the database; a database
 * whose key is missing, or that records another key, is refused rather than given a new identity.
 */
export function loadOrCreateDeviceKey(sqlite: SqliteConnection, db: NexisDb, custody: DeviceKeyCustody): DeviceKey {
  const key = sqlite
    .transaction(() => {
      const recorded = getMeta(db, DEVICE_PUBLIC_KEY);
      const legacy = getMeta(db, LEGACY_PRIVATE_KEY);
      let stored = custody.load();
      if (stored === null && legacy !== undefined) {
        custody.create({ privateKeyPkcs8: legacy });
        stored = custody.load();
      }
      if (stored === null) {
        if (recorded !== undefined || hasAuditHistory(sqlite)) {
          throw new NexisError(
            'DB_KEY_INVALID',
            `The device signing key of this database is missing (${custody.location}). Restore it from the backup of this workstation's keys; a new key would make its audit history unverifiable.`,
          );
        }
        custody.create(generateDeviceKey());
        stored = custody.load();
      }
      if (stored === null) {
        throw new NexisError('INTERNAL', `The device signing key could not be stored (${custody.location}).`);
      }
      const device = loadDeviceKey(stored);
      if (recorded !== undefined && recorded !== device.publicKey) {
        throw new NexisError(
          'DB_KEY_INVALID',
          `The device signing key at ${custody.location} does not belong to this database.`,
        );
      }
      setMeta(db, DEVICE_PUBLIC_KEY, device.publicKey);
      if (legacy !== undefined) {
        // secure_delete is on (db/open.ts): the freed page is overwritten, not just unlinked.
        deleteMeta(db, LEGACY_PRIVATE_KEY);
      }
      return { device, migrated: legacy !== undefined };
    })
    .immediate();
  if (key.migrated) {
    // Move the deleted row's page out of the write-ahead log too.
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  }
  return key.device;
}

function hasAuditHistory(sqlite: SqliteConnection): boolean {
  return sqlite.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_log').get()?.n !== 0;
}
