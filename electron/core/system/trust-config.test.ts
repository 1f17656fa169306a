/**
 * The bank trust file, attacked: the development key, the compromised first development key, a key of the wrong
 * kind, a private key pasted in, http, credentials in the URL, extra fields, an oversized file, junk around a CA.
 * Then what a good file gives: the bank's key verifies its packages and no other key's.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackageBytes } from '../../../models/package/files';
import { keyIdOf, signPackage } from '../../../models/package/signing';
import { verifyModelPackage } from '../../../models/runtime';
import { COMPROMISED_DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_ID } from '../../../models/cli/dev-keys';
import { defaultModelDir, developmentPublicKeyPath } from '../scoring/model-service';
import {
  developmentTrust,
  isTrustedServer,
  parseTrustFile,
  readTrustFile,
  TRUST_FILE_MAX_BYTES,
  trustedTransportFor,
  type TrustFile,
} from './trust-config';

const pem = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();
const bank = generateKeyPairSync('ed25519');
const DEV_PUBLIC_PEM = readFileSync(developmentPublicKeyPath(), 'utf8');
/** The first development public key; its private half is in the git history. */
const COMPROMISED_PUBLIC_PEM =
  '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAu2Q+UsnzcJUbzSWWxCaDRkb8Kk2gqX9v2tQloXyMhmI=\n-----END PUBLIC KEY-----\n';

const good: TrustFile = {
  bankName: 'Example Bank',
  releasePublicKeyPem: pem(bank.publicKey),
  centralServerUrl: 'https://central.bank.example/',
  centralServerSpkiPins: ['47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='],
  updateChannel: 'pilot',
};
/** Public halves of two age-keygen keys (the private halves were never kept). */
const RECOVERY = 'age1k2r5eeaqudg8pc9ukdx32yvv3l77k5p4h0d8xaww3ac5axydrsvqv3scum';
const SPARE = 'age1adyxuekssr807ve8cdltpdu7370lx2n65lwq9af83hvpa8vlz9gswms7ul';
const text = (file: unknown): string => JSON.stringify(file);
const refusal = (file: unknown): unknown => {
  try {
    parseTrustFile(typeof file === 'string' ? file : text(file));
  } catch (error) {
    return error;
  }
  throw new Error('the trust file was accepted');
};

describe('bank trust file', () => {
  it('accepts a bank file and normalises the server address', () => {
    const trust = parseTrustFile(text(good));
    expect(trust).toMatchObject({
      source: 'baked',
      bankName: 'Example Bank',
      releaseKeyId: keyIdOf(bank.publicKey),
      centralServer: { url: 'https://central.bank.example', spkiPins: good.centralServerSpkiPins },
      updateChannel: 'pilot',
    });
    expect(isTrustedServer(trust.centralServer, 'https://central.bank.example')).toBe(true);
    expect(isTrustedServer(trust.centralServer, 'https://CENTRAL.bank.example:443/')).toBe(true);
    expect(isTrustedServer(trust.centralServer, 'https://central.bank.example.evil.test')).toBe(false);
    expect(isTrustedServer(trust.centralServer, 'http://central.bank.example')).toBe(false);
  });

  it('refuses the development key and the compromised first development key', () => {
    expect(keyIdOf(createPublicKey(DEV_PUBLIC_PEM))).toBe(DEVELOPMENT_KEY_ID);
    expect(keyIdOf(createPublicKey(COMPROMISED_PUBLIC_PEM))).toBe(COMPROMISED_DEVELOPMENT_KEY_ID);
    expect(refusal({ ...good, releasePublicKeyPem: DEV_PUBLIC_PEM })).toMatchObject({
      code: 'TRUST_DEVELOPMENT_KEY',
      message: expect.stringContaining(DEVELOPMENT_KEY_ID),
    });
    expect(refusal({ ...good, releasePublicKeyPem: COMPROMISED_PUBLIC_PEM })).toMatchObject({
      code: 'TRUST_DEVELOPMENT_KEY',
      message: expect.stringMatching(/private half is public in the git history/),
    });
  });

  it('refuses a key that is not one Ed25519 public key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    for (const key of [pem(rsa), pem(ec)]) {
      expect(refusal({ ...good, releasePublicKeyPem: key })).toMatchObject({ code: expect.stringMatching(/^TRUST_/) });
    }
    expect(refusal({ ...good, releasePublicKeyPem: pem(ec) })).toMatchObject({ code: 'TRUST_KEY_INVALID' });
    const privatePem = bank.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    for (const bad of [
      privatePem,
      `${pem(bank.publicKey)}${privatePem}`,
      pem(bank.publicKey).replace('MCow', 'MCox'),
      pem(bank.publicKey).replace(/\n-----END/, 'garbage\n-----END'),
      '',
    ]) {
      expect(refusal({ ...good, releasePublicKeyPem: bad })).toMatchObject({
        code: expect.stringMatching(/^TRUST_(KEY_)?INVALID$/),
      });
    }
  });

  it('refuses http, credentials, queries and non-URLs', () => {
    for (const url of [
      'http://central.bank.example',
      'ftp://central.bank.example',
      'https://user:pass@central.bank.example',
      'https://central.bank.example/?next=evil',
      'https://central.bank.example/#x',
      'central.bank.example',
      'javascript:alert(1)',
    ]) {
      expect(refusal({ ...good, centralServerUrl: url })).toMatchObject({ code: 'TRUST_URL_INVALID' });
    }
  });

  it('refuses extra or missing fields, wrong types, bad pins, an unknown channel, non-JSON and an oversized file', () => {
    const { bankName: _bankName, ...noName } = good;
    for (const file of [
      { ...good, trustAnyKey: true },
      { ...good, releasePublicKeyPems: [pem(bank.publicKey)] },
      noName,
      { ...good, updateChannel: 'beta' },
      { ...good, centralServerSpkiPins: ['not a pin'] },
      { ...good, centralServerSpkiPins: [] },
      { ...good, centralServerSpkiPins: ['47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFX='] },
      [good],
      null,
    ]) {
      expect(refusal(file)).toMatchObject({ code: 'TRUST_INVALID' });
    }
    expect(refusal('{"bankName": ')).toMatchObject({ code: 'TRUST_INVALID' });
    expect(refusal(Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString('latin1'))).toMatchObject({ code: 'TRUST_INVALID' });
    const padded = text({ ...good, bankName: `Example Bank${' '.repeat(TRUST_FILE_MAX_BYTES)}` });
    expect(refusal(padded)).toMatchObject({ code: 'TRUST_TOO_LARGE' });
    const dir = mkdtempSync(join(tmpdir(), 'nexis-trust-'));
    try {
      writeFileSync(join(dir, 'big.json'), padded);
      expect(() => readTrustFile(join(dir, 'big.json'))).toThrow(expect.objectContaining({ code: 'TRUST_TOO_LARGE' }));
      expect(() => readTrustFile(join(dir, 'absent.json'))).toThrow(expect.objectContaining({ code: 'TRUST_MISSING' }));
      writeFileSync(join(dir, 'trust.json'), text(good));
      expect(readTrustFile(join(dir, 'trust.json')).releaseKeyId).toBe(keyIdOf(bank.publicKey));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a CA field that is not only certificates', () => {
    const privatePem = bank.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    for (const ca of [
      'not a certificate',
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      privatePem,
    ]) {
      expect(refusal({ ...good, centralServerCaPem: ca })).toMatchObject({ code: 'TRUST_CA_INVALID' });
    }
  });

  it('accepts 1-4 age X25519 recovery recipients and refuses anything else; development trust has none', () => {
    expect(parseTrustFile(text(good)).recoveryRecipients).toBeNull();
    expect(developmentTrust(DEV_PUBLIC_PEM).recoveryRecipients).toBeNull();
    expect(
      parseTrustFile(text({ ...good, recoveryRecipients: [RECOVERY, SPARE, RECOVERY] })).recoveryRecipients,
    ).toEqual([RECOVERY, SPARE]);
    const broken = `${RECOVERY.slice(0, -1)}${RECOVERY.endsWith('q') ? 'p' : 'q'}`;
    expect(refusal({ ...good, recoveryRecipients: [SPARE, broken] })).toMatchObject({
      code: 'TRUST_RECOVERY_KEY_INVALID',
      message: expect.stringContaining('recoveryRecipients.1'),
    });
    for (const recipients of [
      [],
      [RECOVERY, SPARE, RECOVERY.toUpperCase(), 'age1', SPARE],
      [RECOVERY.toUpperCase()],
      [`${RECOVERY}q`],
      [RECOVERY.slice(0, -1)],
      ['AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSXHF0HP'],
      [`age1pq1${RECOVERY.slice(7)}`],
      [' ' + RECOVERY],
      [42],
      RECOVERY,
    ]) {
      expect(refusal({ ...good, recoveryRecipients: recipients })).toMatchObject({ code: 'TRUST_INVALID' });
    }
  });

  it("the baked key verifies the bank's packages and refuses the development package and a swapped key's", () => {
    const trust = parseTrustFile(text(good));
    const shipped = readPackageBytes(defaultModelDir());
    expect(verifyModelPackage(shipped, trust.releasePublicKeyPem).ok).toBe(false);
    expect(verifyModelPackage(shipped, developmentTrust(DEV_PUBLIC_PEM).releasePublicKeyPem).ok).toBe(true);
    const files = new Map<string, Uint8Array>([
      ['manifest.json', shipped.manifest],
      ['model.onnx', shipped.onnx],
    ]);
    const bySigner = (key: KeyObject) => ({
      manifest: shipped.manifest,
      onnx: shipped.onnx,
      signature: Buffer.from(JSON.stringify(signPackage(files, key))),
    });
    expect(verifyModelPackage(bySigner(bank.privateKey), trust.releasePublicKeyPem).ok).toBe(true);
    const swapped = generateKeyPairSync('ed25519');
    expect(verifyModelPackage(bySigner(swapped.privateKey), trust.releasePublicKeyPem)).toMatchObject({
      ok: false,
      error: { code: 'MODEL_SIGNATURE_INVALID' },
    });
  });

  describe('the transport of a bank build', () => {
    let server: Server;
    let hits = 0;
    beforeAll(async () => {
      server = createServer((_req, res) => {
        hits += 1;
        res.end('{}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('refuses an enrolment with any server but the baked one, without contacting it', async () => {
      const trust = parseTrustFile(text(good));
      const other = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await expect(
        trustedTransportFor(trust.centralServer)(other).request('POST', '/v1/enrol', { body: { code: 'X' } }),
      ).rejects.toMatchObject({ code: 'REFUSED', retryable: false });
      expect(hits).toBe(0);
    });
  });
});
