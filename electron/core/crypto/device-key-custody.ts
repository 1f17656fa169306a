/**
 * Where the device's audit signing key is kept: never in the database it signs. Whoever holds the database key
 * (a copied disk image plus the key file, a process that unwrapped it) could otherwise rewrite unsynced history
 * and re-sign every checkpoint. Under Node the key is a separate 0600 file beside the database; in Electron it
 * is wrapped by the OS key store separately from the database key (electron/main/key-custody.ts).
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
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

/** Suffix of a secret file still being written (crash leftovers are removed by the next write). */
const PARTIAL = '.partial';

const PKCS8_BASE64 = /^[A-Za-z0-9+/]{40,200}={0,2}$/;

/** Parses the text of a key file (or a wrapped key once unwrapped): one base64 PKCS#8 line. */
export function parseStoredDeviceKey(text: string, source: string): StoredDeviceKey {
  const value = text.trim();
  if (!PKCS8_BASE64.test(value)) {
    throw new NexisError('DB_KEY_INVALID', `${source} does not hold a device signing key.`);
  }
  return { privateKeyPkcs8: value };
}

/**
 * Writes `content` to a new file readable by its owner only; fails rather than overwrite. The file appears whole or
 * not at all, and is on disk before this returns: written under a temporary name and fsynced, then hard-linked to its
 * name (a link refuses an existing name, as 'wx' does) and the folder fsynced. A plain open-and-write could leave an
 * empty key file after a crash, or after a power loss while the database (synced) already records the key: a
 * workstation that could never open again.
 */
export function writeSecretFile(file: string, content: string | Uint8Array): void {
  const dir = dirname(file);
  const prefix = `${basename(file)}.`;
  // What a crash during an earlier attempt left: never a key anything relies on. (Removing a concurrent writer's
  // file makes that writer fail, never link the wrong content: each writer links only its own name.)
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix) && name.endsWith(PARTIAL)) {
      rmSync(join(dir, name), { force: true });
    }
  }
  const partial = join(dir, `${prefix}${process.pid}-${randomBytes(4).toString('hex')}${PARTIAL}`);
  const fd = openSync(partial, 'wx', 0o600);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  syncDirectory(dir);
}

/** Makes a new name in `dir` durable. Windows cannot open a folder for fsync; NTFS journals its names itself. */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') {
    return;
  }
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
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
