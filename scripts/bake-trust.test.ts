/**
 * The release build's trust step: no trust file, no release; a refused file stops it; a good one is baked where the
 * packaged app reads it (out/trust/trust.json inside the archive), normalised and readable by the start-up check.
 */
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPackageBytes, readSignableFiles, SIGNATURE_FILE } from '../models/package/files';
import { signPackage } from '../models/package/signing';
import { BAKED_TRUST_PATH, readTrustFile } from '../electron/core/system/trust-config';
import { bakeTrust, shippedModelProblem, trustFileArgument } from './bake-trust';

const root = mkdtempSync(join(tmpdir(), 'nexis-bake-'));
const bank = generateKeyPairSync('ed25519');
const bankPem = bank.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const write = (name: string, content: unknown): string => {
  const file = join(root, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};
const good = {
  bankName: 'Example Bank',
  releasePublicKeyPem: bankPem,
  centralServerUrl: 'https://central.bank.example/api/',
  updateChannel: 'general',
};

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('bake-trust', () => {
  it('takes the file from --trust, else NEXIS_TRUST_FILE, and passes every other argument to electron-builder', () => {
    expect(trustFileArgument(['--trust', 'a.json', '--linux', 'deb'], { NEXIS_TRUST_FILE: 'b.json' })).toEqual({
      file: 'a.json',
      rest: ['--linux', 'deb'],
    });
    expect(trustFileArgument(['--trust=a.json'], {})).toEqual({ file: 'a.json', rest: [] });
    expect(trustFileArgument(['--win'], { NEXIS_TRUST_FILE: 'b.json' })).toEqual({ file: 'b.json', rest: ['--win'] });
    expect(trustFileArgument([], { NEXIS_TRUST_FILE: '' })).toEqual({ file: null, rest: [] });
    expect(() => trustFileArgument(['--trust'], {})).toThrow(/needs the path/);
  });

  it('bakes nothing from a refused file', () => {
    const app = join(root, 'refused-app');
    const dev = readFileSync(new URL('../resources/model/dev-keys/public.pem', import.meta.url), 'utf8');
    for (const [name, file, code] of [
      ['dev.json', { ...good, releasePublicKeyPem: dev }, 'TRUST_DEVELOPMENT_KEY'],
      ['http.json', { ...good, centralServerUrl: 'http://central.bank.example' }, 'TRUST_URL_INVALID'],
      ['extra.json', { ...good, debug: true }, 'TRUST_INVALID'],
    ] as const) {
      expect(() => bakeTrust(write(name, file), app)).toThrow(expect.objectContaining({ code }));
    }
    expect(() => bakeTrust(join(root, 'absent.json'), app)).toThrow(expect.objectContaining({ code: 'TRUST_MISSING' }));
    expect(existsSync(join(app, BAKED_TRUST_PATH))).toBe(false);
  });

  it('bakes a good file, normalised, where the packaged app reads it', () => {
    const app = join(root, 'app');
    const trust = bakeTrust(write('bank.json', `  ${JSON.stringify(good, null, 4)}\n\n`), app);
    const baked = JSON.parse(readFileSync(join(app, BAKED_TRUST_PATH), 'utf8')) as Record<string, unknown>;
    expect(baked).toEqual({ ...good, centralServerUrl: 'https://central.bank.example/api' });
    expect(readTrustFile(join(app, BAKED_TRUST_PATH))).toEqual(trust);
  });

  it("says when the shipped default package is not signed with the bank's key", () => {
    const trust = readTrustFile(write('bank2.json', good));
    const app = join(root, 'with-model');
    const modelDir = join(app, 'resources', 'model');
    mkdirSync(modelDir, { recursive: true });
    cpSync(new URL('../resources/model', import.meta.url), modelDir, { recursive: true });
    expect(shippedModelProblem(trust, app)).toMatch(/MODEL_SIGNATURE_INVALID/);
    const signature = signPackage(readSignableFiles(modelDir), bank.privateKey);
    writeFileSync(join(modelDir, SIGNATURE_FILE), JSON.stringify(signature));
    expect(readPackageBytes(modelDir).signature.byteLength).toBeGreaterThan(0);
    expect(shippedModelProblem(trust, app)).toBeNull();
  });
});
