/** Copies of recovery bundles to a folder the administrator picked (a removable drive), on real files. */
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileDeviceKeyCustody } from '../crypto/device-key-custody';
import { createTempWorkstation, makeTempDir, type TempWorkstation } from '../testing/temp-workstation';
import { writeToFolder } from './offsite';
import { writeRecoveryBundle } from './recovery-bundle';

const cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
});

function workstation(): TempWorkstation {
  const t = createTempWorkstation();
  cleanups.push(() => t.cleanup());
  return t;
}

function drive(): string {
  const dir = makeTempDir('nexis-drive-');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function bundle(t: TempWorkstation): Promise<string> {
  t.clock.advance(60_000);
  const deviceSecret = fileDeviceKeyCustody(t.dir).load();
  if (deviceSecret === null) {
    throw new Error('no device key');
  }
  const written = await writeRecoveryBundle({
    sqlite: t.ws.store.sqlite,
    dataDir: t.dir,
    dbKey: t.key,
    deviceSecret,
    recipients: [await identityToRecipient(await generateX25519Identity())],
    outDir: join(t.dir, 'recovery'),
    now: t.clock.now(),
    deviceId: t.ws.deviceKey.deviceId,
  });
  return written.file;
}

describe('off-device folder copies', () => {
  it('copies a bundle whole, once, and keeps the newest N of this device only', async () => {
    const t = workstation();
    const folder = drive();
    const first = await bundle(t);
    const copy = writeToFolder(first, folder, { dataDir: t.dir, keepPerDevice: 2 });
    expect(copy.file).toBe(join(folder, basename(first)));
    expect(readFileSync(copy.file)).toEqual(readFileSync(first));
    expect(writeToFolder(first, folder, { dataDir: t.dir, keepPerDevice: 2 })).toEqual({ ...copy, pruned: [] });

    // Another device's bundle in the same folder is not this device's to prune.
    const otherName = basename(first).replace(t.ws.deviceKey.deviceId, 'DEV-0000000000000000');
    copyFileSync(first, join(folder, otherName));
    const later = [await bundle(t), await bundle(t), await bundle(t)];
    const results = later.map((file) => writeToFolder(file, folder, { dataDir: t.dir, keepPerDevice: 2 }));
    expect(results.flatMap((r) => r.pruned.map((p) => basename(p)))).toEqual([
      basename(first),
      basename(later[0] ?? ''),
    ]);
    expect(readdirSync(folder).sort()).toEqual([otherName, ...later.slice(1).map((f) => basename(f))].sort());
  });

  it('refuses a folder inside the data folder (also through a link), and an absent folder, creating nothing', async () => {
    const t = workstation();
    const file = await bundle(t);
    const inside = join(t.dir, 'usb');
    mkdirSync(inside);
    const link = join(drive(), 'looks-like-a-drive');
    symlinkSync(inside, link);
    for (const folder of [t.dir, inside, link]) {
      expect(() => writeToFolder(file, folder, { dataDir: t.dir })).toThrow(
        expect.objectContaining({ reason: 'FOLDER_INSIDE_DATA_DIR' }),
      );
    }
    expect(readdirSync(inside)).toEqual([]);
    const unplugged = join(drive(), 'E-drive');
    expect(() => writeToFolder(file, unplugged, { dataDir: t.dir })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    expect(existsSync(unplugged)).toBe(false);
  });

  it('refuses a damaged bundle, a file not named as one, and a different file under the same name', async () => {
    const t = workstation();
    const file = await bundle(t);
    const folder = drive();
    const damaged = join(drive(), basename(file));
    const bytes = readFileSync(file);
    // Inside the database snapshot, the bulk of the file.
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
    writeFileSync(damaged, bytes);
    expect(() => writeToFolder(damaged, folder, { dataDir: t.dir })).toThrow(
      expect.objectContaining({ reason: 'BUNDLE_CHECKSUM' }),
    );
    expect(readdirSync(folder)).toEqual([]);

    const renamed = join(drive(), 'backup.nexisbak');
    copyFileSync(file, renamed);
    expect(() => writeToFolder(renamed, folder, { dataDir: t.dir })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );

    const other = await bundle(t);
    copyFileSync(other, join(folder, basename(file)));
    expect(() => writeToFolder(file, folder, { dataDir: t.dir })).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
    expect(() => writeToFolder(file, folder, { dataDir: t.dir, keepPerDevice: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});
