/**
 * After `recovery:restore` (and `recovery:rejoin`), the restored data folder holds the database key and the device
 * signing key as plain 0600 files (db.key, device-signing.key): the Node key custody the command line uses. The
 * desktop app keeps its keys wrapped by the operating system's key store instead (electron/main/key-custody.ts), so
 * at its first start on the new machine it takes both into that custody and then removes the plain files. Written
 * here, in the core, so that it runs under Node's tests; the app passes Electron safeStorage as the wrapper.
 *
 * Residual risk (docs/data-lifecycle.md): removing a file does not overwrite the blocks it used on an SSD, so the
 * plain keys may remain readable on the disk until reused. The restore runs on a machine IT controls, with an
 * encrypted disk, and the keys are in the bank's recovery bundle anyway.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEVICE_KEY_FILE, parseStoredDeviceKey, writeSecretFile } from '../crypto/device-key-custody';
import { KEY_FILE, parseHexKey } from '../db/keys';
import { NexisError } from '../errors';
import { syncDirectory } from './fs-durable';

export interface KeyWrapper {
  wrap(plain: string): Buffer;
  unwrap(wrapped: Buffer): string;
}

export interface WrappedKeyFiles {
  /** File names, in the data folder, of the wrapped database key and wrapped device key. */
  readonly dbKey: string;
  readonly deviceKey: string;
}

/** Which keys were taken into the wrapper's custody now (none when there were no plain files). */
export function adoptRestoredKeys(dataDir: string, files: WrappedKeyFiles, wrapper: KeyWrapper): string[] {
  const adopted: string[] = [];
  const pairs = [
    {
      plain: join(dataDir, KEY_FILE),
      wrapped: join(dataDir, files.dbKey),
      canonical: (text: string) => parseHexKey(text, 'The restored database key file').toString('hex'),
    },
    {
      plain: join(dataDir, DEVICE_KEY_FILE),
      wrapped: join(dataDir, files.deviceKey),
      canonical: (text: string) => parseStoredDeviceKey(text, 'The restored device signing key file').privateKeyPkcs8,
    },
  ];
  for (const { plain, wrapped, canonical } of pairs) {
    if (!existsSync(plain)) {
      continue;
    }
    const key = canonical(readFileSync(plain, 'utf8'));
    if (existsSync(wrapped)) {
      // A crash between wrapping and removing leaves both: the same key is finished; a different one is refused,
      // since either choice could lock the database or re-sign the chain with the wrong key.
      if (canonical(wrapper.unwrap(readFileSync(wrapped))) !== key) {
        throw new NexisError(
          'DB_KEY_INVALID',
          `The data folder holds both a wrapped key and a different plain key file (${plain}). Nothing was changed.`,
        );
      }
    } else {
      writeSecretFile(wrapped, wrapper.wrap(key));
    }
    adopted.push(plain);
  }
  // Both wrapped files are whole and on disk (writeSecretFile fsyncs) before either plain one goes.
  for (const plain of adopted) {
    rmSync(plain);
  }
  if (adopted.length > 0) {
    syncDirectory(dataDir);
  }
  return adopted;
}
