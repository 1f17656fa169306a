import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NEXIS_FEATURE_SPEC } from '../../../shared/features';
import { ModelStatusView } from '../../../shared/ipc/scoring';
import { readSignableFiles, writePackageFiles } from '../../../models/package/files';
import { loadPrivateKey, signPackage } from '../../../models/package/signing';
import { createModelScorer, type VerifiedPackage } from '../../../models/runtime';
import { readPackageBytes } from '../../../models/package/files';
import { ScoringPerformance } from '../diagnostics/scoring-performance';
import { defaultModelDir, ModelService } from './model-service';
import { APPROVE_VALUES, DEV_PUBLIC_KEY } from './scoring-fixtures';

const dirs: string[] = [];
const services: ModelService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) {
    await service.release();
  }
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

function packageCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nexis-model-'));
  dirs.push(dir);
  cpSync(defaultModelDir(), dir, { recursive: true });
  return dir;
}

/** A ModelService whose session factory records the bytes it is given. */
function spiedService(options: { key?: string; spec?: typeof NEXIS_FEATURE_SPEC } = {}) {
  const sessions: Uint8Array[] = [];
  const service = new ModelService({
    trustedPublicKey: options.key ?? DEV_PUBLIC_KEY,
    ...(options.spec === undefined ? {} : { spec: options.spec }),
    createScorer: (verified: VerifiedPackage) => {
      sessions.push(verified.onnx);
      return createModelScorer(verified);
    },
  });
  services.push(service);
  return { service, sessions };
}

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('ModelService', () => {
  it('verifies the shipped package and creates the session from exactly the signed ONNX bytes', async () => {
    const { service, sessions } = spiedService();
    const status = await service.loadDirectory(defaultModelDir());
    expect(ModelStatusView.parse(status)).toEqual(status);
    expect(status).toMatchObject({ state: 'verified', refusal: null, modelVersion: '1.0.0', synthetic: true });
    expect(status.signature?.keyId).toBe(status.trustedKeyId);
    expect(sessions).toHaveLength(1);
    const signature = JSON.parse(readFileSync(join(defaultModelDir(), 'signature.json'), 'utf8')) as {
      document: { files: Record<string, string> };
    };
    expect(sha256(sessions[0] ?? new Uint8Array())).toBe(signature.document.files['model.onnx']);
    expect(status.modelHash).toBe(signature.document.files['model.onnx']);
  });

  it('never reads the path again: replacing model.onnx after loading changes nothing', async () => {
    const dir = packageCopy();
    const { service } = spiedService();
    await service.loadDirectory(dir);
    const before = await service.active().scorer.score(APPROVE_VALUES);
    writeFileSync(join(dir, 'model.onnx'), Buffer.from('not a model'));
    const after = await service.active().scorer.score(APPROVE_VALUES);
    expect(after).toEqual(before);
  });

  it('refuses an unsigned package and creates no session', async () => {
    const dir = packageCopy();
    unlinkSync(join(dir, 'signature.json'));
    const { service, sessions } = spiedService();
    const status = await service.loadDirectory(dir);
    expect(status).toMatchObject({ state: 'refused', refusal: 'unsigned', modelHash: null });
    expect(sessions).toHaveLength(0);
    expect(() => service.active()).toThrow(/No verified scoring model/);
  });

  it('refuses a package with one changed byte in the graph or in the manifest', async () => {
    for (const file of ['model.onnx', 'manifest.json']) {
      const dir = packageCopy();
      const bytes = readFileSync(join(dir, file));
      bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0x01;
      writeFileSync(join(dir, file), bytes);
      const { service, sessions } = spiedService();
      const status = await service.loadDirectory(dir);
      expect(status).toMatchObject({ state: 'refused', refusal: 'altered' });
      expect(status.detail).toContain(file);
      expect(sessions).toHaveLength(0);
    }
  });

  it('refuses a package when the trusted key is another one, and a package re-signed with an untrusted key', async () => {
    const other = generateKeyPairSync('ed25519');
    const otherPublic = other.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const wrongTrust = spiedService({ key: otherPublic });
    expect(await wrongTrust.service.loadDirectory(defaultModelDir())).toMatchObject({
      state: 'refused',
      refusal: 'wrong-key',
    });
    expect(wrongTrust.sessions).toHaveLength(0);

    const dir = packageCopy();
    const files = readSignableFiles(dir);
    const pem = other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writePackageFiles(
      dir,
      new Map([['signature.json', Buffer.from(JSON.stringify(signPackage(files, loadPrivateKey(pem))))]]),
    );
    const resigned = spiedService();
    expect(await resigned.service.loadDirectory(dir)).toMatchObject({ state: 'refused', refusal: 'wrong-key' });
    expect(resigned.sessions).toHaveLength(0);
  });

  it('refuses a validly signed package built on another feature specification', async () => {
    const spec = { ...NEXIS_FEATURE_SPEC, version: '2.0.0' };
    const { service, sessions } = spiedService({ spec });
    const status = await service.loadDirectory(defaultModelDir());
    expect(status).toMatchObject({ state: 'refused', refusal: 'incompatible-spec' });
    expect(status.detail).toContain('nexis-alt-data 1.0.0');
    expect(sessions).toHaveLength(0);
  });

  it('reports not-installed for a missing package and a refused status for an unusable trusted key', async () => {
    const { service } = spiedService();
    expect(await service.loadDirectory(join(tmpdir(), 'no-such-nexis-model'))).toMatchObject({
      state: 'not-installed',
      refusal: null,
    });
    const badKey = spiedService({ key: 'not a key' });
    expect(await badKey.service.loadDirectory(defaultModelDir())).toMatchObject({
      state: 'refused',
      refusal: 'invalid-key',
    });
  });

  it('a load still creating its session when the service is released does not become active', async () => {
    const { service } = spiedService();
    const loading = service.loadDirectory(defaultModelDir());
    await service.release();
    await loading;
    expect(() => service.active()).toThrow(/No verified scoring model/);
  });

  it('a refused reload leaves no model active', async () => {
    const dir = packageCopy();
    const { service } = spiedService();
    await service.loadDirectory(dir);
    expect(service.active().modelHash).toMatch(/^sha256:/);
    unlinkSync(join(dir, 'signature.json'));
    await service.loadDirectory(dir);
    expect(service.status().state).toBe('refused');
    expect(() => service.active()).toThrow(/not signed/);
  });

  it('counts each refused or failing load once for the fleet report, and a missing package not at all', async () => {
    const recorder = new ScoringPerformance();
    const failures = (): number => recorder.snapshot().modelLoadFailures;
    let sessionFails = false;
    const service = new ModelService({
      trustedPublicKey: DEV_PUBLIC_KEY,
      recorder,
      createScorer: (verified) =>
        sessionFails ? Promise.reject(new Error('session could not start')) : createModelScorer(verified),
    });
    services.push(service);
    expect((await service.loadDirectory(defaultModelDir())).state).toBe('verified');
    expect((await service.loadDirectory(join(tmpdir(), 'nexis-no-such-model'))).state).toBe('not-installed');
    expect(failures()).toBe(0);

    const unsigned = packageCopy();
    unlinkSync(join(unsigned, 'signature.json'));
    expect((await service.loadDirectory(unsigned)).refusal).toBe('unsigned');
    expect(failures()).toBe(1);

    sessionFails = true;
    expect((await service.loadBytes(readPackageBytes(defaultModelDir()), 'bytes')).refusal).toBe('runtime-error');
    expect(failures()).toBe(2);
    sessionFails = false;

    // Not a refusal but an error thrown out of the load (a signature "file" that is a folder): counted as well.
    const unreadable = packageCopy();
    unlinkSync(join(unreadable, 'signature.json'));
    mkdirSync(join(unreadable, 'signature.json'));
    await expect(service.loadDirectory(unreadable)).rejects.toThrow();
    expect(failures()).toBe(3);

    expect((await service.loadBytes(readPackageBytes(defaultModelDir()), 'bytes')).state).toBe('verified');
    expect(failures()).toBe(3);
  });
});
