/**
 * Recovery bundles: one file that lets the bank's IT bring back a dead laptop's workstation, and nobody else. It
 * holds the SQLCipher snapshot (still encrypted under the database key), the erasure ledger, a clear header without
 * personal data, and the database key and device signing key age-encrypted to the bank's recovery recipients
 * (trust-config.ts `recoveryRecipients`). Without the bank's offline identity the bundle opens nothing.
 *
 * The secrets block also binds the SHA-256 of the header, the snapshot and the ledger. Anyone can encrypt to a public
 * recipient, so the outer checksum only catches damage; the binding is what stops an older bundle's ledger (which
 * would bring erased applicants back) or snapshot being spliced into a newer bundle. Format: container.ts; restore:
 * restore-bundle.ts (re-exported here).
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { Encrypter } from 'age-encryption';
import { z } from 'zod';
import { GENESIS_HASH } from '../../../audit-chain';
import { loadDeviceKey, type StoredDeviceKey } from '../crypto/device-key';
import { parseStoredDeviceKey } from '../crypto/device-key-custody';
import { KEY_BYTES, openDatabase, toStorageError, type SqliteConnection } from '../db/open';
import { NexisError } from '../errors';
import { ErasureLedger, LEDGER_FILE } from '../lifecycle/erasure-ledger';
import { DEVICE_PUBLIC_KEY } from '../system/device-identity';
import { getMeta } from '../system/meta-store';
import {
  ContainerWriter,
  FORMAT_VERSION,
  forEachChunk,
  readLayout,
  readRange,
  withBundleFile,
  type ContainerLayout,
} from './container';
import { RecoveryError } from './errors';
import { checkRecipients, decrypterFor } from './recipients';
import { syncDirectory } from './fs-durable';

export const BUNDLE_EXTENSION = '.nexisbak';
const DEVICE_ID = /^DEV-[0-9A-F]{16}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

const HeaderSchema = z.strictObject({
  format: z.literal('nexis-recovery'),
  version: z.literal(FORMAT_VERSION),
  deviceId: z.string().regex(DEVICE_ID),
  createdAt: z.iso.datetime(),
  auditHead: z.strictObject({ seq: z.number().int().min(0), hash: z.string().regex(SHA256_HEX) }),
  migrations: z.number().int().min(0).max(10_000),
});
/** The clear part of a bundle: what the centre or a drive's index may show. No personal data, no key. */
export type RecoveryHeader = z.infer<typeof HeaderSchema>;

const SecretsSchema = z.strictObject({
  version: z.literal(FORMAT_VERSION),
  deviceId: z.string().regex(DEVICE_ID),
  /** The SQLCipher key, 64 hex characters. */
  dbKey: z.string().regex(/^[0-9a-f]{64}$/),
  deviceSecret: z.strictObject({ privateKeyPkcs8: z.string().max(200) }),
  /** SHA-256 of the other sections' bodies: the bundle is one whole, never pieces of several. */
  sections: z.strictObject({
    HEAD: z.string().regex(SHA256_HEX),
    DBSN: z.string().regex(SHA256_HEX),
    LEDG: z.string().regex(SHA256_HEX),
  }),
});
type Secrets = z.infer<typeof SecretsSchema>;

export interface WriteRecoveryBundleOptions {
  /** The workstation's open connection: the snapshot is a `VACUUM INTO`, consistent while the app keeps working. */
  readonly sqlite: SqliteConnection;
  /** The data folder (the erasure ledger is read from it). */
  readonly dataDir: string;
  readonly dbKey: Uint8Array;
  /** The device signing key as its custody stores it. */
  readonly deviceSecret: StoredDeviceKey;
  /** The bank's recovery recipients (age1…), from the baked trust file. */
  readonly recipients: readonly string[];
  /** A local folder (the name is hard-linked into place); off-device copies go through offsite.ts `writeToFolder`. */
  readonly outDir: string;
  readonly now: Date;
  readonly deviceId: string;
}

export interface WrittenRecoveryBundle {
  readonly file: string;
  readonly bytes: number;
  /** SHA-256 of the whole file (hex), for an off-device copy to be checked against. */
  readonly sha256: string;
  readonly header: RecoveryHeader;
}

export function bundleFileName(deviceId: string, createdAt: Date): string {
  return `nexis-recovery-${deviceId}-${createdAt.toISOString().replace(/[:.]/g, '-')}${BUNDLE_EXTENSION}`;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Writes one bundle into `outDir`, whole or not at all (a temporary name, fsynced, then linked to its name, which
 * refuses an existing one). The snapshot is taken before anything else, and the ledger read after it: every erasure
 * in the snapshot is already in the ledger (the ledger is written first), so the ledger is never older than the data.
 */
export async function writeRecoveryBundle(options: WriteRecoveryBundleOptions): Promise<WrittenRecoveryBundle> {
  const recipients = checkRecipients(options.recipients);
  if (options.dbKey.length !== KEY_BYTES) {
    throw new NexisError('DB_KEY_INVALID', `The database key must be ${KEY_BYTES} bytes.`);
  }
  const device = loadDeviceKey(parseStoredDeviceKey(options.deviceSecret.privateKeyPkcs8, 'The device secret'));
  if (device.deviceId !== options.deviceId) {
    throw new NexisError('DB_KEY_INVALID', `The device signing key given is not the key of ${options.deviceId}.`);
  }
  mkdirSync(options.outDir, { recursive: true, mode: 0o700 });
  const name = bundleFileName(options.deviceId, options.now);
  const file = join(options.outDir, name);
  if (existsSync(file)) {
    throw new NexisError('CONFLICT', `A recovery bundle named ${name} already exists.`);
  }
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const snapshot = join(options.outDir, `.snapshot-${tag}.partial`);
  const partial = join(options.outDir, `.${name}-${tag}.partial`);
  try {
    // Synchronous, before the first await: nothing else runs on this connection in between.
    try {
      options.sqlite.prepare('VACUUM INTO ?').run(snapshot);
    } catch (error) {
      throw toStorageError(error);
    }
    const facts = snapshotFacts(snapshot, options.dbKey, device.publicKey);
    const ledgerFile = join(options.dataDir, LEDGER_FILE);
    const ledger = existsSync(ledgerFile) ? readFileSync(ledgerFile) : Buffer.alloc(0);
    // A ledger that fails its MAC chain would make the restore fail years later; say so now.
    new ErasureLedger(ledgerFile, options.dbKey).entries();
    const header: RecoveryHeader = {
      format: 'nexis-recovery',
      version: FORMAT_VERSION,
      deviceId: options.deviceId,
      createdAt: options.now.toISOString(),
      auditHead: facts.auditHead,
      migrations: facts.migrations,
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const secrets: Secrets = {
      version: FORMAT_VERSION,
      deviceId: options.deviceId,
      dbKey: Buffer.from(options.dbKey).toString('hex'),
      deviceSecret: { privateKeyPkcs8: options.deviceSecret.privateKeyPkcs8 },
      sections: { HEAD: sha256(headerBytes), DBSN: facts.sha256, LEDG: sha256(ledger) },
    };
    const encrypter = new Encrypter();
    recipients.forEach((recipient) => encrypter.addRecipient(recipient));
    const keys = await encrypter.encrypt(JSON.stringify(secrets));

    const fd = openSync(partial, 'wx', 0o600);
    let checksum: string;
    try {
      const writer = new ContainerWriter(fd);
      writer.section('HEAD', headerBytes.length);
      writer.body(headerBytes);
      writer.section('KEYS', keys.length);
      writer.body(keys);
      writer.section('DBSN', facts.bytes);
      withBundleFile(snapshot, (source) => forEachChunk(source, 0, facts.bytes, (chunk) => writer.body(chunk)));
      writer.section('LEDG', ledger.length);
      writer.body(ledger);
      checksum = writer.finish();
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(partial, file);
    syncDirectory(options.outDir);
    return { file, bytes: statSync(file).size, sha256: checksum, header };
  } finally {
    rmSync(snapshot, { force: true });
    rmSync(partial, { force: true });
  }
}

/** Opens the snapshot as the restore will: it must open with the key, pass a quick check and belong to the device. */
function snapshotFacts(
  snapshot: string,
  key: Uint8Array,
  devicePublicKey: string,
): { auditHead: RecoveryHeader['auditHead']; migrations: number; bytes: number; sha256: string } {
  const opened = openDatabase({ file: snapshot, key, create: false, readonly: true });
  try {
    if (opened.sqlite.pragma('quick_check', { simple: true }) !== 'ok') {
      throw new NexisError('DB_CORRUPT', 'The database fails its check; no recovery bundle was written.');
    }
    const recorded = getMeta(opened.db, DEVICE_PUBLIC_KEY);
    if (recorded !== undefined && recorded !== devicePublicKey) {
      throw new NexisError('DB_KEY_INVALID', 'The device signing key given does not belong to this database.');
    }
    const head = opened.sqlite
      .prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')
      .get() ?? { seq: 0, hash: GENESIS_HASH };
    const migrations = opened.sqlite
      .prepare<[], { n: number }>('SELECT count(*) AS n FROM __drizzle_migrations')
      .get()?.n;
    const bytes = statSync(snapshot).size;
    const hash = createHash('sha256');
    withBundleFile(snapshot, (fd) => forEachChunk(fd, 0, bytes, (chunk) => hash.update(chunk)));
    return {
      auditHead: { seq: head.seq, hash: head.hash },
      migrations: migrations ?? 0,
      bytes,
      sha256: hash.digest('hex'),
    };
  } catch (error) {
    throw toStorageError(error);
  } finally {
    opened.sqlite.close();
  }
}

/** A bundle checked and opened with the bank's identity; nothing is written yet. */
export interface RecoveryBundle {
  readonly file: string;
  readonly header: RecoveryHeader;
  readonly dbKey: Buffer;
  readonly deviceSecret: StoredDeviceKey;
  /** SHA-256 of the whole file (hex). */
  readonly sha256: string;
  readonly layout: ContainerLayout;
  readonly ledger: Buffer;
}

/** The age file of the secrets block, after the container's checks: for `age -d` on the bank's offline machine. */
export function extractSecretsBlock(file: string): Buffer {
  return withBundleFile(file, (fd) => {
    const { sections } = readLayout(fd);
    return readRange(fd, sections.KEYS.offset, sections.KEYS.length);
  });
}

function parseJson<T>(bytes: Uint8Array, schema: z.ZodType<T>): T | undefined {
  try {
    return schema.parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
  } catch {
    return undefined;
  }
}

/**
 * Reads a bundle as hostile input: the container (size, magic, version, every length, checksum), the header, then
 * the secrets block with the identity, then every binding. Throws RecoveryError; writes nothing.
 */
export async function readRecoveryBundle(file: string, identity: string): Promise<RecoveryBundle> {
  const decrypter = decrypterFor(identity);
  const { layout, headerBytes, keys, ledger } = withBundleFile(file, (fd) => {
    const found = readLayout(fd);
    const { HEAD, KEYS, LEDG } = found.sections;
    return {
      layout: found,
      headerBytes: readRange(fd, HEAD.offset, HEAD.length),
      keys: readRange(fd, KEYS.offset, KEYS.length),
      ledger: readRange(fd, LEDG.offset, LEDG.length),
    };
  });
  const header = parseJson(headerBytes, HeaderSchema);
  if (header === undefined) {
    throw new RecoveryError('BUNDLE_HEADER', 'The recovery bundle header is not in the expected format.');
  }
  let plain: Uint8Array;
  try {
    plain = await decrypter.decrypt(keys);
  } catch (error) {
    // age-encryption has no error classes; this message is its documented "not for you" case, anything else is damage.
    if (error instanceof Error && /no identity matched/.test(error.message)) {
      throw new RecoveryError(
        'IDENTITY_MISMATCH',
        "This recovery bundle was not encrypted to this identity: use the bank's recovery key it was made for.",
      );
    }
    throw new RecoveryError('BUNDLE_SECRETS', 'The secrets block of the recovery bundle cannot be read.', {
      cause: error,
    });
  }
  const secrets = parseJson(plain, SecretsSchema);
  if (secrets === undefined) {
    throw new RecoveryError(
      'BUNDLE_SECRETS',
      'The secrets block of the recovery bundle is not in the expected format.',
    );
  }
  const { sectionSha256 } = layout;
  if (
    secrets.sections.HEAD !== sectionSha256.HEAD ||
    secrets.sections.DBSN !== sectionSha256.DBSN ||
    secrets.sections.LEDG !== sectionSha256.LEDG ||
    secrets.deviceId !== header.deviceId
  ) {
    throw new RecoveryError('BUNDLE_BINDING', 'The recovery bundle was put together from parts of different bundles.');
  }
  let deviceSecret: StoredDeviceKey;
  try {
    deviceSecret = parseStoredDeviceKey(secrets.deviceSecret.privateKeyPkcs8, 'The recovered device secret');
    if (loadDeviceKey(deviceSecret).deviceId !== header.deviceId) {
      throw new Error('device id');
    }
  } catch (error) {
    throw new RecoveryError('BUNDLE_BINDING', `The recovered device key is not the key of ${header.deviceId}.`, {
      cause: error,
    });
  }
  return {
    file,
    header,
    dbKey: Buffer.from(secrets.dbKey, 'hex'),
    deviceSecret,
    sha256: layout.checksum,
    layout,
    ledger,
  };
}

export { restoreRecoveryBundle, type RestoredRecovery } from './restore-bundle';
