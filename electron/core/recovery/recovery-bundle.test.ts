/**
 * Recovery bundles end to end on a real workstation: written from the open database, read with the bank's age
 * identity, restored into a fresh folder and opened by createWorkstation with the recovered keys. Then attacked: a
 * wrong identity, a flipped byte anywhere, truncations, oversized lengths, sections spliced from an older bundle, a
 * non-empty target. And read by the standard age tool, as the bank's IT would on its offline machine.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fileDeviceKeyCustody } from '../crypto/device-key-custody';
import { LEDGER_FILE } from '../lifecycle/erasure-ledger';
import { consentFor, intakeReady, PERSON } from '../testing/intake-fixtures';
import {
  createTempWorkstation,
  makeTempDir,
  TEST_SCRYPT_COST,
  type TempWorkstation,
} from '../testing/temp-workstation';
import { createWorkstation } from '../workstation';
import { ContainerWriter, readLayout, SECTION_LIMITS, SECTION_TAGS, withBundleFile } from './container';
import { RecoveryError, type RecoveryFailure } from './errors';
import {
  extractSecretsBlock,
  readRecoveryBundle,
  restoreRecoveryBundle,
  writeRecoveryBundle,
  type WrittenRecoveryBundle,
} from './recovery-bundle';

const AGE = '/usr/bin/age';
const AGE_KEYGEN = '/usr/bin/age-keygen';
const hasAge = existsSync(AGE) && existsSync(AGE_KEYGEN);

let identity: string;
let recipient: string;
beforeAll(async () => {
  identity = await generateX25519Identity();
  recipient = await identityToRecipient(identity);
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
});

/** Letters only (the name rules allow them), unique per run: a string no bundle may contain in clear. */
function marker(): string {
  return [...randomBytes(12)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
}

async function workstation(): Promise<TempWorkstation> {
  const t = createTempWorkstation();
  cleanups.push(() => t.cleanup());
  await intakeReady(t);
  return t;
}

function register(t: TempWorkstation, fullName: string, nationalId = PERSON.nationalId): string {
  const officer = t.ws.officers.list().find((o) => o.role === 'officer');
  return t.ws.applicants.register(officer?.id ?? '', { ...PERSON, fullName, nationalId }, consentFor(t.ws)).applicantId;
}

function tempDir(): string {
  const dir = makeTempDir('nexis-recovery-');
  cleanups.push(() => execFileSync('rm', ['-rf', dir]));
  return dir;
}

function bundleOf(t: TempWorkstation, recipients = [recipient], at = t.clock.now()): Promise<WrittenRecoveryBundle> {
  const deviceSecret = fileDeviceKeyCustody(t.dir).load();
  if (deviceSecret === null) {
    throw new Error('no device key');
  }
  return writeRecoveryBundle({
    sqlite: t.ws.store.sqlite,
    dataDir: t.dir,
    dbKey: t.key,
    deviceSecret,
    recipients,
    outDir: join(t.dir, 'recovery'),
    now: at,
    deviceId: t.ws.deviceKey.deviceId,
  });
}

/** What a failed recovery must leave: an error with a reason, and no target folder. */
async function refusal(file: string, withIdentity = identity): Promise<RecoveryFailure> {
  const target = join(tempDir(), 'restored');
  try {
    restoreRecoveryBundle(await readRecoveryBundle(file, withIdentity), target);
  } catch (error) {
    expect(error).toBeInstanceOf(RecoveryError);
    expect(existsSync(target)).toBe(false);
    return (error as RecoveryError).reason;
  }
  throw new Error('the bundle was accepted');
}

function altered(file: string, change: (bytes: Buffer) => Buffer): string {
  const out = join(tempDir(), 'altered.nexisbak');
  writeFileSync(out, change(Buffer.from(readFileSync(file))));
  return out;
}

/** Reassembles a valid container (fresh checksum) from sections of other bundles, optionally changing a body. */
function spliced(
  parts: Record<(typeof SECTION_TAGS)[number], string>,
  change: (tag: (typeof SECTION_TAGS)[number], body: Buffer) => Buffer = (_tag, body) => body,
): string {
  const out = join(tempDir(), 'spliced.nexisbak');
  const fd = openSync(out, 'wx');
  try {
    const writer = new ContainerWriter(fd);
    for (const tag of SECTION_TAGS) {
      const body = withBundleFile(parts[tag], (source) => {
        const { offset, length } = readLayout(source).sections[tag];
        return change(tag, Buffer.from(readFileSync(parts[tag]).subarray(offset, offset + length)));
      });
      writer.section(tag, body.length);
      writer.body(body);
    }
    writer.finish();
  } finally {
    closeSync(fd);
  }
  return out;
}

describe('recovery bundle', () => {
  it('brings a workstation back from its bundle with the bank identity: applicants, audit chain, erasures', async () => {
    const t = await workstation();
    const name = `Zawadi ${marker()}`;
    const kept = register(t, name);
    const erased = register(t, `Baraka ${marker()}`, '31234567');
    t.ws.applicants.erase('system', erased, 'data-subject-request');
    const head = t.ws.store.audit.head();
    const written = await bundleOf(t);
    expect(written.file).toMatch(/nexis-recovery-DEV-[0-9A-F]{16}-.*\.nexisbak$/);
    expect(readdirSync(join(t.dir, 'recovery'))).toEqual([written.file.split('/').pop()]);
    expect(written.header).toEqual({
      format: 'nexis-recovery',
      version: 1,
      deviceId: t.ws.deviceKey.deviceId,
      createdAt: t.clock.now().toISOString(),
      auditHead: { seq: head.seq, hash: head.hash },
      migrations: readdirSync(join('electron', 'core', 'db', 'migrations')).filter((f) => f.endsWith('.sql')).length,
    });

    const bundle = await readRecoveryBundle(written.file, identity);
    expect(bundle.sha256).toBe(written.sha256);
    const target = join(tempDir(), 'laptop-2');
    const restored = restoreRecoveryBundle(bundle, target);
    expect(restored.dbKey.equals(t.key)).toBe(true);
    expect(restored.deviceSecret).toEqual(fileDeviceKeyCustody(t.dir).load());
    expect(readFileSync(join(target, LEDGER_FILE))).toEqual(readFileSync(join(t.dir, LEDGER_FILE)));
    expect(readdirSync(target).sort()).toEqual([LEDGER_FILE, 'nexis.db']);

    // The caller's part: the keys into custody (here the Node key file), then an ordinary start.
    fileDeviceKeyCustody(target).create(restored.deviceSecret);
    const ws = createWorkstation({ dataDir: target, dbKey: restored.dbKey, scryptCost: TEST_SCRYPT_COST });
    try {
      expect(ws.deviceKey.deviceId).toBe(t.ws.deviceKey.deviceId);
      expect(ws.applicants.get(kept).status).toBe('active');
      expect(ws.applicants.personal(kept)?.fullName).toBe(name);
      expect(ws.applicants.get(erased).status).toBe('erased');
      expect(ws.applicants.personal(erased)).toBeNull();
      const verification = await ws.audit.verify('system');
      expect(verification.ok).toBe(true);
      const at = ws.store.sqlite
        .prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?')
        .get(head.seq);
      expect(at?.hash).toBe(head.hash);
    } finally {
      ws.close();
    }
  });

  it('holds no personal data, no key and no device secret in clear', async () => {
    const t = await workstation();
    const canary = marker();
    const nationalId = String(10_000_000 + (randomBytes(3).readUIntBE(0, 3) % 89_999_999));
    register(t, `Canary ${canary}`, nationalId);
    const bytes = readFileSync((await bundleOf(t)).file);
    const secret = fileDeviceKeyCustody(t.dir).load()?.privateKeyPkcs8 ?? 'missing';
    for (const needle of [
      Buffer.from(canary, 'utf8'),
      Buffer.from(canary, 'utf16le'),
      Buffer.from(nationalId, 'utf8'),
      Buffer.from(PERSON.phone, 'utf8'),
      t.key,
      Buffer.from(t.key.toString('hex'), 'utf8'),
      Buffer.from(secret, 'utf8'),
      Buffer.from(secret, 'base64'),
    ]) {
      expect(bytes.includes(needle)).toBe(false);
    }
  });

  it('refuses an identity it was not made for, and one that is not an age identity', async () => {
    const t = await workstation();
    const { file } = await bundleOf(t);
    expect(await refusal(file, await generateX25519Identity())).toBe('IDENTITY_MISMATCH');
    await expect(readRecoveryBundle(file, await generateX25519Identity())).rejects.toMatchObject({
      code: 'DB_KEY_INVALID',
    });
    for (const bad of [
      '',
      'AGE-SECRET-KEY-1',
      identity.toLowerCase(),
      identity.slice(0, -1) + (identity.endsWith('Q') ? 'P' : 'Q'),
      recipient,
    ]) {
      expect(await refusal(file, bad)).toBe('IDENTITY_INVALID');
    }
    // Two recipients: either holder can recover (a spare key in the bank's safe).
    const spare = await generateX25519Identity();
    const both = await bundleOf(
      t,
      [recipient, await identityToRecipient(spare)],
      new Date(t.clock.now().getTime() + 1),
    );
    expect((await readRecoveryBundle(both.file, spare)).dbKey.equals(t.key)).toBe(true);
  });

  it('refuses to write to recipients that are not 1-4 age X25519 recipients', async () => {
    const t = await workstation();
    const others = await Promise.all([1, 2, 3, 4].map(async () => identityToRecipient(await generateX25519Identity())));
    for (const recipients of [
      [],
      [...others, recipient],
      ['age1notarecipient'],
      [recipient.slice(0, -1) + (recipient.endsWith('q') ? 'p' : 'q')],
    ]) {
      await expect(bundleOf(t, recipients)).rejects.toMatchObject({ reason: 'RECIPIENTS_INVALID' });
    }
    expect(existsSync(join(t.dir, 'recovery'))).toBe(false);
  });

  it('refuses to bundle an erasure ledger that fails its check, leaving no file behind', async () => {
    const t = await workstation();
    t.ws.applicants.erase('system', register(t, `Ledger ${marker()}`), 'data-subject-request');
    const ledgerFile = join(t.dir, LEDGER_FILE);
    writeFileSync(ledgerFile, readFileSync(ledgerFile, 'utf8').replace('data-subject-request', 'consent-withdrawn'));
    await expect(bundleOf(t)).rejects.toMatchObject({ code: 'DB_CORRUPT' });
    expect(readdirSync(join(t.dir, 'recovery'))).toEqual([]);
  });

  it('refuses a flipped byte anywhere, with a typed error, writing nothing', async () => {
    const t = await workstation();
    register(t, `Flip ${marker()}`);
    const { file } = await bundleOf(t);
    const size = readFileSync(file).length;
    const { sections } = withBundleFile(file, readLayout);
    // Every structural byte's neighbourhood, each section's first and last byte, and a spread through the rest.
    const positions = new Set<number>([0, 7, 8, 9, 10, 11, size - 32, size - 1]);
    for (const tag of SECTION_TAGS) {
      const { offset, length } = sections[tag];
      for (const p of [offset - 12, offset - 9, offset - 1, offset, offset + length - 1]) {
        positions.add(p);
      }
    }
    for (let i = 0; i < 40; i += 1) {
      positions.add(Math.floor((size * (i + 0.5)) / 40));
    }
    const reasons = new Set<RecoveryFailure>();
    for (const position of positions) {
      if (position < 0 || position >= size) {
        continue;
      }
      const reason = await refusal(
        altered(file, (b) => {
          b[position] = (b[position] ?? 0) ^ 0x01;
          return b;
        }),
      );
      expect(['BUNDLE_MAGIC', 'BUNDLE_VERSION', 'BUNDLE_LENGTH', 'BUNDLE_SIZE', 'BUNDLE_CHECKSUM']).toContain(reason);
      reasons.add(reason);
    }
    expect([...reasons].sort()).toEqual(['BUNDLE_CHECKSUM', 'BUNDLE_LENGTH', 'BUNDLE_MAGIC', 'BUNDLE_VERSION']);
  });

  it('refuses truncated and extended files and oversized length fields before reading them', async () => {
    const t = await workstation();
    const { file } = await bundleOf(t);
    const bytes = readFileSync(file);
    for (const keep of [0, 1, 11, 60, 100, Math.floor(bytes.length / 2), bytes.length - 33, bytes.length - 1]) {
      expect(['BUNDLE_SIZE', 'BUNDLE_LENGTH']).toContain(await refusal(altered(file, (b) => b.subarray(0, keep))));
    }
    expect(await refusal(altered(file, (b) => Buffer.concat([b, Buffer.from([0])])))).toBe('BUNDLE_LENGTH');
    const { sections } = withBundleFile(file, readLayout);
    const lengthAt = (tag: (typeof SECTION_TAGS)[number]) => sections[tag].offset - 8;
    const setLength = (tag: (typeof SECTION_TAGS)[number], value: bigint) =>
      altered(file, (b) => {
        b.writeBigUInt64BE(value, lengthAt(tag));
        return b;
      });
    for (const tag of SECTION_TAGS) {
      expect(await refusal(setLength(tag, 2n ** 64n - 1n))).toBe('BUNDLE_LENGTH');
      expect(await refusal(setLength(tag, 2n ** 53n + 1n))).toBe('BUNDLE_LENGTH');
      expect(await refusal(setLength(tag, BigInt(SECTION_LIMITS[tag]) + 1n))).toBe('BUNDLE_LENGTH');
    }
    expect(await refusal(setLength('HEAD', BigInt(sections.HEAD.length + 1)))).toBe('BUNDLE_LENGTH');
    expect(
      await refusal(altered(file, () => Buffer.from('not a bundle at all, but long enough to be one'.repeat(4)))),
    ).toBe('BUNDLE_MAGIC');
  });

  it("refuses an older bundle's ledger or snapshot spliced into a newer one, even with a valid checksum", async () => {
    const t = await workstation();
    const erased = register(t, `Old ${marker()}`);
    const older = await bundleOf(t);
    t.clock.advance(60_000);
    t.ws.applicants.erase('system', erased, 'data-subject-request');
    const newer = await bundleOf(t);
    const mixes = [
      { HEAD: newer.file, KEYS: newer.file, DBSN: newer.file, LEDG: older.file },
      { HEAD: newer.file, KEYS: newer.file, DBSN: older.file, LEDG: newer.file },
      { HEAD: older.file, KEYS: newer.file, DBSN: newer.file, LEDG: newer.file },
    ];
    for (const mix of mixes) {
      expect(await refusal(spliced(mix))).toBe('BUNDLE_BINDING');
    }
    // The same reassembly of one bundle's own parts is accepted: the refusal above is the binding, not the splicing.
    const whole = spliced({ HEAD: newer.file, KEYS: newer.file, DBSN: newer.file, LEDG: newer.file });
    expect((await readRecoveryBundle(whole, identity)).header).toEqual(newer.header);
  });

  it('refuses a changed section even when the checksum is recomputed (someone who knows the format)', async () => {
    const t = await workstation();
    register(t, `Forge ${marker()}`);
    const { file } = await bundleOf(t);
    const own = { HEAD: file, KEYS: file, DBSN: file, LEDG: file };
    const flip = (target: string, at: (length: number) => number) =>
      spliced(own, (tag, body) => {
        if (tag === target && body.length > 0) {
          const i = at(body.length);
          body[i] = (body[i] ?? 0) ^ 0x01;
        }
        return body;
      });
    for (const at of [(n: number) => n - 1, (n: number) => Math.floor(n / 2), () => 200]) {
      expect(await refusal(flip('DBSN', at))).toBe('BUNDLE_BINDING');
      expect(['BUNDLE_SECRETS', 'IDENTITY_MISMATCH']).toContain(await refusal(flip('KEYS', at)));
    }
    // A header byte either breaks its JSON or changes a fact the secrets block bound.
    for (const at of [() => 0, (n: number) => n - 2, (n: number) => Math.floor(n / 2)]) {
      expect(['BUNDLE_HEADER', 'BUNDLE_BINDING']).toContain(await refusal(flip('HEAD', at)));
    }
    const extraLedgerLine = spliced(own, (tag, body) =>
      tag === 'LEDG' ? Buffer.concat([body, Buffer.from('{}\n')]) : body,
    );
    expect(await refusal(extraLedgerLine)).toBe('BUNDLE_BINDING');
  });

  it('restores only into an absent or empty folder and leaves a non-empty one as it was', async () => {
    const t = await workstation();
    const bundle = await readRecoveryBundle((await bundleOf(t)).file, identity);
    const occupied = tempDir();
    writeFileSync(join(occupied, 'nexis.db'), 'someone else');
    expect(() => restoreRecoveryBundle(bundle, occupied)).toThrow(
      expect.objectContaining({ reason: 'TARGET_NOT_EMPTY', code: 'CONFLICT' }),
    );
    expect(readFileSync(join(occupied, 'nexis.db'), 'utf8')).toBe('someone else');
    const empty = join(tempDir(), 'empty');
    mkdirSync(empty);
    expect(restoreRecoveryBundle(bundle, empty).ledgerFile).toBeNull();
    expect(readdirSync(empty)).toEqual(['nexis.db']);
  });
});

describe.skipIf(!hasAge)(
  `interop with the standard age tool (${hasAge ? AGE : 'skipped: /usr/bin/age is not installed'})`,
  () => {
    it('age-keygen makes the bank identity; age -d reads the secrets block the bundle carries', async () => {
      const t = await workstation();
      const dir = tempDir();
      const identityFile = join(dir, 'bank-recovery.txt');
      execFileSync(AGE_KEYGEN, ['-o', identityFile], { stdio: 'pipe' });
      const bankRecipient = /# public key: (age1\w+)/.exec(readFileSync(identityFile, 'utf8'))?.[1] ?? '';
      const { file } = await bundleOf(t, [bankRecipient]);

      const block = join(dir, 'keys.age');
      writeFileSync(block, extractSecretsBlock(file));
      const decrypted = JSON.parse(execFileSync(AGE, ['-d', '-i', identityFile, block], { encoding: 'utf8' })) as {
        dbKey: string;
        deviceSecret: { privateKeyPkcs8: string };
        deviceId: string;
      };
      expect(decrypted.dbKey).toBe(t.key.toString('hex'));
      expect(decrypted.deviceSecret).toEqual(fileDeviceKeyCustody(t.dir).load());
      expect(decrypted.deviceId).toBe(t.ws.deviceKey.deviceId);
      // The same identity file, comments and all, opens the bundle here too.
      const bundle = await readRecoveryBundle(file, readFileSync(identityFile, 'utf8'));
      expect(bundle.dbKey.toString('hex')).toBe(decrypted.dbKey);
      expect(bundle.deviceSecret).toEqual(decrypted.deviceSecret);
    });

    it('a secrets block age encrypted on its own is not taken for a bundle', () => {
      const dir = tempDir();
      const identityFile = join(dir, 'id.txt');
      execFileSync(AGE_KEYGEN, ['-o', identityFile], { stdio: 'pipe' });
      const plain = join(dir, 'plain.json');
      writeFileSync(plain, '{}');
      const out = join(dir, 'plain.age');
      execFileSync(AGE, ['-e', '-i', identityFile, '-o', out, plain]);
      expect(() => extractSecretsBlock(out)).toThrow(expect.objectContaining({ reason: 'BUNDLE_MAGIC' }));
    });
  },
);
