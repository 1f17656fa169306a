import { readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkstation } from '../workstation';
import { createTempWorkstation, makeTempDir, ADMIN, type TempWorkstation } from '../testing/temp-workstation';
import { decryptSqlcipher4 } from '../../../scripts/sqlcipher4-decrypt';
import Database from 'better-sqlite3';

let temp: TempWorkstation | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

async function setupAdmin(t: TempWorkstation): Promise<void> {
  const result = await t.ws.dispatch('c1', 'auth:setup', ADMIN);
  expect(result.ok).toBe(true);
}

describe('encrypted database', () => {
  it('holds no plaintext of what it stores', async () => {
    temp = createTempWorkstation();
    await setupAdmin(temp);
    temp.ws.close();
    const bytes = Buffer.concat([readFileSync(join(temp.dir, 'nexis.db'))]);
    expect(bytes.includes(Buffer.from(ADMIN.displayName))).toBe(false);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect(bytes.includes(Buffer.from('officer.first_admin_created'))).toBe(false);
  });

  it('opens with an independent SQLCipher 4 implementation given the key, and with nothing without it', async () => {
    temp = createTempWorkstation();
    await setupAdmin(temp);
    temp.ws.close();
    const file = join(temp.dir, 'nexis.db');
    const plain = decryptSqlcipher4(readFileSync(file), temp.key);
    expect(plain.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    const plainFile = join(temp.dir, 'plain.db');
    writeFileSync(plainFile, plain);
    // Plain SQLite (no cipher configured) reads the decrypted pages.
    const reader = new Database(plainFile, { readonly: true });
    const row = reader.prepare('SELECT display_name FROM officers').get() as { display_name: string };
    reader.close();
    expect(row.display_name).toBe(ADMIN.displayName);
    expect(() => decryptSqlcipher4(readFileSync(file), randomBytes(32))).toThrow(/HMAC/);
    const unkeyed = new Database(file, { readonly: true });
    expect(() => unkeyed.prepare('SELECT * FROM officers').all()).toThrow();
    unkeyed.close();
  });

  it('refuses a wrong key with a typed error and leaves the file untouched', async () => {
    const t = createTempWorkstation();
    temp = t;
    await setupAdmin(t);
    t.ws.close();
    const file = join(t.dir, 'nexis.db');
    const before = readFileSync(file);
    expect(() => createWorkstation({ dataDir: t.dir, dbKey: randomBytes(32) })).toThrow(
      expect.objectContaining({ code: 'DB_KEY_INVALID' }),
    );
    expect(readFileSync(file).equals(before)).toBe(true);
    // The right key still opens the same data.
    const again = t.reopen();
    expect(again.officers.count()).toBe(1);
  });

  it('reports a flipped byte as corruption instead of reading it', async () => {
    temp = createTempWorkstation();
    await setupAdmin(temp);
    for (let i = 0; i < 50; i += 1) {
      await temp.ws.dispatch('c1', 'audit:verify', {});
    }
    temp.ws.close();
    const file = join(temp.dir, 'nexis.db');
    expect(existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0).toBe(false);
    const bytes = readFileSync(file);
    const pages = bytes.length / 4096;
    expect(pages).toBeGreaterThan(3);
    // Flip one byte inside every page in turn (skipping page 1's salt) and check each is detected.
    for (let page = 1; page < pages; page += 1) {
      const damaged = Buffer.from(bytes);
      const offset = page * 4096 + 100;
      damaged[offset] = (damaged[offset] ?? 0) ^ 0x01;
      writeFileSync(file, damaged);
      let detected = false;
      try {
        const ws = createWorkstation({ dataDir: temp.dir, dbKey: temp.key });
        try {
          const result = await ws.audit.verify('system');
          ws.officers.list();
          detected = !result.ok;
        } finally {
          ws.close();
        }
      } catch (error) {
        detected = ['DB_CORRUPT', 'DB_KEY_INVALID'].includes((error as { code?: string }).code ?? '');
      }
      expect(detected, `flipped byte in page ${page + 1} must be reported`).toBe(true);
    }
    writeFileSync(file, bytes);
  });

  it('never creates a fresh database when the directory holds one that does not open', () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, 'nexis.db'), randomBytes(8192));
    const before = readFileSync(join(dir, 'nexis.db'));
    expect(() => createWorkstation({ dataDir: dir, dbKey: randomBytes(32) })).toThrow(
      expect.objectContaining({ code: 'DB_KEY_INVALID' }),
    );
    expect(readFileSync(join(dir, 'nexis.db')).equals(before)).toBe(true);
  });
});
