/**
 * Where the device's audit signing key is kept: never in the database it signs. Whoever holds the database key
 * (a copied disk image plus the key file, a process that unwrapped it) could otherwise rewrite unsynced history
 * and re-sign every checkpoint. Under Node the key is a separate 0600 file beside the database; in Electron it
 * is wrapped by the OS key store separately from the database key (electron/main/key-custody.ts).
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { NexisError } from '../errors';
import type { StoredDeviceKey } from './device-key';

export interface DeviceKeyCustody {
  /** Where the key is kept, for messages (a path; never the key). */
  readonly location: string;
  /** The stored key, or null when none has been stored yet. */
  load(): StoredDeviceKey | null;
  /** Stores a new key; refuses to replace one that exists. */
  create(key: StoredDeviceKey): void;
}

export const DEVICE_KEY_FILE = 'device-signing.key';

const PKCS8_BASE64 = /^[A-Za-z0-9+/]{40,200}={0,2}$/;

/** Parses the text of a key file (or a wrapped key once unwrapped): one base64 PKCS#8 line. */
export function parseStoredDeviceKey(text: string, source: string): StoredDeviceKey {
  const value = text.trim();
  if (!PKCS8_BASE64.test(value)) {
    throw new NexisError('DB_KEY_INVALID', `${source} does not hold a device signing key.`);
  }
  return { privateKeyPkcs8: value };
}

/** Writes `content` to a new file readable by its owner only; fails rather than overwrite. */
export function writeSecretFile(file: string, content: string | Uint8Array): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  } finally {
    closeSync(fd);
  }
}

/** The device key as a 0600 file in the data folder (plain Node: CLI, tests, browser harness). */
export function fileDeviceKeyCustody(dataDir: string): DeviceKeyCustody {
  const file = join(dataDir, DEVICE_KEY_FILE);
  return {
    location: file,
    load: () => (existsSync(file) ? parseStoredDeviceKey(readFileSync(file, 'utf8'), `The key file ${file}`) : null),
    create: (key) => writeSecretFile(file, `${key.privateKeyPkcs8}\n`),
  };
}
