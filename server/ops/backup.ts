/**
 * `backup`: a pg_dump in custom format, checked by pg_restore reading its table of contents back, with its SHA-256
 * in a `.sha256` file beside it (the `sha256sum` format, so `sha256sum -c` checks it too) and the keyring's signature
 * in a `.sig` (server/ops/dump-signature.ts), all flushed to disk.
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  createReadStream,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { SigningKey } from '../security/secrets';
import { allowedRestoreList, parseDumpList } from './dump-contents';
import { signatureFile, writeDumpSignature } from './dump-signature';
import { OpsError, runPgTool, type PgConnection } from './pg-tools';

/** Tables a dump of the central database must contain; a dump without them is not a NEXIS backup. */
export const EXPECTED_TABLES = ['devices', 'audit_entries', 'feed_items', 'server_audit', '__drizzle_migrations'];

export interface BackupResult {
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
  /** Tables with data in the dump, as `schema.table`. */
  readonly tables: readonly string[];
  /** The keyring key that signed it (`<file>.sig`). */
  readonly keyId: string;
}

/** What a dump's table of contents holds, as `schema.name`. */
export interface DumpContents {
  /** Tables whose rows the dump carries. */
  readonly tables: readonly string[];
  /** Tables, sequences and views the dump creates (what `--clean` replaces). */
  readonly relations: readonly string[];
  /** Schemas a restore of the dump creates (`drizzle`; never `public`, which every new database has). */
  readonly schemas: readonly string[];
  /** The entries pg_restore may run, for its `--use-list` (every one checked against the shipped schema). */
  readonly useList: string;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

export function checksumFile(dump: string): string {
  return `${dump}.sha256`;
}

/** Flushes a file and the directory entry that names it, so a crash right after cannot lose either. */
function fsyncPath(file: string): void {
  for (const path of [file, dirname(file)]) {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Reads the dump's table of contents with pg_restore; refuses a file that is not a complete NEXIS dump, or that holds
 * anything the shipped schema does not create (server/ops/dump-contents.ts). `name` is how messages call the file.
 */
export async function listDump(file: string, name = basename(file)): Promise<DumpContents> {
  let listing: string;
  try {
    listing = (await runPgTool('pg_restore', ['--list', file], undefined)).stdout;
  } catch (error) {
    if (error instanceof OpsError && error.code === 'OPS_TOOL_FAILED') {
      throw new OpsError('OPS_DUMP_INVALID', `${name} is not a readable pg_dump archive: ${error.message}`);
    }
    throw error;
  }
  const entries = parseDumpList(listing);
  const qualified = (types: readonly string[]): string[] =>
    entries.filter((e) => types.includes(e.type)).map((e) => `${e.schema}.${e.tag}`);
  const tables = qualified(['TABLE DATA']);
  const names = new Set(entries.filter((e) => e.type === 'TABLE DATA').map((e) => e.tag));
  const missing = EXPECTED_TABLES.filter((t) => !names.has(t));
  if (missing.length > 0) {
    throw new OpsError(
      'OPS_DUMP_INVALID',
      `${name} lacks the tables ${missing.join(', ')}: it is not a backup of the NEXIS central database.`,
    );
  }
  const useList = allowedRestoreList(entries, name);
  // pg_restore never creates `public` (every new database has it) even when the dump lists it for its owner.
  const schemas = entries.filter((e) => e.type === 'SCHEMA' && e.tag !== 'public').map((e) => e.tag);
  return { tables, relations: qualified(['TABLE', 'SEQUENCE', 'VIEW', 'MATERIALIZED VIEW']), schemas, useList };
}

/**
 * Dumps into a partial file beside `out` and names it `out` only once it is complete and listed, so a dump cut short
 * (disk full, connection lost) never sits where a good backup is expected. The dump holds password hashes and sealed
 * personal data: owner-only, like the checksum.
 */
export async function takeBackup(
  connection: PgConnection,
  out: string,
  signer: SigningKey,
  now: () => Date = () => new Date(),
): Promise<BackupResult> {
  if (existsSync(out) || existsSync(checksumFile(out)) || existsSync(signatureFile(out))) {
    throw new OpsError('OPS_FILE_EXISTS', `${out} (or its .sha256 or .sig) exists: a backup is never overwritten.`);
  }
  if (!existsSync(dirname(out))) {
    throw new OpsError('OPS_USAGE', `${dirname(out)} does not exist: create the backup folder first.`);
  }
  const partial = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  writeFileSync(partial, '', { mode: 0o600, flag: 'wx' });
  try {
    // Custom format: compressed, restorable table by table, and listable (which is how it is verified below).
    await runPgTool('pg_dump', ['--format=custom', '--no-password', `--file=${partial}`], connection);
    chmodSync(partial, 0o600);
    const { tables } = await listDump(partial, basename(out));
    const sha256 = await sha256File(partial);
    fsyncPath(partial);
    // link, not rename: it fails rather than replace a file that appeared at `out` meanwhile.
    linkSync(partial, out);
    writeFileSync(checksumFile(out), `${sha256}  ${basename(out)}\n`, { mode: 0o600, flag: 'wx' });
    const bytes = statSync(out).size;
    const signature = writeDumpSignature(out, signer, {
      sha256,
      size: bytes,
      database: connection.database,
      createdAt: now().toISOString(),
    });
    for (const file of [out, checksumFile(out), signatureFile(out)]) {
      fsyncPath(file);
    }
    return { file: out, sha256, bytes, tables, keyId: signature.keyId };
  } finally {
    rmSync(partial, { force: true });
  }
}

/**
 * Checks a dump's SHA-256 (computed by the caller, on the copy it restores from) against the `.sha256` beside it: the
 * message for a damaged file, before the signature's own comparison says "altered".
 */
export function verifyChecksum(file: string, actual: string): void {
  const sumFile = checksumFile(file);
  if (!existsSync(sumFile)) {
    throw new OpsError(
      'OPS_CHECKSUM_MISSING',
      `${basename(sumFile)} is missing: without the checksum written at backup time the dump cannot be trusted. ` +
        'Find it where the backup was stored (backups are copied with their .sha256 and .sig).',
    );
  }
  const expected = /^([0-9a-f]{64})\b/i.exec(readFileSync(sumFile, 'utf8').trim())?.[1]?.toLowerCase();
  if (expected === undefined) {
    throw new OpsError('OPS_CHECKSUM_MISSING', `${basename(sumFile)} does not hold a SHA-256.`);
  }
  if (actual !== expected) {
    throw new OpsError(
      'OPS_CHECKSUM_MISMATCH',
      `${basename(file)} does not match its SHA-256 (damaged or altered since the backup): nothing was restored. ` +
        'Use another copy or an earlier backup.',
    );
  }
}
