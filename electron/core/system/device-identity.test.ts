import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEVICE_KEY_FILE } from '../crypto/device-key-custody';
import { createTempWorkstation, type TempWorkstation } from '../testing/temp-workstation';
import { deleteMeta, getMeta, setMeta } from './meta-store';
import { DEVICE_PUBLIC_KEY } from './device-identity';

let temp: TempWorkstation | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

const LEGACY = 'device.ed25519.pkcs8';

describe('device key custody', () => {
  it('moves the key of an older release out of the database, keeping the device identity', () => {
    const t = createTempWorkstation();
    temp = t;
    const { deviceId } = t.ws.deviceKey;
    const keyFile = join(t.dir, DEVICE_KEY_FILE);
    const privateKey = readFileSync(keyFile, 'utf8').trim();
    // What an older release left behind: the private key in meta, no key file, no recorded public key.
    t.ws.store.transaction(() => {
      setMeta(t.ws.store.db, LEGACY, privateKey);
      deleteMeta(t.ws.store.db, DEVICE_PUBLIC_KEY);
    });
    t.ws.close();
    rmSync(keyFile);

    const reopened = t.reopen();
    expect(reopened.deviceKey.deviceId).toBe(deviceId);
    expect(getMeta(reopened.store.db, LEGACY)).toBeUndefined();
    expect(getMeta(reopened.store.db, DEVICE_PUBLIC_KEY)).toBe(reopened.deviceKey.publicKey);
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(privateKey);
  });

  it('refuses a database whose key file is missing instead of giving it a new identity', () => {
    temp = createTempWorkstation();
    temp.ws.close();
    rmSync(join(temp.dir, DEVICE_KEY_FILE));
    expect(() => temp?.reopen()).toThrow(/device signing key of this database is missing/);
  });

  it('refuses a key file that belongs to another workstation', () => {
    temp = createTempWorkstation();
    const other = createTempWorkstation();
    try {
      const foreign = readFileSync(join(other.dir, DEVICE_KEY_FILE), 'utf8');
      temp.ws.close();
      writeFileSync(join(temp.dir, DEVICE_KEY_FILE), foreign);
      expect(() => temp?.reopen()).toThrow(/does not belong to this database/);
    } finally {
      other.cleanup();
    }
  });

  it('refuses a key file that holds no key', () => {
    temp = createTempWorkstation();
    temp.ws.close();
    writeFileSync(join(temp.dir, DEVICE_KEY_FILE), 'not a key\n');
    expect(() => temp?.reopen()).toThrow(/does not hold a device signing key/);
  });
});
