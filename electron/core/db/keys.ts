/**
 * Where the database key comes from when the core runs under plain Node (CLI, tests, browser harness).
 * In the desktop app the key is wrapped by Electron safeStorage instead (electron/main/key-custody.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writeSecretFile } from '../crypto/device-key-custody';
import { NexisError } from '../errors';
import { KEY_BYTES } from './open';

export const DATABASE_FILE = 'nexis.db';
export const KEY_FILE = 'db.key';

export function parseHexKey(text: string, source: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new NexisError('DB_KEY_INVALID', `${source} must hold ${KEY_BYTES} bytes as 64 hexadecimal characters.`);
  }
  return Buffer.from(hex, 'hex');
}

export interface NodeKeyOptions {
  readonly dataDir: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * `NEXIS_DB_KEY` (64 hex characters) wins; otherwise the key file (`NEXIS_DB_KEY_FILE`, default
 * `<dataDir>/db.key`). A key file is generated only when neither it nor the database exists yet, so a lost key
 * is an error and never a fresh database.
 */
export function resolveNodeDbKey({ dataDir, env = process.env }: NodeKeyOptions): Buffer {
  const fromEnv = env.NEXIS_DB_KEY;
  if (fromEnv !== undefined && fromEnv !== '') {
    return parseHexKey(fromEnv, 'NEXIS_DB_KEY');
  }
  const keyFile = env.NEXIS_DB_KEY_FILE ?? join(dataDir, KEY_FILE);
  if (existsSync(keyFile)) {
    return parseHexKey(readFileSync(keyFile, 'utf8'), `The key file ${keyFile}`);
  }
  if (existsSync(join(dataDir, DATABASE_FILE))) {
    throw new NexisError(
      'DB_KEY_INVALID',
      `The database in ${dataDir} exists but its key file ${keyFile} is missing. Set NEXIS_DB_KEY or restore the key file.`,
    );
  }
  const key = randomBytes(KEY_BYTES);
  // Fails rather than overwrite if another process created it meanwhile; whole and on disk before the database is.
  writeSecretFile(keyFile, `${key.toString('hex')}\n`);
  return key;
}
