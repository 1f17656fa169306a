import { readFileSync } from 'node:fs';
import type { SqliteConnection } from './open';
import { sqliteCode } from './open';

/**
 * Reads every page of every table and index (`PRAGMA quick_check`). With SQLCipher each page read checks the
 * page's HMAC, so a flipped byte anywhere in a used page is reported here rather than found later by chance.
 * Returns null when the file is sound, else a reason without any content from the file.
 */
export function checkDatabaseIntegrity(sqlite: SqliteConnection): string | null {
  try {
    const rows = sqlite.pragma('quick_check') as { quick_check: string }[];
    return describeQuickCheck(rows);
  } catch (error) {
    return damagedPage(sqliteCode(error));
  }
}

export function describeQuickCheck(rows: { quick_check: string }[]): string | null {
  if (rows.length === 1 && rows[0]?.quick_check === 'ok') {
    return null;
  }
  return `database file damaged: SQLite quick_check found ${rows.length} problem(s)`;
}

export function damagedPage(code: string | undefined): string {
  return `database file damaged: a page failed its integrity (HMAC) check (${code ?? 'error'})`;
}

const WAL_HEADER_BYTES = 32;
const WAL_FRAME_HEADER_BYTES = 24;

/**
 * SQLite reads a write-ahead log only up to its first frame whose checksum fails and silently drops every frame after
 * it, committed or not: a flipped byte there would roll back acknowledged transactions with no error and a clean page
 * check (found by the byte-flip sweep). Run before the database is opened, this reports such a log when the damage
 * cannot be a torn final write: a later transaction began after the damaged one had committed (so it had been synced),
 * or a damaged header precedes frames that chain from it. Damage confined to the last transaction is indistinguishable
 * from a crash during its commit and is not reported. Returns null when there is no log or it is sound.
 */
export function checkWriteAheadLog(walFile: string): string | null {
  let wal: Buffer;
  try {
    wal = readFileSync(walFile);
  } catch {
    return null;
  }
  if (wal.length < WAL_HEADER_BYTES) {
    return null;
  }
  const magic = wal.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) {
    return null;
  }
  const bigEndian = magic === 0x377f0683;
  const pageSize = wal.readUInt32BE(8) === 1 ? 65_536 : wal.readUInt32BE(8);
  const frameBytes = WAL_FRAME_HEADER_BYTES + pageSize;
  const salt = wal.subarray(16, 24);
  const headerSound = walChecksum(wal.subarray(0, 24), [0, 0], bigEndian).every(
    (s, i) => s === wal.readUInt32BE(24 + 4 * i),
  );
  let sums: [number, number] = [wal.readUInt32BE(24), wal.readUInt32BE(28)];
  let firstBad = -1;
  let commitAfterBad = false;
  for (let at = WAL_HEADER_BYTES, frame = 0; at + frameBytes <= wal.length; at += frameBytes, frame += 1) {
    const header = wal.subarray(at, at + WAL_FRAME_HEADER_BYTES);
    const current = header.subarray(8, 16).equals(salt);
    if (firstBad < 0) {
      sums = walChecksum(
        wal.subarray(at + WAL_FRAME_HEADER_BYTES, at + frameBytes),
        walChecksum(header.subarray(0, 8), sums, bigEndian),
        bigEndian,
      );
      const sound = current && sums[0] === header.readUInt32BE(16) && sums[1] === header.readUInt32BE(20);
      if (sound && !headerSound) {
        return 'database file damaged: the write-ahead log header fails its checksum, so committed transactions would be dropped';
      }
      if (!sound) {
        // A frame of an earlier generation of the log marks its end; one of this generation past it cannot be.
        firstBad = frame;
        commitAfterBad = header.readUInt32BE(4) !== 0;
      }
      continue;
    }
    if (!current) {
      continue;
    }
    if (commitAfterBad) {
      return `database file damaged: frame ${firstBad + 1} of the write-ahead log fails its checksum, so the transactions committed after it would be dropped`;
    }
    commitAfterBad = header.readUInt32BE(4) !== 0;
  }
  return null;
}

/** The checksum of the SQLite WAL format: 32-bit words in the log's byte order, two running sums. */
function walChecksum(data: Buffer, [first, second]: readonly [number, number], bigEndian: boolean): [number, number] {
  let s0 = first;
  let s1 = second;
  for (let i = 0; i + 8 <= data.length; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}
