/**
 * `npm run nexis -- verify-audit`: checks a workstation's audit chain against keys that come from OUTSIDE the
 * database, since whoever holds the database key can change anything inside it:
 *  - checkpoints must be signed by the device key given with `--device-key` (the public key the central server
 *    recorded at enrolment) or, failing that, the one derived from the device's own key file;
 *  - with `--server-key`, the latest central countersignature must verify with one of the given server keys and
 *    match the local chain at its sequence: entries up to there are exactly what the server holds.
 * What this proves, and the residual window of entries not yet countersigned: docs/audit-format.md §8.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deviceIdFor, publicKeyFromBase64, verifySignature } from '../../../audit-chain';
import { countersignatureMessage } from '../../../shared/sync/messages';
import { CountersignatureSchema, type Countersignature } from '../../../shared/sync/push';
import { verifyAuditChain } from '../audit/verify';
import { loadDeviceKey } from '../crypto/device-key';
import { fileDeviceKeyCustody } from '../crypto/device-key-custody';
import { DATABASE_FILE, resolveNodeDbKey } from '../db/keys';
import { openDatabase, type SqliteConnection } from '../db/open';
import { NexisError } from '../errors';
import { SYNC_KEYS } from '../sync/state';
import { DEVICE_PUBLIC_KEY } from '../system/device-identity';
import { getMeta } from '../system/meta-store';

export interface VerifyAuditOptions {
  readonly dataDir: string;
  /** Files holding the device's public key (PEM, or SPKI DER in base64). */
  readonly deviceKeyFile?: string;
  /** Files holding trusted server signing keys (PEM, or SPKI DER in base64); any may have countersigned. */
  readonly serverKeyFiles?: readonly string[];
  readonly write: (line: string) => void;
}

/** A public key file as SPKI DER in base64: PEM (`-----BEGIN PUBLIC KEY-----`) or the base64 itself. */
export function readPublicKeyFile(file: string): string {
  const text = readFileSync(file, 'utf8').trim();
  try {
    const key = text.startsWith('-----BEGIN') ? createPublicKey(text) : publicKeyFromBase64(text);
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new Error('not Ed25519');
    }
    return key.export({ format: 'der', type: 'spki' }).toString('base64');
  } catch {
    throw new NexisError('INVALID_INPUT', `${file} does not hold an Ed25519 public key (PEM or base64 SPKI).`);
  }
}

function trustedDeviceKey(dataDir: string, deviceKeyFile: string | undefined): { publicKey: string; source: string } {
  if (deviceKeyFile !== undefined) {
    return { publicKey: readPublicKeyFile(deviceKeyFile), source: deviceKeyFile };
  }
  const custody = fileDeviceKeyCustody(dataDir);
  const stored = custody.load();
  if (stored === null) {
    throw new NexisError(
      'NOT_FOUND',
      `No device key to verify against: ${custody.location} is missing. Pass --device-key with the public key the central server recorded at enrolment.`,
    );
  }
  return { publicKey: loadDeviceKey(stored).publicKey, source: custody.location };
}

function storedCountersignature(sqlite: SqliteConnection): Countersignature | null {
  const raw = sqlite
    .prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?')
    .get(SYNC_KEYS.countersigned)?.value;
  if (raw === undefined) {
    return null;
  }
  const parsed = CountersignatureSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}

/** Exit code 0 when everything checked verifies, 1 when something does not. */
export async function verifyAuditCommand(options: VerifyAuditOptions): Promise<number> {
  const { dataDir, write } = options;
  const dbKey = resolveNodeDbKey({ dataDir });
  const file = join(dataDir, DATABASE_FILE);
  const trusted = trustedDeviceKey(dataDir, options.deviceKeyFile);
  const device = { deviceId: deviceIdFor(Buffer.from(trusted.publicKey, 'base64')), publicKey: trusted.publicKey };
  const { sqlite, db } = openDatabase({ file, key: dbKey, create: false, readonly: true });
  try {
    let ok = true;
    write(`device ${device.deviceId} (public key from ${trusted.source})`);
    const recorded = getMeta(db, DEVICE_PUBLIC_KEY);
    if (recorded !== undefined && recorded !== device.publicKey) {
      write('the database records a different device key: its checkpoints cannot be trusted');
      ok = false;
    }
    const started = performance.now();
    const result = await verifyAuditChain(sqlite, device, { file, key: dbKey });
    const ms = (performance.now() - started).toFixed(0);
    if (result.ok) {
      write(
        `audit chain OK: ${result.entries} entries, ${result.checkpoints} signed checkpoints, head ${result.headHash} (${ms} ms)`,
      );
    } else {
      write(`audit chain BROKEN at sequence ${result.firstBadSeq}: ${result.reason}`);
      write(`${result.entries} entries verified before it (${ms} ms)`);
      return 1;
    }
    if (options.serverKeyFiles !== undefined && options.serverKeyFiles.length > 0) {
      ok = checkCountersignature(sqlite, device.deviceId, options.serverKeyFiles, result.entries, write) && ok;
    } else {
      write('central countersignature not checked (give --server-key to check it)');
    }
    return ok ? 0 : 1;
  } finally {
    sqlite.close();
  }
}

function checkCountersignature(
  sqlite: SqliteConnection,
  deviceId: string,
  serverKeyFiles: readonly string[],
  head: number,
  write: (line: string) => void,
): boolean {
  const serverKeys = serverKeyFiles.map((f) => publicKeyFromBase64(readPublicKeyFile(f)));
  const c = storedCountersignature(sqlite);
  const enrolled = sqlite
    .prepare<[string], { n: number }>('SELECT count(*) AS n FROM meta WHERE key = ?')
    .get(SYNC_KEYS.serverPublicKey)?.n;
  if (c === null) {
    write(
      enrolled === 1
        ? 'NO central countersignature recorded although this workstation is enrolled: it was never pushed, or the record was removed'
        : 'no central countersignature: this workstation is not enrolled with a central server',
    );
    return enrolled !== 1;
  }
  const localHash = sqlite.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?').get(c.seq);
  const message = countersignatureMessage(deviceId, c.seq, c.headHash);
  if (c.deviceId !== deviceId || !serverKeys.some((key) => verifySignature(key, message, c.serverSignature))) {
    write(`central countersignature at entry ${c.seq} does NOT verify with the given server key(s)`);
    return false;
  }
  if (localHash?.hash !== c.headHash) {
    write(`entry ${c.seq} differs from what the central server countersigned: history up to it was rewritten`);
    return false;
  }
  write(`central countersignature OK at entry ${c.seq} (${c.countersignedAt}): entries 1-${c.seq} match the server`);
  if (head > c.seq) {
    write(`entries ${c.seq + 1}-${head} are not yet countersigned: they rest on this device's key alone`);
  }
  return true;
}
