/**
 * Bank-signed releases for the suites. The repository holds no private key: the "bank" release key is an Ed25519 pair
 * made at run time, once per test process, and a workstation under test trusts its public half
 * (`testTrustOptions()`: the key, and the default model package re-signed with it in a temp folder). Any other key
 * plays a forger.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signRelease } from '../../models/package/release-signing';
import { readSignableFiles, SIGNATURE_FILE, writePackageFiles } from '../../models/package/files';
import { signPackage } from '../../models/package/signing';
import { buildModelPackage } from '../../models/pipeline/build-package';
import { FAST_OPTIONS, syntheticDataset } from '../../models/testing/fixtures';
import type { FeatureSpec } from '../../shared/features';
import type { ModelRelease } from '../../shared/sync/pull';
import type { SignedOfficerGrant, SignedPolicyRelease } from '../../shared/sync/signed-release';

/** The shipped default package (electron/core/scoring/model-service.ts defaultModelDir, without loading onnxruntime). */
const SHIPPED_MODEL_DIR = fileURLToPath(new URL('../../resources/model', import.meta.url));

let pair: { readonly privateKey: KeyObject; readonly publicKey: KeyObject } | undefined;
let modelDir: string | undefined;

const testPair = (): { readonly privateKey: KeyObject; readonly publicKey: KeyObject } =>
  (pair ??= generateKeyPairSync('ed25519'));

/** The run-time "bank" release key (private half) of this test process. */
export const testReleaseKey = (): KeyObject => testPair().privateKey;

/** Its public half, SPKI PEM: what a test workstation is given as `modelPublicKey`. */
export const testReleasePublicKeyPem = (): string =>
  testPair().publicKey.export({ type: 'spki', format: 'pem' }).toString();

/**
 * The shipped default package (same manifest, ONNX and model card bytes) signed with the test release key, in a temp
 * folder made once per process; the shipped copy is signed with the development key, which a test workstation that
 * trusts the test key refuses.
 */
export function testModelDir(): string {
  if (modelDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'nexis-test-model-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const files = readSignableFiles(SHIPPED_MODEL_DIR);
    writePackageFiles(dir, files);
    writeFileSync(join(dir, SIGNATURE_FILE), `${JSON.stringify(signPackage(files, testReleaseKey()), null, 2)}\n`);
    modelDir = dir;
  }
  return modelDir;
}

const challengers = new Map<string, string>();

/**
 * A challenger package: a model of its own, trained here on synthetic applicants of the shipped specification (or
 * `spec`), signed with the test release key (or `key`, a forger's), in a temp folder made once per variant.
 */
export function testChallengerDir(
  options: { readonly modelVersion?: string; readonly key?: KeyObject; readonly spec?: FeatureSpec } = {},
): string {
  const modelVersion = options.modelVersion ?? '1.1.0';
  const variant = `${modelVersion}:${options.key === undefined ? 'bank' : 'other'}:${options.spec?.id ?? 'nexis'}`;
  const known = challengers.get(variant);
  if (known !== undefined) {
    return known;
  }
  const built = buildModelPackage({
    data: syntheticDataset(3000, 11, options.spec),
    modelId: 'nexis-challenger',
    modelVersion,
    createdAt: '2026-11-30T00:00:00.000Z',
    options: FAST_OPTIONS,
    trainingData: { source: 'synthetic', synthetic: true, license: 'test', description: 'challenger for the suites' },
  });
  const dir = mkdtempSync(join(tmpdir(), 'nexis-test-challenger-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  writePackageFiles(dir, built.files);
  const signature = signPackage(built.files, options.key ?? testReleaseKey());
  writeFileSync(join(dir, SIGNATURE_FILE), `${JSON.stringify(signature, null, 2)}\n`);
  challengers.set(variant, dir);
  return dir;
}

/** A package folder's files as a model release carries them (base64). */
export function releaseFiles(dir: string): ModelRelease['files'] {
  const file = (name: string): string => readFileSync(join(dir, name)).toString('base64');
  return {
    'manifest.json': file('manifest.json'),
    'model.onnx': file('model.onnx'),
    'signature.json': file('signature.json'),
  };
}

/** Workstation options that trust the test release key and load the default package signed with it. */
export const testTrustOptions = (): { readonly modelPublicKey: string; readonly modelDir: string } => ({
  modelPublicKey: testReleasePublicKeyPem(),
  modelDir: testModelDir(),
});

export function signedPolicy(
  serial: number,
  release: SignedPolicyRelease['release'],
  key: KeyObject = testReleaseKey(),
): SignedPolicyRelease {
  return signRelease({ kind: 'policy', serial, release }, key);
}

export function signedOfficer(
  serial: number,
  release: Omit<SignedOfficerGrant['release'], 'status'> & { status?: 'active' | 'disabled' },
  key: KeyObject = testReleaseKey(),
): SignedOfficerGrant {
  return signRelease({ kind: 'officer', serial, release: { status: 'active', ...release } }, key);
}
