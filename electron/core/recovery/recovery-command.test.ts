/** The bank IT commands, on a real workstation's bundle: extract the secrets block, restore with the Node key files. */
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileDeviceKeyCustody } from '../crypto/device-key-custody';
import { resolveNodeDbKey } from '../db/keys';
import { intakeReady } from '../testing/intake-fixtures';
import {
  createTempWorkstation,
  makeTempDir,
  TEST_SCRYPT_COST,
  type TempWorkstation,
} from '../testing/temp-workstation';
import { createWorkstation } from '../workstation';
import { extractSecretsBlock, writeRecoveryBundle } from './recovery-bundle';
import { runRecoveryCommand } from './recovery-command';

const cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
});

async function setUp(): Promise<{ t: TempWorkstation; file: string; identityFile: string; dir: string }> {
  const t = createTempWorkstation();
  cleanups.push(() => t.cleanup());
  await intakeReady(t);
  const dir = makeTempDir('nexis-bank-it-');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const identity = await generateX25519Identity();
  const identityFile = join(dir, 'bank-recovery.txt');
  writeFileSync(identityFile, `# created: for the test\n${identity}\n`, { mode: 0o600 });
  const deviceSecret = fileDeviceKeyCustody(t.dir).load();
  if (deviceSecret === null) {
    throw new Error('no device key');
  }
  const { file } = await writeRecoveryBundle({
    sqlite: t.ws.store.sqlite,
    dataDir: t.dir,
    dbKey: t.key,
    deviceSecret,
    recipients: [await identityToRecipient(identity)],
    outDir: join(t.dir, 'recovery'),
    now: t.clock.now(),
    deviceId: t.ws.deviceKey.deviceId,
  });
  return { t, file, identityFile, dir };
}

describe('recovery commands', () => {
  it('extracts the secrets block as an age file and refuses to overwrite one', async () => {
    const { file, dir } = await setUp();
    const lines: string[] = [];
    const out = join(dir, 'keys.age');
    expect(
      await runRecoveryCommand(['recovery:extract-key', file, '--out', out], { write: (l) => lines.push(l) }),
    ).toBe(0);
    expect(readFileSync(out)).toEqual(extractSecretsBlock(file));
    expect(readFileSync(out).subarray(0, 21).toString('latin1')).toBe('age-encryption.org/v1');
    expect(lines.join('\n')).toContain('age -d -i');
    await expect(
      runRecoveryCommand(['recovery:extract-key', file, '--out', out], { write: () => undefined }),
    ).rejects.toThrow();
  });

  it('restores into a new folder with the Node key files, verifies the chain, and the workstation opens', async () => {
    const { t, file, identityFile, dir } = await setUp();
    const target = join(dir, 'restored');
    const lines: string[] = [];
    const code = await runRecoveryCommand(['recovery:restore', file, '--identity', identityFile, '--data', target], {
      write: (l) => lines.push(l),
    });
    expect(code).toBe(0);
    expect(lines[0]).toContain(t.ws.deviceKey.deviceId);
    expect(lines.join('\n')).not.toContain(t.key.toString('hex'));
    // (The restore marks the database as awaiting its rejoin, in WAL mode: SQLite's -wal/-shm sit beside it.)
    expect(
      readdirSync(target)
        .filter((f) => !/-(wal|shm)$/.test(f))
        .sort(),
    ).toEqual(['db.key', 'device-signing.key', 'nexis.db']);
    const key = resolveNodeDbKey({ dataDir: target, env: {} });
    expect(key.equals(t.key)).toBe(true);
    const ws = createWorkstation({ dataDir: target, dbKey: key, scryptCost: TEST_SCRYPT_COST });
    try {
      expect(ws.deviceKey.deviceId).toBe(t.ws.deviceKey.deviceId);
      expect(ws.officers.list().map((o) => o.username)).toEqual(t.ws.officers.list().map((o) => o.username));
    } finally {
      ws.close();
    }
  });

  it('a wrong identity restores nothing; a missing argument is a usage error', async () => {
    const { file, dir } = await setUp();
    const wrong = join(dir, 'other.txt');
    writeFileSync(wrong, `${await generateX25519Identity()}\n`);
    const target = join(dir, 'restored');
    await expect(
      runRecoveryCommand(['recovery:restore', file, '--identity', wrong, '--data', target], { write: () => undefined }),
    ).rejects.toMatchObject({ reason: 'IDENTITY_MISMATCH' });
    expect(existsSync(target)).toBe(false);
    expect(await runRecoveryCommand(['recovery:restore', file, '--data', target], { write: () => undefined })).toBe(2);
    expect(await runRecoveryCommand(['recovery:extract-key', file], { write: () => undefined })).toBe(2);
  });
});
