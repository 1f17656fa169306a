/**
 * Bank-signed releases for the suites. The repository holds no private key: the "bank" release key is an Ed25519 pair
 * made at run time, once per test process, and a workstation under test trusts its public half
 * (`testTrustOptions()`: the key, and the default model package re-signed with it in a temp folder). Any other key
 * plays a forger.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signRelease } from '../../models/package/release-signing';
import { readSignableFiles, SIGNATURE_FILE, writePackageFiles } from '../../models/package/files';
import { signPackage } from '../../models/package/signing';
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
