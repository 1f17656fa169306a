import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModelPackage } from '../pipeline/build-package';
import { loadModelPackage } from '../runtime/index';
import { FAST_OPTIONS, syntheticDataset } from '../testing/fixtures';
import { readSignableFiles, SIGNATURE_FILE, writePackageFiles } from './files';
import { signPackage } from './signing';

const dir = mkdtempSync(join(tmpdir(), 'nexis-package-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('package directories', () => {
  const keys = generateKeyPairSync('ed25519');
  const built = buildModelPackage({
    data: syntheticDataset(1200, 3),
    modelId: 'dir-test',
    modelVersion: '0.1.0',
    createdAt: '2026-01-01T00:00:00.000Z',
    options: FAST_OPTIONS,
    trainingData: { source: 'test', synthetic: true, license: 'test', description: 'test' },
  });

  it('report an unsigned package as MODEL_SIGNATURE_MISSING', () => {
    writePackageFiles(dir, built.files);
    const result = loadModelPackage(dir, keys.publicKey);
    expect(result.ok ? 'OK' : result.error.code).toBe('MODEL_SIGNATURE_MISSING');
  });

  it('round-trip through the file system: sign, read once, verify', () => {
    const signature = signPackage(readSignableFiles(dir), keys.privateKey);
    writeFileSync(join(dir, SIGNATURE_FILE), JSON.stringify(signature));
    const result = loadModelPackage(dir, keys.publicKey);
    expect(result.ok ? result.value.manifest.modelId : result.error.code).toBe('dir-test');
  });

  it('report a missing model file as MODEL_FILE_MISSING', () => {
    unlinkSync(join(dir, 'model.onnx'));
    const result = loadModelPackage(dir, keys.publicKey);
    expect(result.ok ? 'OK' : result.error.code).toBe('MODEL_FILE_MISSING');
  });
});
