/**
 * `npm run server [-- <command>]`, the central API's one entry point:
 *   (none) | serve   run the API (embedded PGlite in NEXIS_SERVER_DATA unless DATABASE_URL names a PostgreSQL);
 *                    migrations are applied before listening; SIGINT/SIGTERM drain and close
 *   create-admin --username <name> --roles <role,…>   create an administrator; prints a one-time password
 *   verify-audit     verify the server's own audit chain; exit 0 sound, 1 broken (first bad sequence), 2 error
 *   keys:init --out <file>   write a new keyring (for NEXIS_SERVER_KEYS_FILE)
 *   rotate-keys      add a fresh key of each kind to the keyring file (earlier keys stay for verification)
 *   migrate [--backup-dir <dir> | --no-backup]   back up (PostgreSQL), then apply pending migrations
 *   backup --out <file>          verified pg_dump (custom format) with <file>.sha256 and the keyring's <file>.sig
 *   restore --from <file> [--clean]   signed and verified restore of the shipped schema only, schema and audit
 *                    check, feed gap, audit entry
 *                    (docs/backup-restore.md)
 *   export-training --out <file.csv> [--performance-months 12]   matured loans of consenting applicants as a training
 *                    set for `npm run train` (server/retraining/export.ts; docs/model.md)
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ADMIN_ROLES, AdminRolesSchema, AdminUsernameSchema } from '../../shared/sync/admin-auth';
import { createAdminAccount } from '../admin/accounts';
import { appendServerAudit } from '../audit/server-audit';
import { ConfigError, readConfig, type ServerConfig } from '../config';
import { generateKeyring, KeyringError, parseKeyring, rotateKeyring, writeKeyringFile } from '../security/keyring';
import { OWASP_SCRYPT } from '../security/passwords';
import { secretsFromKeyring } from '../security/secrets';
import { SchemaVersionError } from '../db/database';
import { OpsError } from '../ops/pg-tools';
import { runBackup, runExportTraining, runMigrate, runRestore, runRetention } from './ops-commands';
import { keyringFor, open } from './runtime';
import { serve } from './serve';
import { runVerifyAudit } from './verify-audit';

class UsageError extends Error {}

async function createAdmin(config: ServerConfig, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { username: { type: 'string' }, roles: { type: 'string' } } });
  const username = AdminUsernameSchema.safeParse(values.username ?? '');
  const roles = AdminRolesSchema.safeParse((values.roles ?? '').split(',').map((r) => r.trim()));
  if (!username.success || !roles.success) {
    throw new UsageError(
      `usage: npm run server -- create-admin --username <3-32 of a-z 0-9 . _ -> --roles <${ADMIN_ROLES.join('|')}>[,…]`,
    );
  }
  const secrets = secretsFromKeyring(keyringFor(config).ring);
  const database = await open(config);
  try {
    const now = new Date();
    const created = await database.db.transaction(async (tx) => {
      const admin = await createAdminAccount(
        tx,
        secrets,
        { username: username.data, roles: roles.data, createdBy: 'bootstrap' },
        { scryptCost: OWASP_SCRYPT },
        now,
      );
      return admin;
    });
    console.log(`Administrator ${created.username} (${created.adminId}), roles ${created.roles.join(', ')}.`);
    console.log(
      `One-time password (shown once; replaced at first sign-in with TOTP enrolment): ${created.oneTimePassword}`,
    );
  } finally {
    await database.close();
  }
}

async function verifyAudit(config: ServerConfig): Promise<number> {
  const secrets = secretsFromKeyring(keyringFor(config).ring);
  const database = await open(config);
  try {
    return await runVerifyAudit(
      database,
      (keyId) => secrets.signingPublicKey(keyId),
      (line) => console.log(line),
    );
  } finally {
    await database.close();
  }
}

function keysInit(args: string[]): void {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
  if (values.out === undefined) {
    throw new UsageError('usage: npm run server -- keys:init --out <file>');
  }
  if (existsSync(values.out)) {
    throw new UsageError(`${values.out} exists: a keyring is never overwritten (use rotate-keys).`);
  }
  writeKeyringFile(values.out, generateKeyring());
  console.log(`Keyring written to ${values.out} (mode 0600). Point NEXIS_SERVER_KEYS_FILE at it.`);
}

async function rotateKeys(config: ServerConfig): Promise<void> {
  const keys = keyringFor(config);
  if (keys.file === undefined) {
    throw new UsageError('rotate-keys needs a keyring file (NEXIS_SERVER_KEYS_FILE); NEXIS_SERVER_KEYS is read-only.');
  }
  const rotated = rotateKeyring(parseKeyring(readFileSync(keys.file, 'utf8'), keys.file));
  writeKeyringFile(keys.file, rotated);
  const secrets = secretsFromKeyring(rotated);
  const database = await open(config);
  try {
    await database.db.transaction((tx) =>
      appendServerAudit(
        tx,
        secrets.signing,
        {
          actor: 'bootstrap',
          action: 'keys.rotated',
          subject: null,
          payload: {
            signing: secrets.signing.keyId,
            token: secrets.tokenKeys.current.id,
            master: rotated.master.at(-1)?.id ?? '',
          },
        },
        new Date(),
      ),
    );
  } finally {
    await database.close();
  }
  console.log(
    `New keys in ${keys.file}: ${secrets.signing.keyId}, ${secrets.tokenKeys.current.id}. Restart every instance.`,
  );
}

async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...args] = argv;
  if (command === 'keys:init') {
    keysInit(args);
    return 0;
  }
  const config = readConfig();
  switch (command) {
    case 'serve':
      await serve(config);
      return -1;
    case 'create-admin':
      await createAdmin(config, args);
      return 0;
    case 'verify-audit':
      return verifyAudit(config);
    case 'rotate-keys':
      await rotateKeys(config);
      return 0;
    case 'migrate':
      await runMigrate({ config, out: (line) => console.log(line) }, args);
      return 0;
    case 'backup':
      await runBackup({ config, out: (line) => console.log(line) }, args);
      return 0;
    case 'restore':
      return (await runRestore({ config, out: (line) => console.log(line) }, args)).exitCode;
    case 'retention':
      await runRetention({ config, out: (line) => console.log(line) });
      return 0;
    case 'export-training':
      await runExportTraining({ config, out: (line) => console.log(line) }, args);
      return 0;
    default:
      throw new UsageError(
        `unknown command ${command}: serve, create-admin, verify-audit, keys:init, rotate-keys, migrate, backup, restore, retention, export-training`,
      );
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) {
      process.exit(code);
    }
  },
  (error: unknown) => {
    const known =
      error instanceof ConfigError ||
      error instanceof KeyringError ||
      error instanceof UsageError ||
      error instanceof SchemaVersionError ||
      error instanceof OpsError;
    console.error(known ? error.message : error);
    process.exit(2);
  },
);
