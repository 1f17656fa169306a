/**
 * The recovery bundle's container, format version 1. All integers are big-endian.
 *
 *   magic     8 bytes   "NEXISREC"
 *   version   u16       1
 *   flags     u16       0 (any other value is refused)
 *   4 sections, always all four, in this order, each:
 *     tag     4 bytes   ASCII: HEAD, KEYS, DBSN, LEDG
 *     length  u64       bytes of the body; checked against the tag's limit and the file size before use
 *     body    length bytes
 *   checksum  32 bytes  SHA-256 of every byte before it; nothing may follow it
 *
 * HEAD is UTF-8 JSON (no personal data), KEYS a binary age file (the secrets, to the bank's recovery recipients),
 * DBSN a SQLCipher database file (encrypted under the database key), LEDG the erasure ledger's bytes (may be empty).
 * The checksum catches damage; authenticity comes from the KEYS block, which binds the hash of every other section
 * (recovery-bundle.ts). A reader that does not know a version refuses the file rather than guess.
 */
import { createHash, timingSafeEqual, type Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { RecoveryError } from './errors';
import { writeAll } from './fs-durable';

export const MAGIC = Buffer.from('NEXISREC', 'ascii');
export const FORMAT_VERSION = 1;
export const SECTION_TAGS = ['HEAD', 'KEYS', 'DBSN', 'LEDG'] as const;
export type SectionTag = (typeof SECTION_TAGS)[number];

const MiB = 1024 * 1024;
/** Per-section limits: what a real bundle can hold, with room; a larger length is an attack or damage. */
export const SECTION_LIMITS: Record<SectionTag, number> = {
  HEAD: 16 * 1024,
  KEYS: 64 * 1024,
  DBSN: 16 * 1024 * MiB,
  LEDG: 256 * MiB,
};
const PREAMBLE_BYTES = MAGIC.length + 4;
const SECTION_HEAD_BYTES = 12;
export const CHECKSUM_BYTES = 32;
/** An empty bundle: preamble, four empty sections, checksum. */
export const MIN_BUNDLE_BYTES = PREAMBLE_BYTES + SECTION_TAGS.length * SECTION_HEAD_BYTES + CHECKSUM_BYTES;
export const MAX_BUNDLE_BYTES = MIN_BUNDLE_BYTES + Object.values(SECTION_LIMITS).reduce((sum, limit) => sum + limit, 0);

const CHUNK = MiB;

export interface SectionRange {
  readonly tag: SectionTag;
  /** Where the body starts in the file. */
  readonly offset: number;
  readonly length: number;
}

/** Writes a bundle to an open file descriptor, hashing as it goes; bodies may come in several pieces. */
export class ContainerWriter {
  readonly #fd: number;
  readonly #hash: Hash = createHash('sha256');
  #next = 0;

  constructor(fd: number) {
    this.#fd = fd;
    const preamble = Buffer.alloc(PREAMBLE_BYTES);
    MAGIC.copy(preamble, 0);
    preamble.writeUInt16BE(FORMAT_VERSION, MAGIC.length);
    preamble.writeUInt16BE(0, MAGIC.length + 2);
    this.#write(preamble);
  }

  /** Starts the next section; the caller then writes exactly `length` bytes with `body`. */
  section(tag: SectionTag, length: number): void {
    if (SECTION_TAGS[this.#next] !== tag || length < 0 || length > SECTION_LIMITS[tag]) {
      throw new RecoveryError('BUNDLE_LENGTH', `The ${tag} section cannot be written here or at this size.`);
    }
    this.#next += 1;
    const head = Buffer.alloc(SECTION_HEAD_BYTES);
    head.write(tag, 0, 'ascii');
    head.writeBigUInt64BE(BigInt(length), 4);
    this.#write(head);
  }

  body(bytes: Uint8Array): void {
    this.#write(bytes);
  }

  /** Appends the checksum; returns it (hex). */
  finish(): string {
    if (this.#next !== SECTION_TAGS.length) {
      throw new RecoveryError('BUNDLE_LENGTH', 'A recovery bundle needs all four sections.');
    }
    const digest = this.#hash.digest();
    writeAll(this.#fd, digest);
    return digest.toString('hex');
  }

  #write(bytes: Uint8Array): void {
    this.#hash.update(bytes);
    writeAll(this.#fd, bytes);
  }
}

/** Reads exactly `length` bytes at `position`, or throws BUNDLE_LENGTH (the file shrank under us). */
export function readRange(fd: number, position: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) {
      throw new RecoveryError('BUNDLE_LENGTH', 'The recovery bundle ended before a section did.');
    }
    done += n;
  }
  return out;
}

/** Calls `each` with the file's bytes in [position, position+length), in chunks. */
export function forEachChunk(fd: number, position: number, length: number, each: (chunk: Buffer) => void): void {
  for (let at = 0; at < length; at += CHUNK) {
    each(readRange(fd, position + at, Math.min(CHUNK, length - at)));
  }
}

export interface ContainerLayout {
  readonly size: number;
  readonly sections: Record<SectionTag, SectionRange>;
  /** SHA-256 of each section's body (hex). */
  readonly sectionSha256: Record<SectionTag, string>;
  /** SHA-256 of the file (hex), as checked. */
  readonly checksum: string;
}

/**
 * Checks the container as hostile input and returns where its sections are: size, magic, version and flags, every
 * tag and length (against its limit and what is left of the file, before anything is read or allocated), no bytes
 * after the checksum, then the checksum itself.
 */
export function readLayout(fd: number): ContainerLayout {
  const size = fstatSync(fd).size;
  if (size < MIN_BUNDLE_BYTES || size > MAX_BUNDLE_BYTES) {
    throw new RecoveryError('BUNDLE_SIZE', `A recovery bundle is ${MIN_BUNDLE_BYTES} to ${MAX_BUNDLE_BYTES} bytes.`);
  }
  const preamble = readRange(fd, 0, PREAMBLE_BYTES);
  if (!preamble.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new RecoveryError('BUNDLE_MAGIC', 'This file is not a NEXIS recovery bundle.');
  }
  const version = preamble.readUInt16BE(MAGIC.length);
  const flags = preamble.readUInt16BE(MAGIC.length + 2);
  if (version !== FORMAT_VERSION || flags !== 0) {
    throw new RecoveryError(
      'BUNDLE_VERSION',
      `This recovery bundle has format version ${version} (flags ${flags}); this build reads version ${FORMAT_VERSION}.`,
    );
  }
  const end = size - CHECKSUM_BYTES;
  let at = PREAMBLE_BYTES;
  const sections: Partial<Record<SectionTag, SectionRange>> = {};
  for (const tag of SECTION_TAGS) {
    if (at + SECTION_HEAD_BYTES > end) {
      throw new RecoveryError('BUNDLE_LENGTH', `The recovery bundle ends before its ${tag} section.`);
    }
    const head = readRange(fd, at, SECTION_HEAD_BYTES);
    if (head.toString('latin1', 0, 4) !== tag) {
      throw new RecoveryError('BUNDLE_LENGTH', `The recovery bundle has no ${tag} section where it belongs.`);
    }
    const declared = head.readBigUInt64BE(4);
    const offset = at + SECTION_HEAD_BYTES;
    // Compared as bigints: a length near 2^64 must not wrap or lose precision before it is refused.
    if (declared > BigInt(SECTION_LIMITS[tag]) || declared > BigInt(end - offset)) {
      throw new RecoveryError('BUNDLE_LENGTH', `The ${tag} section's length is beyond its limit or the file.`);
    }
    const length = Number(declared);
    sections[tag] = { tag, offset, length };
    at = offset + length;
  }
  if (at !== end) {
    throw new RecoveryError('BUNDLE_LENGTH', 'The recovery bundle has bytes it does not account for.');
  }
  // One pass over the file: the whole-file checksum, and each body's own hash for the bindings in the KEYS block.
  const hash = createHash('sha256');
  const sectionSha256: Partial<Record<SectionTag, string>> = {};
  let covered = 0;
  for (const tag of SECTION_TAGS) {
    const { offset, length } = sections[tag] as SectionRange;
    forEachChunk(fd, covered, offset - covered, (chunk) => hash.update(chunk));
    const own = createHash('sha256');
    forEachChunk(fd, offset, length, (chunk) => {
      hash.update(chunk);
      own.update(chunk);
    });
    sectionSha256[tag] = own.digest('hex');
    covered = offset + length;
  }
  const actual = hash.digest();
  const recorded = readRange(fd, end, CHECKSUM_BYTES);
  if (!timingSafeEqual(actual, recorded)) {
    throw new RecoveryError('BUNDLE_CHECKSUM', 'The recovery bundle is damaged: its checksum does not match.');
  }
  return {
    size,
    sections: sections as Record<SectionTag, SectionRange>,
    sectionSha256: sectionSha256 as Record<SectionTag, string>,
    checksum: actual.toString('hex'),
  };
}

/** Opens a bundle read-only, runs `work` on its descriptor, closes it. */
export function withBundleFile<T>(file: string, work: (fd: number) => T): T {
  const fd = openSync(file, 'r');
  try {
    return work(fd);
  } finally {
    closeSync(fd);
  }
}
