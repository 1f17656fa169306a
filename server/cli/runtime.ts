/** What every server command needs: the keyring (from outside the database) and the database itself. */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ServerConfig } from '../config';
import { openDatabase, type Database } from '../db/database';
import { loadKeyring, type KeyringSource } from '../security/keyring';

export function keyringFor(config: ServerConfig): KeyringSource {
  return loadKeyring(process.env, {
    production: config.production,
    developmentFile: join(dirname(config.pgliteDir), 'server-keys.json'),
  });
}

/** Opens the database in the configured migration mode (NEXIS_MIGRATE), or the one given. */
export async function open(config: ServerConfig, migrations = config.migrations): Promise<Database> {
  if (config.databaseUrl === undefined) {
    mkdirSync(config.pgliteDir, { recursive: true });
  }
  return openDatabase(
    config.databaseUrl === undefined
      ? { kind: 'pglite', dataDir: config.pgliteDir }
      : { kind: 'postgres', url: config.databaseUrl, poolSize: config.poolSize },
    { migrations },
  );
}
