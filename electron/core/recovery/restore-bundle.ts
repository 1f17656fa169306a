/**
 * Restoring a checked recovery bundle (recovery-bundle.ts `readRecoveryBundle`) into a new data folder: the database
 * and the erasure ledger, each checked before it takes its name. The keys go back to the caller for its key custody.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { GENESIS_HASH } from '../../../audit-chain';
import type { StoredDeviceKey } from '../crypto/device-key';
import { DATABASE_FILE } from '../db/keys';
import { openDatabase } from '../db/open';
import { deleteMeta, setMeta } from '../system/meta-store';
import { ErasureLedger, LEDGER_FILE } from '../lifecycle/erasure-ledger';
import { forEachChunk, withBundleFile } from './container';
import { RecoveryError } from './errors';
import { syncDirectory, writeAll, writeNewFileDurably } from './fs-durable';
import type { RecoveryBundle, RecoveryHeader } from './recovery-bundle';

export interface RestoredRecovery {
  readonly dbKey: Buffer;
  readonly deviceSecret: StoredDeviceKey;
  readonly header: RecoveryHeader;
  readonly databaseFile: string;
  /** Null when the device had never erased anyone (no ledger yet). */
  readonly ledgerFile: string | null;
}

/**
 * Writes the database and the ledger into a new data folder (absent or empty) and checks them: the database opens
 * with the recovered key, passes `integrity_check` and holds the header's audit head; the ledger's MAC chain checks
 * under that key. The keys are returned for the caller's custody (OS key store, key files), never written here. On
 * any failure what was written is removed.
 */
export function restoreRecoveryBundle(bundle: RecoveryBundle, targetDataDir: string): RestoredRecovery {
  const created = prepareTarget(targetDataDir);
  const databaseFile = join(targetDataDir, DATABASE_FILE);
  const databasePartial = join(targetDataDir, `.${DATABASE_FILE}.restore.partial`);
  const ledgerFile = join(targetDataDir, LEDGER_FILE);
  const ledgerPartial = join(targetDataDir, `.${LEDGER_FILE}.restore.partial`);
  try {
    copySnapshot(bundle, databasePartial);
    checkRestoredDatabase(databasePartial, bundle);
    markRecoveryPending(databasePartial, bundle);
    let restoredLedger: string | null = null;
    if (bundle.ledger.length > 0) {
      writeNewFileDurably(ledgerPartial, bundle.ledger);
      try {
        new ErasureLedger(ledgerPartial, bundle.dbKey).entries();
      } catch (error) {
        throw new RecoveryError('RESTORE_CHECK_FAILED', 'The recovered erasure ledger fails its check.', {
          cause: error,
        });
      }
      renameSync(ledgerPartial, ledgerFile);
      restoredLedger = ledgerFile;
    }
    // The database takes its name last: a crash before leaves no database that could open without its ledger
    // (which would bring erased applicants back).
    syncDirectory(targetDataDir);
    renameSync(databasePartial, databaseFile);
    syncDirectory(targetDataDir);
    return {
      dbKey: bundle.dbKey,
      deviceSecret: bundle.deviceSecret,
      header: bundle.header,
      databaseFile,
      ledgerFile: restoredLedger,
    };
  } catch (error) {
    for (const written of [databasePartial, databaseFile, ledgerPartial, ledgerFile]) {
      rmSync(written, { force: true });
    }
    if (created) {
      rmSync(targetDataDir, { recursive: true, force: true });
    }
    throw error;
  }
}

/**
 * The meta key a restored database carries until its device has re-enrolled and taken back the chain tail it pushed
 * after the bundle (electron/core/sync/chain-tail.ts): sync refuses to push before, which would fork the chain.
 */
export const RECOVERY_PENDING_META = 'sync.recovery.pending';

function markRecoveryPending(file: string, bundle: RecoveryBundle): void {
  const { sqlite, db } = openDatabase({ file, key: bundle.dbKey, create: false });
  try {
    sqlite.transaction(() => {
      const { createdAt, auditHead } = bundle.header;
      setMeta(db, RECOVERY_PENDING_META, JSON.stringify({ bundleCreatedAt: createdAt, auditHead }));
      // The dead laptop's access token is not this machine's: the re-enrolment issues a new one.
      deleteMeta(db, 'sync.access_token');
    })();
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    sqlite.close();
  }
}

/** Returns whether the folder was created here. */
function prepareTarget(dir: string): boolean {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return true;
  }
  if (!statSync(dir).isDirectory() || readdirSync(dir).length > 0) {
    throw new RecoveryError(
      'TARGET_NOT_EMPTY',
      `A recovery goes into a new, empty data folder; ${basename(dir)} is not one. Nothing was written.`,
    );
  }
  return false;
}

/** Copies the snapshot out of the bundle, hashing it again: the file may have changed since it was read. */
function copySnapshot(bundle: RecoveryBundle, target: string): void {
  const { offset, length } = bundle.layout.sections.DBSN;
  const hash = createHash('sha256');
  const out = openSync(target, 'wx', 0o600);
  try {
    withBundleFile(bundle.file, (fd) =>
      forEachChunk(fd, offset, length, (chunk) => {
        hash.update(chunk);
        writeAll(out, chunk);
      }),
    );
    fsyncSync(out);
  } finally {
    closeSync(out);
  }
  if (hash.digest('hex') !== bundle.layout.sectionSha256.DBSN) {
    throw new RecoveryError('BUNDLE_BINDING', 'The recovery bundle changed while it was being restored.');
  }
}

function checkRestoredDatabase(file: string, bundle: RecoveryBundle): void {
  let opened: ReturnType<typeof openDatabase>;
  try {
    opened = openDatabase({ file, key: bundle.dbKey, create: false, readonly: true });
  } catch (error) {
    throw new RecoveryError('RESTORE_CHECK_FAILED', 'The recovered database does not open with the recovered key.', {
      cause: error,
    });
  }
  try {
    const integrity: unknown = opened.sqlite.pragma('integrity_check', { simple: true });
    const { seq, hash } = bundle.header.auditHead;
    const atHead =
      seq === 0
        ? GENESIS_HASH
        : opened.sqlite.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?').get(seq)?.hash;
    if (integrity !== 'ok' || atHead !== hash) {
      throw new RecoveryError(
        'RESTORE_CHECK_FAILED',
        'The recovered database fails its integrity check or does not hold the audit head its bundle names.',
      );
    }
  } catch (error) {
    if (error instanceof RecoveryError) {
      throw error;
    }
    throw new RecoveryError('RESTORE_CHECK_FAILED', 'The recovered database cannot be read.', { cause: error });
  } finally {
    opened.sqlite.close();
  }
}
