/**
 * Custody of the database key in the desktop app: 32 random bytes, wrapped by Electron safeStorage (DPAPI on
 * Windows, Keychain on macOS, libsecret/kwallet on Linux). Linux's `basic_text` backend only obfuscates, so it is
 * refused unless an administrator explicitly accepts the risk.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { dialog, safeStorage } from 'electron';
import { NexisError } from '../core/errors';
import { parseHexKey } from '../core/db/keys';
import { parseStoredDeviceKey, writeSecretFile, type DeviceKeyCustody } from '../core/crypto/device-key-custody';
import { adoptRestoredKeys } from '../core/recovery/adopt-keys';

const WRAPPED_KEY_FILE = 'db-key.safestorage';
const WRAPPED_DEVICE_KEY_FILE = 'device-signing-key.safestorage';
const POLICY_FILE = 'keystore-policy.json';

async function confirmWeakBackend(userDataDir: string): Promise<boolean> {
  const policyFile = join(userDataDir, POLICY_FILE);
  if (existsSync(policyFile)) {
    const policy = JSON.parse(readFileSync(policyFile, 'utf8')) as { acceptBasicText?: unknown };
    if (policy.acceptBasicText === true) {
      return true;
    }
  }
  const { response } = await dialog.showMessageBox({
    type: 'warning',
    title: 'No secure key store',
    message: 'This computer has no secure key store (GNOME Keyring or KWallet).',
    detail:
      'Without one, the database key is stored only obfuscated on disk. An administrator should install a key store. ' +
      'Continue only if the disk itself is encrypted and an administrator accepts this risk.',
    buttons: ['Quit', 'I am an administrator: accept the risk'],
    defaultId: 0,
    cancelId: 0,
  });
  if (response !== 1) {
    return false;
  }
  writeFileSync(policyFile, JSON.stringify({ acceptBasicText: true, acceptedAt: new Date().toISOString() }), {
    mode: 0o600,
  });
  return true;
}

export async function loadOrCreateDbKey(userDataDir: string, databaseExists: boolean): Promise<Buffer> {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new NexisError(
      'DB_KEY_INVALID',
      'The operating system key store is not available, so the database key cannot be protected.',
    );
  }
  if (process.platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if ((backend === 'basic_text' || backend === 'unknown') && !(await confirmWeakBackend(userDataDir))) {
      throw new NexisError('DB_KEY_INVALID', 'Refused to store the database key without a secure key store.');
    }
  }
  // A folder restored from a recovery bundle holds its keys as plain files: they go into the key store first.
  adoptRestoredKeys(
    userDataDir,
    { dbKey: WRAPPED_KEY_FILE, deviceKey: WRAPPED_DEVICE_KEY_FILE },
    { wrap: (plain) => safeStorage.encryptString(plain), unwrap: (wrapped) => safeStorage.decryptString(wrapped) },
  );
  const wrappedFile = join(userDataDir, WRAPPED_KEY_FILE);
  if (existsSync(wrappedFile)) {
    return parseHexKey(safeStorage.decryptString(readFileSync(wrappedFile)), 'The wrapped database key');
  }
  if (databaseExists) {
    throw new NexisError(
      'DB_KEY_INVALID',
      'The database exists but its wrapped key is missing. Restore it or the database from backup.',
    );
  }
  const key = randomBytes(32);
  // Whole and on disk before the database is created with it (crypto/device-key-custody.ts says why).
  writeSecretFile(wrappedFile, safeStorage.encryptString(key.toString('hex')));
  return key;
}

/**
 * The device's audit signing key, wrapped by the OS key store in its own file: the database key alone (or a copy
 * of the database with it) does not give the power to re-sign the audit chain. Call after `loadOrCreateDbKey`,
 * which has checked that a secure key store is available.
 */
export function safeStorageDeviceKeyCustody(userDataDir: string): DeviceKeyCustody {
  const file = join(userDataDir, WRAPPED_DEVICE_KEY_FILE);
  return {
    location: file,
    load: () =>
      existsSync(file)
        ? parseStoredDeviceKey(safeStorage.decryptString(readFileSync(file)), 'The wrapped device signing key')
        : null,
    create: (key) => writeSecretFile(file, safeStorage.encryptString(key.privateKeyPkcs8)),
  };
}
