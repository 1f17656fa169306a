/**
 * Installing pulled releases. A model release is verified (signature, hashes, manifest) before a single byte is
 * written; it lands in its own folder and becomes current, and the release it replaces stays installed as `previous`
 * for rollback. Policy releases are kept the same way in the meta table.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import type { ModelRelease, PolicyRelease } from '../../../shared/sync/pull';
import type { PullOutcome, SyncStateStore } from './types';

export const RELEASE_KEYS = {
  modelCurrent: 'sync.model.current',
  modelPrevious: 'sync.model.previous',
  policyCurrent: 'sync.policy.current',
  policyPrevious: 'sync.policy.previous',
  /** Every installed policy release by version (`sync.policy.v.<version>`): letters and replay look them up. */
  policyVersionPrefix: 'sync.policy.v.',
  rejected: 'sync.release.last_rejected',
  /** Serial of the signed policy release in force: an older one is refused. */
  policySerial: 'sync.policy.serial',
  /** Serial of the signed grant in force per officer (`sync.officer.serial.<officerId>`). */
  officerSerialPrefix: 'sync.officer.serial.',
  /** Model release versions withdrawn fleet-wide (JSON array): never current, previous or installed again. */
  modelWithdrawn: 'sync.model.withdrawn',
} as const;

/** Versions withdrawn fleet-wide. An unreadable value counts as none (the feed item is applied again on retry). */
export function withdrawnModelReleases(state: SyncStateStore): readonly string[] {
  try {
    const parsed: unknown = JSON.parse(state.get(RELEASE_KEYS.modelWithdrawn) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export const WITHDRAWN_REFUSAL = 'withdrawn fleet-wide by the bank';

export interface ModelWithdrawalChange {
  /** The release that was in use, when it was the withdrawn one (null: the workstation was not using it). */
  readonly from: string | null;
  /** What is current now: a release version, or null for the package shipped with the app. */
  readonly to: string | null;
}

/**
 * Records a fleet-wide withdrawal. If the release is in use, the previous release becomes current (the shipped
 * package when there is none, or when the previous was withdrawn too); if it is the previous one, rollback can no
 * longer reach it. Idempotent: a repeated withdrawal changes nothing.
 */
export function applyModelWithdrawal(modelsDir: string, state: SyncStateStore, version: string): ModelWithdrawalChange {
  const withdrawn = new Set(withdrawnModelReleases(state));
  withdrawn.add(version);
  state.set(RELEASE_KEYS.modelWithdrawn, JSON.stringify([...withdrawn].sort()));
  const current = state.get(RELEASE_KEYS.modelCurrent) ?? '';
  const previous = state.get(RELEASE_KEYS.modelPrevious) ?? '';
  if (previous === version) {
    state.set(RELEASE_KEYS.modelPrevious, '');
  }
  if (current !== version) {
    return { from: null, to: current === '' ? null : current };
  }
  const usable = previous !== '' && !withdrawn.has(previous) && existsSync(join(modelsDir, previous));
  state.set(RELEASE_KEYS.modelCurrent, usable ? previous : '');
  state.set(RELEASE_KEYS.modelPrevious, '');
  return { from: version, to: usable ? previous : null };
}

export interface ModelPackageFiles {
  readonly manifest: Uint8Array;
  readonly onnx: Uint8Array;
  readonly signature: Uint8Array;
}

/** Wire this to models/package/signing.ts verifyPackageBytes with the bank's trusted model key. */
export type VerifyModelPackage = (files: ModelPackageFiles) => { ok: true } | { ok: false; reason: string };

const VERSION_DIR = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/;

/** Where a release keeps its challenger package, inside the release's own folder. */
export const CHALLENGER_DIR = 'challenger';

function packageFiles(files: ModelRelease['files']): ModelPackageFiles {
  return {
    manifest: Buffer.from(files['manifest.json'], 'base64'),
    onnx: Buffer.from(files['model.onnx'], 'base64'),
    signature: Buffer.from(files['signature.json'], 'base64'),
  };
}

function writePackage(dir: string, files: ModelPackageFiles): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), files.manifest);
  writeFileSync(join(dir, 'model.onnx'), files.onnx);
  writeFileSync(join(dir, 'signature.json'), files.signature);
}

/** What a verified manifest declares that a challenger must share or differ in (null when unreadable). */
function identityOf(files: ModelPackageFiles): { specHash: string; modelVersion: string; scaling: string } | null {
  try {
    const manifest = JSON.parse(Buffer.from(files.manifest).toString('utf8')) as {
      specHash?: unknown;
      modelVersion?: unknown;
      scaling?: unknown;
    };
    return typeof manifest.specHash === 'string' && typeof manifest.modelVersion === 'string'
      ? {
          specHash: manifest.specHash,
          modelVersion: manifest.modelVersion,
          scaling: canonicalize(manifest.scaling) ?? '',
        }
      : null;
  } catch {
    return null;
  }
}

/**
 * Why a verified challenger cannot shadow this champion, or null: it must score the same feature specification (it
 * is given the same values), on the same score scale (the same cut-offs must mean the same), under another model
 * version (monitoring and counts are kept by version).
 */
export function challengerMismatch(champion: ModelPackageFiles, challenger: ModelPackageFiles): string | null {
  const a = identityOf(champion);
  const b = identityOf(challenger);
  if (a === null || b === null) {
    return 'challenger: unreadable manifest';
  }
  if (a.specHash !== b.specHash) {
    return 'challenger: scores another feature specification than the champion';
  }
  if (a.scaling !== b.scaling) {
    return 'challenger: uses another score scale than the champion';
  }
  if (a.modelVersion === b.modelVersion) {
    return `challenger: has the champion's model version ${a.modelVersion}`;
  }
  return null;
}

/**
 * Verifies a release and writes its files to `<modelsDir>/<version>` (staged, then renamed into place), a challenger's
 * to its `challenger/` folder. A challenger must be signed like the champion and fit it (challengerMismatch), or the
 * whole release is refused. It does not make the
 * release current: the caller does that once the model service has loaded it.
 */
export function stageModelRelease(
  release: ModelRelease,
  options: { modelsDir: string; verify: VerifyModelPackage },
): { ok: true; dir: string } | { ok: false; reason: string } {
  const files = packageFiles(release.files);
  if (!VERSION_DIR.test(release.version)) {
    return { ok: false, reason: 'bad version' };
  }
  const verdict = options.verify(files);
  if (!verdict.ok) {
    return { ok: false, reason: verdict.reason };
  }
  const challenger = release.challenger === undefined ? null : packageFiles(release.challenger.files);
  if (challenger !== null) {
    const challenged = options.verify(challenger);
    if (!challenged.ok) {
      return { ok: false, reason: `challenger: ${challenged.reason}` };
    }
    const mismatch = challengerMismatch(files, challenger);
    if (mismatch !== null) {
      return { ok: false, reason: mismatch };
    }
  }
  const target = join(options.modelsDir, release.version);
  const staging = `${target}.partial`;
  rmSync(staging, { recursive: true, force: true });
  writePackage(staging, files);
  if (challenger !== null) {
    writePackage(join(staging, CHALLENGER_DIR), challenger);
  }
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return { ok: true, dir: target };
}

/** Makes a staged release current; the one it replaces stays installed as `previous`. */
export function activateModelRelease(state: SyncStateStore, version: string): void {
  const current = state.get(RELEASE_KEYS.modelCurrent);
  if (current !== undefined && current !== '' && current !== version) {
    state.set(RELEASE_KEYS.modelPrevious, current);
  }
  state.set(RELEASE_KEYS.modelCurrent, version);
}

export function recordRejectedRelease(state: SyncStateStore, version: string, reason: string): void {
  state.set(RELEASE_KEYS.rejected, JSON.stringify({ version, reason }));
}

/** Stage and activate in one go (no model service to consult): verified files become current. */
export function installModelRelease(
  release: ModelRelease,
  options: { modelsDir: string; state: SyncStateStore; verify: VerifyModelPackage },
): PullOutcome {
  const { state } = options;
  if (state.get(RELEASE_KEYS.modelCurrent) === release.version) {
    return 'ignored';
  }
  if (withdrawnModelReleases(state).includes(release.version)) {
    return { rejected: WITHDRAWN_REFUSAL };
  }
  const staged = stageModelRelease(release, options);
  if (!staged.ok) {
    recordRejectedRelease(state, release.version, staged.reason);
    return 'rejected';
  }
  activateModelRelease(state, release.version);
  return 'applied';
}

/** Makes the previous model release current again (its files were kept); false when there is none. */
export function rollbackModelRelease(modelsDir: string, state: SyncStateStore): boolean {
  const previous = state.get(RELEASE_KEYS.modelPrevious);
  const current = state.get(RELEASE_KEYS.modelCurrent);
  if (
    previous === undefined ||
    previous === '' ||
    withdrawnModelReleases(state).includes(previous) ||
    !existsSync(join(modelsDir, previous))
  ) {
    return false;
  }
  state.set(RELEASE_KEYS.modelCurrent, previous);
  state.set(RELEASE_KEYS.modelPrevious, current ?? '');
  return true;
}

export function installPolicyRelease(release: PolicyRelease, state: SyncStateStore): PullOutcome {
  const current = state.get(RELEASE_KEYS.policyCurrent);
  if (current !== undefined && (JSON.parse(current) as PolicyRelease).version === release.version) {
    return 'ignored';
  }
  if (current !== undefined) {
    state.set(RELEASE_KEYS.policyPrevious, current);
  }
  state.set(`${RELEASE_KEYS.policyVersionPrefix}${release.version}`, JSON.stringify(release));
  state.set(RELEASE_KEYS.policyCurrent, JSON.stringify(release));
  return 'applied';
}

export function currentPolicy(state: SyncStateStore): PolicyRelease | undefined {
  const raw = state.get(RELEASE_KEYS.policyCurrent);
  return raw === undefined ? undefined : (JSON.parse(raw) as PolicyRelease);
}

/** An installed policy release by version (current, previous or older), or undefined. */
export function policyByVersion(state: SyncStateStore, version: string): PolicyRelease | undefined {
  const raw = state.get(`${RELEASE_KEYS.policyVersionPrefix}${version}`);
  return raw === undefined ? undefined : (JSON.parse(raw) as PolicyRelease);
}
