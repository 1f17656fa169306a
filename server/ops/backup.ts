/**
 * `backup`: a pg_dump in custom format, checked by pg_restore reading its table of contents back, with its SHA-256
 * in a `.sha256` file beside it (the `sha256sum` format, so `sha256sum -c` checks it too), both flushed to disk.
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
import { OpsError, runPgTool, type PgConnection } from './pg-tools';

/** Tables a dump of the central database must contain; a dump without them is not a NEXIS backup. */
export const EXPECTED_TABLES = ['devices', 'audit_entries', 'feed_items', 'server_audit', '__drizzle_migrations'];

export interface BackupResult {
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
  /** Tables with data in the dump, as `schema.table`. */
  readonly tables: readonly string[];
}

/** What a dump's table of contents holds, as `schema.name`. */
export interface DumpContents {
  /** Tables whose rows the dump carries. */
  readonly tables: readonly string[];
  /** Tables, sequences and views the dump creates (what `--clean` replaces). */
  readonly relations: readonly string[];
  /** Schemas a restore of the dump creates (`drizzle`; never `public`, which every new database has). */
  readonly schemas: readonly string[];
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

/** Reads the dump's table of contents with pg_restore; refuses a file that is not a complete NEXIS dump. */
export async function listDump(file: string): Promise<DumpContents> {
  let listing: string;
  try {
    listing = (await runPgTool('pg_restore', ['--list', file], undefined)).stdout;
  } catch (error) {
    if (error instanceof OpsError && error.code === 'OPS_TOOL_FAILED') {
      throw new OpsError('OPS_DUMP_INVALID', `${basename(file)} is not a readable pg_dump archive: ${error.message}`);
    }
    throw error;
  }
  // TOC lines look like `215; 0 16390 TABLE DATA public devices nexis` and `214; 1259 16389 TABLE public devices nexis`.
  const entries = (kinds: string): string[] =>
    [...listing.matchAll(new RegExp(`^\\d+; \\d+ \\d+ (?:${kinds}) (\\S+) (\\S+) `, 'gm'))].map(
      (m) => `${m[1] ?? ''}.${m[2] ?? ''}`,
    );
  const tables = entries('TABLE DATA');
  // pg_restore never creates `public` (every new database has it) even when the dump lists it for its owner.
  const schemas = [...listing.matchAll(/^\d+; \d+ \d+ SCHEMA - (\S+) /gm)]
    .map((m) => m[1] ?? '')
    .filter((name) => name !== 'public');
  // `TABLE DATA`, `SEQUENCE SET` and `SEQUENCE OWNED BY` entries name no relation of their own.
  const relations = entries('TABLE(?! DATA )|SEQUENCE(?! SET | OWNED BY )|VIEW|MATERIALIZED VIEW');
  const names = new Set(tables.map((t) => t.slice(t.indexOf('.') + 1)));
  const missing = EXPECTED_TABLES.filter((t) => !names.has(t));
  if (missing.length > 0) {
    throw new OpsError(
      'OPS_DUMP_INVALID',
      `${basename(file)} lacks the tables ${missing.join(', ')}: it is not a backup of the NEXIS central database.`,
    );
  }
  return { tables, relations, schemas };
}

/**
 * Dumps into a partial file beside `out` and names it `out` only once it is complete and listed, so a dump cut short
 * (disk full, connection lost) never sits where a good backup is expected. The dump holds password hashes and sealed
 * personal data: owner-only, like the checksum.
 */
export async function takeBackup(connection: PgConnection, out: string): Promise<BackupResult> {
  if (existsSync(out) || existsSync(checksumFile(out))) {
    throw new OpsError('OPS_FILE_EXISTS', `${out} (or its .sha256) exists: a backup is never overwritten.`);
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
    const { tables } = await listDump(partial);
    const sha256 = await sha256File(partial);
    fsyncPath(partial);
    // link, not rename: it fails rather than replace a file that appeared at `out` meanwhile.
    linkSync(partial, out);
    writeFileSync(checksumFile(out), `${sha256}  ${basename(out)}\n`, { mode: 0o600, flag: 'wx' });
    fsyncPath(out);
    fsyncPath(checksumFile(out));
    return { file: out, sha256, bytes: statSync(out).size, tables };
  } finally {
    rmSync(partial, { force: true });
  }
}

/** Checks a dump against the `.sha256` beside it before anything reads it. */
export async function verifyChecksum(file: string): Promise<string> {
  if (!existsSync(file)) {
    throw new OpsError('OPS_USAGE', `${file} does not exist.`);
  }
  const sumFile = checksumFile(file);
  if (!existsSync(sumFile)) {
    throw new OpsError(
      'OPS_CHECKSUM_MISSING',
      `${basename(sumFile)} is missing: without the checksum written at backup time the dump cannot be trusted. ` +
        'Find it where the backup was stored (backups are copied with their .sha256).',
    );
  }
  const expected = /^([0-9a-f]{64})\b/i.exec(readFileSync(sumFile, 'utf8').trim())?.[1]?.toLowerCase();
  if (expected === undefined) {
    throw new OpsError('OPS_CHECKSUM_MISSING', `${basename(sumFile)} does not hold a SHA-256.`);
  }
  const actual = await sha256File(file);
  if (actual !== expected) {
    throw new OpsError(
      'OPS_CHECKSUM_MISMATCH',
      `${basename(file)} does not match its SHA-256 (damaged or altered since the backup): nothing was restored. ` +
        'Use another copy or an earlier backup.',
    );
  }
  return actual;
}
