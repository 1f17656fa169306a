/**
 * Admin command line on the core: `npm run nexis -- <command> [--data <dir>]`.
 * The database key comes from NEXIS_DB_KEY or the key file (see electron/core/db/keys.ts).
 *
 *   verify-audit            read-only: integrity of every page, then the hash chain and signed checkpoints
 *   backup                  encrypted online backup into <data>/backups/
 *   restore <backup-file>   checks a backup, then puts it in place (the app must be closed); the old file is kept
 *   replay <decision-id>    re-scores a decision's stored inputs with the model of its hash [--model <dir>]
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/open';
import { DATABASE_FILE, resolveNodeDbKey } from '../db/keys';
import { verifyAuditChain } from '../audit/verify';
import { loadDeviceKey } from '../crypto/device-key';
import { getMeta } from '../system/meta-store';
import { isNexisError, NexisError } from '../errors';
import { createWorkstation } from '../workstation';
import { restoreBackup } from '../system/backup';
import { runReplayCommand } from '../scoring/replay-command';

const USAGE = `usage: npm run nexis -- <verify-audit | backup | restore <file> | replay <decision-id> [--model <dir>]> [--data <dir>]
  --data <dir>   the workstation's data folder (default: $NEXIS_DATA_DIR or .nexis-data/harness)`;

async function verifyAudit(dataDir: string): Promise<number> {
  const key = resolveNodeDbKey({ dataDir });
  const file = join(dataDir, DATABASE_FILE);
  const { sqlite, db } = openDatabase({ file, key, create: false, readonly: true });
  try {
    const stored = getMeta(db, 'device.ed25519.pkcs8');
    if (stored === undefined) {
      throw new NexisError('NOT_FOUND', 'The database has no device key: it was never initialised by the workstation.');
    }
    const device = loadDeviceKey({ privateKeyPkcs8: stored });
    const started = performance.now();
    const result = await verifyAuditChain(sqlite, device, { file, key });
    const ms = (performance.now() - started).toFixed(0);
    if (result.ok) {
      console.log(
        `audit chain OK: ${result.entries} entries, ${result.checkpoints} signed checkpoints, head ${result.headHash} (${ms} ms)`,
      );
      console.log(`device ${device.deviceId}`);
      return 0;
    }
    console.log(`audit chain BROKEN at sequence ${result.firstBadSeq}: ${result.reason}`);
    console.log(`${result.entries} entries verified before it (${ms} ms)`);
    return 1;
  } finally {
    sqlite.close();
  }
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
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { data: { type: 'string' }, model: { type: 'string' } },
  });
  const dataDir = resolve(values.data ?? process.env.NEXIS_DATA_DIR ?? join('.nexis-data', 'harness'));
  const [command, ...rest] = positionals;
  try {
    switch (command) {
      case 'verify-audit':
        return await verifyAudit(dataDir);
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
    console.error(
      isNexisError(error)
        ? `${error.code}: ${error.message}`
        : `failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
