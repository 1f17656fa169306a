import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/temp-workstation';
import type { ModelRelease } from '../../../shared/sync/pull';
import {
  currentPolicy,
  installModelRelease,
  installPolicyRelease,
  RELEASE_KEYS,
  rollbackModelRelease,
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
