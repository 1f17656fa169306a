/**
 * Taking a restored folder's plain key files into the desktop app's key custody. The wrapper here is AES-256-GCM
 * under a test key, standing for Electron safeStorage (which needs a desktop session).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEVICE_KEY_FILE, writeSecretFile } from '../crypto/device-key-custody';
import { generateDeviceKey } from '../crypto/device-key';
import { KEY_FILE } from '../db/keys';
import { makeTempDir } from '../testing/temp-workstation';
import { adoptRestoredKeys, type KeyWrapper } from './adopt-keys';

const osKey = randomBytes(32);
const wrapper: KeyWrapper = {
  wrap: (plain) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', osKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  },
  unwrap: (wrapped) => {
    const decipher = createDecipheriv('aes-256-gcm', osKey, wrapped.subarray(0, 12));
    decipher.setAuthTag(wrapped.subarray(12, 28));
    return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]).toString('utf8');
  },
};
const FILES = { dbKey: 'db-key.safestorage', deviceKey: 'device-signing-key.safestorage' };

const dirs: string[] = [];
afterEach(() => {
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

function restoredFolder(): { dir: string; dbKey: string; deviceKey: string } {
  const dir = makeTempDir('nexis-adopt-');
  dirs.push(dir);
  const dbKey = randomBytes(32).toString('hex');
  const deviceKey = generateDeviceKey().privateKeyPkcs8;
  writeSecretFile(join(dir, KEY_FILE), `${dbKey}\n`);
  writeSecretFile(join(dir, DEVICE_KEY_FILE), `${deviceKey}\n`);
  return { dir, dbKey, deviceKey };
}

describe('adopting restored keys into the OS key custody', () => {
  it('wraps both keys, then removes the plain files; a second start changes nothing', () => {
    const { dir, dbKey, deviceKey } = restoredFolder();
    expect(adoptRestoredKeys(dir, FILES, wrapper)).toHaveLength(2);
    expect(existsSync(join(dir, KEY_FILE))).toBe(false);
    expect(existsSync(join(dir, DEVICE_KEY_FILE))).toBe(false);
    expect(wrapper.unwrap(readFileSync(join(dir, FILES.dbKey)))).toBe(dbKey);
    expect(wrapper.unwrap(readFileSync(join(dir, FILES.deviceKey)))).toBe(deviceKey);
    // The wrapped files hold no plain key.
    expect(readFileSync(join(dir, FILES.dbKey)).includes(Buffer.from(dbKey))).toBe(false);
    expect(adoptRestoredKeys(dir, FILES, wrapper)).toEqual([]);
    expect(wrapper.unwrap(readFileSync(join(dir, FILES.dbKey)))).toBe(dbKey);
  });

  it('finishes after a crash between wrapping and removing (same key), and refuses a different plain key', () => {
    const { dir, dbKey } = restoredFolder();
    writeSecretFile(join(dir, FILES.dbKey), wrapper.wrap(dbKey));
    expect(adoptRestoredKeys(dir, FILES, wrapper)).toHaveLength(2);
    expect(existsSync(join(dir, KEY_FILE))).toBe(false);

    const other = restoredFolder();
    writeSecretFile(join(other.dir, FILES.dbKey), wrapper.wrap(randomBytes(32).toString('hex')));
    expect(() => adoptRestoredKeys(other.dir, FILES, wrapper)).toThrow(/different plain key/);
    // Nothing was removed or replaced.
    expect(readFileSync(join(other.dir, KEY_FILE), 'utf8').trim()).toBe(other.dbKey);
    expect(existsSync(join(other.dir, DEVICE_KEY_FILE))).toBe(true);
  });

  it('refuses a damaged plain key file and changes nothing', () => {
    const { dir } = restoredFolder();
    writeFileSync(join(dir, KEY_FILE), 'not a key\n');
    expect(() => adoptRestoredKeys(dir, FILES, wrapper)).toThrow(/64 hexadecimal/);
    expect(existsSync(join(dir, FILES.dbKey))).toBe(false);
    expect(existsSync(join(dir, DEVICE_KEY_FILE))).toBe(true);
  });
});
