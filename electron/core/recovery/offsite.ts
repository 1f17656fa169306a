/**
 * Off-device copies of recovery bundles in a folder the administrator picked (a removable drive, a mounted share).
 * The folder must already exist: a drive that is not plugged in must fail the copy, not get a same-named folder on
 * the laptop's own disk. A folder inside the data folder is refused: that copy dies with the laptop.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, isAbsolute, join, relative } from 'node:path';
import { NexisError } from '../errors';
import { CHECKSUM_BYTES, forEachChunk, readLayout, withBundleFile } from './container';
import { RecoveryError } from './errors';
import { syncDirectory, writeAll } from './fs-durable';

/** `nexis-recovery-<deviceId>-<ISO time with : and . as ->.nexisbak`: names sort in time order per device. */
const BUNDLE_NAME = /^nexis-recovery-(DEV-[0-9A-F]{16})-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)\.nexisbak$/;
const PARTIAL = '.partial';

export const DEFAULT_KEEP_PER_DEVICE = 7;

export interface WriteToFolderOptions {
  /** The workstation's data folder: the target may not be inside it. */
  readonly dataDir: string;
  /** How many bundles of this device stay in the folder, newest first (default 7). */
  readonly keepPerDevice?: number;
}

export interface FolderCopy {
  readonly file: string;
  /** SHA-256 (hex) of the copy, equal to the bundle's own checksum. */
  readonly sha256: string;
  /** Older bundles of the same device removed to keep `keepPerDevice`. */
  readonly pruned: readonly string[];
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Copies a bundle into `folder`: checked first (a damaged bundle is not spread), written under a temporary name,
 * fsynced, its bytes hashed on the way and compared with the bundle's checksum, then renamed (rename, not link:
 * FAT and exFAT drives have no hard links). Copying the same bundle twice is a no-op.
 */
export function writeToFolder(bundleFile: string, folder: string, options: WriteToFolderOptions): FolderCopy {
  const keep = options.keepPerDevice ?? DEFAULT_KEEP_PER_DEVICE;
  if (!Number.isInteger(keep) || keep < 1 || keep > 1000) {
    throw new NexisError('INVALID_INPUT', 'keepPerDevice must be a whole number from 1 to 1000.');
  }
  const name = basename(bundleFile);
  const match = BUNDLE_NAME.exec(name);
  if (match === null) {
    throw new NexisError('INVALID_INPUT', `${name} is not named as a NEXIS recovery bundle.`);
  }
  const deviceId = match[1] ?? '';
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new NexisError(
      'NOT_FOUND',
      'The backup folder is not there: plug in the drive (or mount the share) and try again.',
    );
  }
  const target = realpathSync(folder);
  if (isInside(target, realpathSync(options.dataDir))) {
    throw new RecoveryError(
      'FOLDER_INSIDE_DATA_DIR',
      'The backup folder is inside the workstation data folder; pick a removable drive or another disk.',
    );
  }
  const file = join(target, name);
  const checksum = withBundleFile(bundleFile, (source) => {
    const layout = readLayout(source);
    if (existsSync(file)) {
      return layout.checksum;
    }
    const partial = join(target, `.${name}-${process.pid}${PARTIAL}`);
    rmSync(partial, { force: true });
    const hash = createHash('sha256');
    const out = openSync(partial, 'wx', 0o600);
    try {
      // The checksum covers everything before it: hashing what is copied proves the source did not change meanwhile.
      forEachChunk(source, 0, layout.size - CHECKSUM_BYTES, (chunk) => {
        hash.update(chunk);
        writeAll(out, chunk);
      });
      forEachChunk(source, layout.size - CHECKSUM_BYTES, CHECKSUM_BYTES, (chunk) => writeAll(out, chunk));
      fsyncSync(out);
    } catch (error) {
      closeSync(out);
      rmSync(partial, { force: true });
      throw error;
    }
    closeSync(out);
    if (hash.digest('hex') !== layout.checksum) {
      rmSync(partial, { force: true });
      throw new RecoveryError('BUNDLE_CHECKSUM', 'The bundle changed while it was being copied; nothing was kept.');
    }
    renameSync(partial, file);
    syncDirectory(target);
    return layout.checksum;
  });
  const existing = withBundleFile(file, (fd) => readLayout(fd).checksum);
  if (existing !== checksum) {
    throw new NexisError('CONFLICT', `The backup folder already holds a different file named ${name}.`);
  }
  return { file, sha256: checksum, pruned: prune(target, deviceId, keep) };
}

/** Removes this device's oldest bundles beyond `keep`, and partial copies a crash left; other devices' stay. */
function prune(folder: string, deviceId: string, keep: number): string[] {
  const mine = readdirSync(folder)
    .filter((entry) => BUNDLE_NAME.exec(entry)?.[1] === deviceId)
    .sort()
    .reverse();
  const removed = mine.slice(keep).map((entry) => join(folder, entry));
  for (const entry of readdirSync(folder)) {
    if (entry.startsWith(`.nexis-recovery-${deviceId}-`) && entry.endsWith(PARTIAL)) {
      rmSync(join(folder, entry), { force: true });
    }
  }
  removed.forEach((file) => rmSync(file, { force: true }));
  if (removed.length > 0) {
    syncDirectory(folder);
  }
  return removed;
}
