import { generateDeviceKey, loadDeviceKey, type DeviceKey } from '../crypto/device-key';
import type { NexisDb, SqliteConnection } from '../db/open';
import { getMeta, setMeta } from './meta-store';

const PRIVATE_KEY = 'device.ed25519.pkcs8';

/** Loads this workstation's device key, generating it on the first open of a new database. */
export function loadOrCreateDeviceKey(sqlite: SqliteConnection, db: NexisDb): DeviceKey {
  return sqlite
    .transaction(() => {
      const stored = getMeta(db, PRIVATE_KEY);
      if (stored !== undefined) {
        return loadDeviceKey({ privateKeyPkcs8: stored });
      }
      const created = generateDeviceKey();
      setMeta(db, PRIVATE_KEY, created.privateKeyPkcs8);
      return loadDeviceKey(created);
    })
    .immediate();
}
