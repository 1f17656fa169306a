import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../core/errors';
import { buildModelPackage, type BuiltPackage } from '../pipeline/build-package';
import { verifyModelPackage } from '../runtime/index';
import { FAST_OPTIONS, syntheticDataset } from '../testing/fixtures';
import { signPackage, verifyPackageBytes, type PackageBytes } from './signing';

function build(version: string, seed: number): BuiltPackage {
  return buildModelPackage({
    data: syntheticDataset(1500, seed),
    modelId: 'test-model',
    modelVersion: version,
    createdAt: '2026-01-01T00:00:00.000Z',
    options: { ...FAST_OPTIONS, seed },
    trainingData: { source: 'test', synthetic: true, license: 'test', description: 'synthetic test rows' },
  });
}

const keys = generateKeyPairSync('ed25519');
const otherKeys = generateKeyPairSync('ed25519');
const first = build('1.0.0', 1);
const second = build('1.0.1', 2);

function signed(pkg: BuiltPackage, privateKey: KeyObject = keys.privateKey): PackageBytes {
  const signature = signPackage(pkg.files, privateKey);
  const others = new Map([...pkg.files].filter(([name]) => name.startsWith('model-card')));
  return {
    manifest: pkg.files.get('manifest.json') as Uint8Array,
    onnx: pkg.files.get('model.onnx') as Uint8Array,
    signature: new TextEncoder().encode(JSON.stringify(signature)),
    others,
  };
}

const flipByte = (bytes: Uint8Array, at: number): Uint8Array => {
  const copy = Uint8Array.from(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
};

const codeOf = (bytes: PackageBytes, key: KeyObject = keys.publicKey): string => {
  const result = verifyPackageBytes(bytes, key);
  return result.ok ? 'OK' : result.error.code;
};

describe('model package signatures', () => {
  const good = signed(first);

  it('accept an untouched package and return the verified bytes and model hash', () => {
    const result = verifyPackageBytes(good, keys.publicKey);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.onnx).toBe(good.onnx);
      expect(result.value.modelHash).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(result.value.manifest.modelVersion).toBe('1.0.0');
    }
  });

  it('refuse one changed byte anywhere in the ONNX model or the manifest', () => {
    for (const at of [0, Math.floor(good.onnx.length / 2), good.onnx.length - 1]) {
      expect(codeOf({ ...good, onnx: flipByte(good.onnx, at) })).toBe('MODEL_HASH_MISMATCH');
    }
    for (const at of [1, Math.floor(good.manifest.length / 2), good.manifest.length - 2]) {
      expect(codeOf({ ...good, manifest: flipByte(good.manifest, at) })).toBe('MODEL_HASH_MISMATCH');
    }
  });

  it('refuse a changed model card covered by the signature', () => {
    const card = good.others?.get('model-card.md') as Uint8Array;
    expect(codeOf({ ...good, others: new Map([['model-card.md', flipByte(card, 5)]]) })).toBe('MODEL_HASH_MISMATCH');
  });

  it('refuse a package verified with the wrong key, or signed by another key', () => {
    expect(codeOf(good, otherKeys.publicKey)).toBe('MODEL_SIGNATURE_INVALID');
    expect(codeOf(signed(first, otherKeys.privateKey))).toBe('MODEL_SIGNATURE_INVALID');
  });

  it('refuse a manifest swapped in from another validly signed package', () => {
    const other = signed(second);
    expect(codeOf(other)).toBe('OK');
    expect(codeOf({ ...good, manifest: other.manifest })).toBe('MODEL_HASH_MISMATCH');
    expect(codeOf({ ...good, onnx: other.onnx })).toBe('MODEL_HASH_MISMATCH');
  });

  it('refuse a signed document edited to match a tampered file, and a damaged signature', () => {
    const parsed = JSON.parse(new TextDecoder().decode(good.signature)) as {
      document: { files: Record<string, string> };
      signature: string;
    };
    parsed.document.files['model.onnx'] = `sha256:${'0'.repeat(64)}`;
    expect(codeOf({ ...good, signature: new TextEncoder().encode(JSON.stringify(parsed)) })).toBe(
      'MODEL_SIGNATURE_INVALID',
    );
    const raw = JSON.parse(new TextDecoder().decode(good.signature)) as { signature: string };
    const sig = Buffer.from(raw.signature, 'base64');
    sig[3] = (sig[3] ?? 0) ^ 0xff;
    raw.signature = sig.toString('base64');
    expect(codeOf({ ...good, signature: new TextEncoder().encode(JSON.stringify(raw)) })).toBe(
      'MODEL_SIGNATURE_INVALID',
    );
    expect(codeOf({ ...good, signature: new TextEncoder().encode('not json') })).toBe('MODEL_SIGNATURE_INVALID');
  });

  it('refuse to sign a manifest that fails its schema', () => {
    const files = new Map(first.files);
    files.set(
      'manifest.json',
      new TextEncoder().encode(JSON.stringify({ format: 'nexis-model-package/1', modelId: 'x' })),
    );
    expect(() => signPackage(files, keys.privateKey)).toThrowError(ModelError);
  });

  it('accept a PEM public key through the runtime API and report a bad key as KEY_INVALID', () => {
    const pem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(verifyModelPackage(good, pem).ok).toBe(true);
    const bad = verifyModelPackage(good, 'not a key');
    expect(bad.ok ? 'OK' : bad.error.code).toBe('KEY_INVALID');
  });
});
