/**
 * Admin command line on the core: `npm run nexis -- <command> [--data <dir>]`.
 * The database key comes from NEXIS_DB_KEY or the key file (see electron/core/db/keys.ts).
 *
 *   verify-audit            read-only: integrity of every page, then the hash chain and signed checkpoints against
 *                           the device key from outside the database [--device-key <file>] and, with
 *                           [--server-key <file>]..., the latest central countersignature (cli/verify-audit.ts)
 *   backup                  encrypted online backup into <data>/backups/
 *   restore <backup-file>   checks a backup, then puts it in place (the app must be closed); the old file is kept
 *   replay <decision-id>    re-scores a decision's stored inputs with the model of its hash [--model <dir>]
 *   recovery:extract-key, recovery:restore   the bank IT side of recovery bundles (recovery/recovery-command.ts)
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DATABASE_FILE, resolveNodeDbKey } from '../db/keys';
import { isNexisError } from '../errors';
import { createWorkstation } from '../workstation';
import { restoreBackup } from '../system/backup';
import { runReplayCommand } from '../scoring/replay-command';
import { verifyAuditCommand } from './verify-audit';
import { RECOVERY_USAGE, runRecoveryCommand } from '../recovery/recovery-command';

const USAGE = `usage: npm run nexis -- <command> [--data <dir>]
  verify-audit [--device-key <file>] [--server-key <file>]...
  backup | restore <file> | replay <decision-id> [--model <dir>]
${RECOVERY_USAGE}
  --data <dir>         the workstation's data folder (default: $NEXIS_DATA_DIR or .nexis-data/harness)
  --device-key <file>  the device's public key as the central server recorded it at enrolment (PEM or base64)
  --server-key <file>  a trusted central server signing key (PEM or base64); repeat for rotated keys`;

function verifyAudit(dataDir: string, deviceKey?: string, serverKeys?: readonly string[]): Promise<number> {
  return verifyAuditCommand({
    dataDir,
    ...(deviceKey === undefined ? {} : { deviceKeyFile: resolve(deviceKey) }),
    ...(serverKeys === undefined ? {} : { serverKeyFiles: serverKeys.map((f) => resolve(f)) }),
    write: (line) => console.log(line),
  });
}

function backup(dataDir: string): number {
  const ws = createWorkstation({ dataDir, dbKey: resolveNodeDbKey({ dataDir }) });
  try {
    const written = ws.backup('system');
    console.log(`encrypted backup written: ${written.file} (${written.bytes} bytes)`);
    return 0;
  } finally {
    ws.close();
  }
}

async function restore(dataDir: string, backupFile: string | undefined): Promise<number> {
  if (backupFile === undefined) {
    console.error(USAGE);
    return 2;
  }
  const key = resolveNodeDbKey({ dataDir });
  const { previous } = restoreBackup(resolve(backupFile), join(dataDir, DATABASE_FILE), key, new Date());
  console.log(`restored ${backupFile}${previous ? `; the previous database was kept as ${previous}` : ''}`);
  return verifyAudit(dataDir);
}

async function main(argv: string[]): Promise<number> {
  if (argv[0]?.startsWith('recovery:') === true) {
    // Own options (--identity, --out); errors reported as below.
    return runRecoveryCommand(argv, { write: (line) => console.log(line) }).catch(report);
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      model: { type: 'string' },
      'device-key': { type: 'string' },
      'server-key': { type: 'string', multiple: true },
    },
  });
  const dataDir = resolve(values.data ?? process.env.NEXIS_DATA_DIR ?? join('.nexis-data', 'harness'));
  const [command, ...rest] = positionals;
  try {
    switch (command) {
      case 'verify-audit':
        return await verifyAudit(dataDir, values['device-key'], values['server-key']);
      case 'backup':
        return backup(dataDir);
      case 'restore':
        return await restore(dataDir, rest[0]);
      case 'replay':
        return await runReplayCommand({
          dataDir,
          decisionId: rest[0],
          ...(values.model === undefined ? {} : { modelDir: resolve(values.model) }),
          write: (line) => console.log(line),
        });
      default:
        console.error(USAGE);
        return 2;
    }
  } catch (error) {
    return report(error);
  }
}

function report(error: unknown): number {
  console.error(
    isNexisError(error)
      ? `${error.code}: ${error.message}`
      : `failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
