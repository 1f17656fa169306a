import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEVICE_KEY_FILE, writeSecretFile } from '../crypto/device-key-custody';
import { makeTempDir, TEST_SCRYPT_COST } from '../testing/temp-workstation';
import { createWorkstation } from '../workstation';

// Key files are written so that a crash or power loss never leaves an empty or half-written one under the real
// name: the workstation refuses such a file (it cannot tell it from a damaged key) and would never start again.
let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) {
    rmSync(dir, { recursive: true, force: true });
  }
  dir = undefined;
});

describe('writeSecretFile', () => {
  it('writes the whole content, readable by its owner only, and leaves nothing else behind', () => {
    dir = makeTempDir('nexis-secret-');
    const file = join(dir, 'secret.key');
    writeSecretFile(file, 'first line\n');
    expect(readFileSync(file, 'utf8')).toBe('first line\n');
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    expect(readdirSync(dir)).toEqual(['secret.key']);
  });

  it('refuses to replace an existing file and leaves it as it was', () => {
    dir = makeTempDir('nexis-secret-');
    const file = join(dir, 'secret.key');
    writeSecretFile(file, 'kept');
    expect(() => writeSecretFile(file, 'replacement')).toThrow(/EEXIST/);
    expect(readFileSync(file, 'utf8')).toBe('kept');
    expect(readdirSync(dir)).toEqual(['secret.key']);
  });

  it('a partial file left by a write killed half-way neither blocks the next write nor becomes the key', () => {
    dir = makeTempDir('nexis-secret-');
    // What a kill between creating and filling the temporary file leaves.
    writeFileSync(join(dir, `${DEVICE_KEY_FILE}.4242-0badf00d.partial`), '');
    const key = randomBytes(32);
    const ws = createWorkstation({ dataDir: dir, dbKey: key, scryptCost: TEST_SCRYPT_COST, modelDir: null });
    const publicKey = ws.deviceKey.publicKey;
    ws.close();
    expect(existsSync(join(dir, `${DEVICE_KEY_FILE}.4242-0badf00d.partial`))).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith('.partial'))).toEqual([]);
    const again = createWorkstation({ dataDir: dir, dbKey: key, scryptCost: TEST_SCRYPT_COST, modelDir: null });
    expect(again.deviceKey.publicKey).toBe(publicKey);
    again.close();
  });
});
