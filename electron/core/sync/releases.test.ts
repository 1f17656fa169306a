import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/temp-workstation';
import type { ModelRelease } from '../../../shared/sync/pull';
import {
  applyModelWithdrawal,
  currentPolicy,
  installModelRelease,
  installPolicyRelease,
  RELEASE_KEYS,
  rollbackModelRelease,
  withdrawnModelReleases,
  WITHDRAWN_REFUSAL,
} from './releases';
import { memoryStateStore } from './state';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const release = (version: string, onnx = `onnx ${version}`): ModelRelease => ({
  version,
  files: { 'manifest.json': b64('{}'), 'model.onnx': b64(onnx), 'signature.json': b64(`sig ${version}`) },
});
/** Stands in for verifyPackageBytes: accepts only packages whose signature names their own bytes. */
const verify = (files: { onnx: Uint8Array; signature: Uint8Array }) =>
  Buffer.from(files.signature).toString() === `sig ${Buffer.from(files.onnx).toString().slice(5)}`
    ? ({ ok: true } as const)
    : ({ ok: false, reason: 'MODEL_SIGNATURE_INVALID' } as const);

describe('model and policy releases', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('installs a verified model, keeps the previous one, and rolls back to it', () => {
    const modelsDir = makeTempDir('nexis-models-');
    dirs.push(modelsDir);
    const state = memoryStateStore();
    expect(installModelRelease(release('1.0.0'), { modelsDir, state, verify })).toBe('applied');
    expect(installModelRelease(release('1.1.0'), { modelsDir, state, verify })).toBe('applied');
    expect(installModelRelease(release('1.1.0'), { modelsDir, state, verify })).toBe('ignored');
    expect(state.get(RELEASE_KEYS.modelCurrent)).toBe('1.1.0');
    expect(state.get(RELEASE_KEYS.modelPrevious)).toBe('1.0.0');
    expect(readFileSync(join(modelsDir, '1.1.0', 'model.onnx'), 'utf8')).toBe('onnx 1.1.0');
    expect(rollbackModelRelease(modelsDir, state)).toBe(true);
    expect(state.get(RELEASE_KEYS.modelCurrent)).toBe('1.0.0');
  });

  it('a withdrawal falls back to the previous release, clears a withdrawn previous, and is final', () => {
    const modelsDir = makeTempDir('nexis-models-');
    dirs.push(modelsDir);
    const state = memoryStateStore();
    for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
      expect(installModelRelease(release(version), { modelsDir, state, verify })).toBe('applied');
    }
    // Withdrawing the previous release: nothing changes in use, but rollback can no longer reach it.
    expect(applyModelWithdrawal(modelsDir, state, '1.1.0')).toEqual({ from: null, to: '1.2.0' });
    expect(state.get(RELEASE_KEYS.modelPrevious)).toBe('');
    expect(rollbackModelRelease(modelsDir, state)).toBe(false);
    // Withdrawing the one in use with no usable previous: the shipped package (current '').
    expect(applyModelWithdrawal(modelsDir, state, '1.2.0')).toEqual({ from: '1.2.0', to: null });
    expect(state.get(RELEASE_KEYS.modelCurrent)).toBe('');
    // Idempotent, and a withdrawn version is refused when it arrives again.
    expect(applyModelWithdrawal(modelsDir, state, '1.2.0')).toEqual({ from: null, to: null });
    expect(withdrawnModelReleases(state)).toEqual(['1.1.0', '1.2.0']);
    expect(installModelRelease(release('1.2.0'), { modelsDir, state, verify })).toEqual({
      rejected: WITHDRAWN_REFUSAL,
    });
    expect(installModelRelease(release('1.0.0'), { modelsDir, state, verify })).toBe('applied');
    // The previous release is used when it is installed and not withdrawn itself.
    expect(installModelRelease(release('1.3.0'), { modelsDir, state, verify })).toBe('applied');
    expect(applyModelWithdrawal(modelsDir, state, '1.3.0')).toEqual({ from: '1.3.0', to: '1.0.0' });
    // A previous release whose files are gone is not used: the shipped package is.
    expect(installModelRelease(release('1.4.0'), { modelsDir, state, verify })).toBe('applied');
    rmSync(join(modelsDir, '1.0.0'), { recursive: true });
    expect(applyModelWithdrawal(modelsDir, state, '1.4.0')).toEqual({ from: '1.4.0', to: null });
    // An unreadable list counts as empty rather than failing the pull.
    state.set(RELEASE_KEYS.modelWithdrawn, '{not json');
    expect(withdrawnModelReleases(state)).toEqual([]);
  });

  it('writes nothing for a release whose signature fails, and reports it', () => {
    const modelsDir = makeTempDir('nexis-models-');
    dirs.push(modelsDir);
    const state = memoryStateStore();
    expect(installModelRelease(release('2.0.0', 'onnx tampered'), { modelsDir, state, verify })).toBe('rejected');
    expect(existsSync(join(modelsDir, '2.0.0'))).toBe(false);
    expect(state.get(RELEASE_KEYS.modelCurrent)).toBeUndefined();
    expect(state.get(RELEASE_KEYS.rejected)).toContain('MODEL_SIGNATURE_INVALID');
  });

  it('keeps the current and previous policy', () => {
    const state = memoryStateStore();
    const policy = (version: string) => ({ version, cutoffs: { approve: 600 }, reasonTexts: {} });
    expect(installPolicyRelease(policy('p1'), state)).toBe('applied');
    expect(installPolicyRelease(policy('p1'), state)).toBe('ignored');
    expect(installPolicyRelease(policy('p2'), state)).toBe('applied');
    expect(currentPolicy(state)?.version).toBe('p2');
    expect(state.get(RELEASE_KEYS.policyPrevious)).toContain('"p1"');
  });
});
