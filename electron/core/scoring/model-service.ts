/**
 * The one loaded scoring model. A package is read once into memory, its Ed25519 signature and file hashes are
 * verified with the trusted key, its feature specification must be the app's own, and only then is the
 * onnxruntime session created — from the verified bytes, never from the path again.
 */
import { fileURLToPath } from 'node:url';
import { NEXIS_FEATURE_SPEC, computeSpecHash, type FeatureSpec } from '../../../shared/features';
import type { ModelStatusView } from '../../../shared/ipc/scoring';
import { sha256Hex } from '../../../models/core/hash';
import type { PolicyDefaults } from '../../../models/scoring/scaling';
import { readPackageBytes } from '../../../models/package/files';
import { keyIdOf, loadPublicKey, SignatureFileSchema } from '../../../models/package/signing';
import {
  createModelScorer,
  isModelError,
  verifyModelPackage,
  type ModelError,
  type ModelManifest,
  type ModelScorer,
  type PackageBytes,
  type VerifiedPackage,
} from '../../../models/runtime';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { ScoringPerformance } from '../diagnostics/scoring-performance';
import { NexisError } from '../errors';
import { createExplainer, type Explainer } from './explainer';

export const defaultModelDir = (): string => fileURLToPath(new URL('../../../resources/model', import.meta.url));

/**
 * The DEVELOPMENT public key committed beside the default package (its private half is not in the repository:
 * resources/model/dev-keys/README.md). Development runs and tests trust it; a packaged build trusts only the bank
 * release key baked into it and refuses this one (electron/core/system/trust-config.ts).
 */
export const developmentPublicKeyPath = (): string =>
  fileURLToPath(new URL('../../../resources/model/dev-keys/public.pem', import.meta.url));

/** "No usable model": scoring is refused with the reason the status panel shows. */
export const MODEL_UNAVAILABLE = 'MODEL_UNAVAILABLE' as const;

type Refusal = NonNullable<ModelStatusView['refusal']>;

/** A verified model ready to score. */
export interface ActiveModel {
  readonly manifest: ModelManifest;
  readonly scorer: ModelScorer;
  readonly modelHash: string;
  readonly explainer: Explainer;
}

export interface ModelServiceOptions {
  /** PEM (or DER bytes) of the trusted Ed25519 public key. */
  readonly trustedPublicKey: string | Uint8Array;
  /** The specification the app captures data with; a package built on another one is refused. */
  readonly spec?: FeatureSpec;
  readonly clock?: Clock;
  /** Cut-offs of an earlier central policy release by version (replay of decisions made under it). */
  readonly policyByVersion?: (version: string) => PolicyDefaults | undefined;
  /** Seam for tests: how a session is made from verified bytes. */
  readonly createScorer?: (verified: VerifiedPackage) => Promise<ModelScorer>;
  /** Where each refused or failed load is counted for the fleet report (none counted when absent). */
  readonly recorder?: Pick<ScoringPerformance, 'recordModelLoadFailure'>;
}

const EMPTY_STATUS: Omit<ModelStatusView, 'state' | 'refusal' | 'detail' | 'source' | 'trustedKeyId'> = {
  modelId: null,
  modelVersion: null,
  modelHash: null,
  policyVersion: null,
  specHash: null,
  synthetic: null,
  signature: null,
  loadedAt: null,
  loadMs: null,
};

export class ModelService {
  readonly #trustedKey: string | Uint8Array;
  readonly #expectedSpecHash: string;
  readonly #clock: Clock;
  readonly #createScorer: (verified: VerifiedPackage) => Promise<ModelScorer>;
  readonly #policyByVersion: ((version: string) => PolicyDefaults | undefined) | undefined;
  readonly #recorder: Pick<ScoringPerformance, 'recordModelLoadFailure'> | undefined;
  #active: ActiveModel | null = null;
  /** The cut-offs of a central policy release, in force over the package's defaults (null: the package's own). */
  #policyOverride: PolicyDefaults | null = null;
  #packagePolicy: PolicyDefaults | null = null;
  /** Bumped by every load and release, so a slow load finishing after a release or a newer load is discarded. */
  #generation = 0;
  #status: ModelStatusView;

  constructor(options: ModelServiceOptions) {
    this.#trustedKey = options.trustedPublicKey;
    this.#expectedSpecHash = computeSpecHash(options.spec ?? NEXIS_FEATURE_SPEC, sha256Hex);
    this.#clock = options.clock ?? systemClock;
    this.#createScorer = options.createScorer ?? createModelScorer;
    this.#policyByVersion = options.policyByVersion;
    this.#recorder = options.recorder;
    this.#status = {
      ...EMPTY_STATUS,
      state: 'not-installed',
      refusal: null,
      detail: 'No scoring model has been loaded yet.',
      source: null,
      trustedKeyId: this.#trustedKeyId(),
    };
  }

  status(): ModelStatusView {
    return this.#status;
  }

  /** The loaded model, or MODEL_UNAVAILABLE with the reason the status panel shows. */
  active(): ActiveModel {
    if (this.#active === null) {
      throw new NexisError(MODEL_UNAVAILABLE, `No verified scoring model is available: ${this.#status.detail}`);
    }
    return this.#active;
  }

  /**
   * Puts a central policy release's cut-offs in force (null: back to the package's defaults). Scores record the
   * policy version they were decided under, so replay knows which cut-offs applied.
   */
  setPolicy(policy: PolicyDefaults | null): void {
    this.#policyOverride = policy;
    const active = this.#active;
    if (active === null || this.#packagePolicy === null) {
      return;
    }
    const manifest: ModelManifest = { ...active.manifest, policy: policy ?? this.#packagePolicy };
    this.#active = { ...active, manifest, explainer: createExplainer(manifest) };
    this.#status = { ...this.#status, policyVersion: manifest.policy.version };
  }

  /** The cut-offs a score recorded as `policyVersion`: in force now, the package's own, or an earlier release. */
  policyFor(version: string): PolicyDefaults | undefined {
    const inForce = this.#active?.manifest.policy;
    if (inForce?.version === version) {
      return inForce;
    }
    if (this.#packagePolicy?.version === version) {
      return this.#packagePolicy;
    }
    return this.#policyByVersion?.(version);
  }

  /** Reads a package directory once, then verifies and loads those bytes. */
  loadDirectory(dir: string): Promise<ModelStatusView> {
    return this.#counted(() => this.#loadDirectory(dir));
  }

  /** Verifies package bytes already in memory (e.g. an installed release) and loads them on success. */
  loadBytes(bytes: PackageBytes, source: string): Promise<ModelStatusView> {
    return this.#counted(() => this.#loadBytes(bytes, source));
  }

  /**
   * A load that throws (an unreadable folder, a failing release of the previous session) is a failed load too.
   * Refusals are counted where the refused status is set (`#set`), once each; a load superseded by a newer one is
   * neither (it hands back the newer load's status, which was counted already if it was refused).
   */
  async #counted(load: () => Promise<ModelStatusView>): Promise<ModelStatusView> {
    try {
      return await load();
    } catch (error) {
      this.#recorder?.recordModelLoadFailure();
      throw error;
    }
  }

  async #loadDirectory(dir: string): Promise<ModelStatusView> {
    let bytes: PackageBytes;
    try {
      bytes = readPackageBytes(dir);
    } catch (error) {
      if (isModelError(error) && error.code === 'MODEL_FILE_MISSING') {
        await this.#clear();
        return this.#set('not-installed', null, `No model package at ${dir}.`, dir);
      }
      if (isModelError(error)) {
        return this.#refuse(error, dir);
      }
      throw error;
    }
    return this.#loadBytes(bytes, dir);
  }

  async #loadBytes(bytes: PackageBytes, source: string): Promise<ModelStatusView> {
    const started = performance.now();
    const verified = verifyModelPackage(bytes, this.#trustedKey);
    if (!verified.ok) {
      return this.#refuse(verified.error, source, bytes);
    }
    const pkg = verified.value;
    if (pkg.manifest.specHash !== this.#expectedSpecHash) {
      await this.#clear();
      return this.#set(
        'refused',
        'incompatible-spec',
        `The package is built on specification ${pkg.manifest.spec.id} ${pkg.manifest.spec.version} ` +
          `(${pkg.manifest.specHash}), not on this workstation's (${this.#expectedSpecHash}).`,
        source,
      );
    }
    const generation = ++this.#generation;
    let scorer: ModelScorer;
    try {
      scorer = await this.#createScorer(pkg);
    } catch (error) {
      await this.#clear();
      const message = error instanceof Error ? error.message : String(error);
      return this.#set('refused', 'runtime-error', `onnxruntime could not load the model: ${message}`, source);
    }
    if (generation !== this.#generation) {
      // Released or superseded by another load while the session was being created: this one must not win.
      await scorer.release();
      return this.#status;
    }
    await this.#clear();
    this.#packagePolicy = pkg.manifest.policy;
    const m: ModelManifest =
      this.#policyOverride === null ? pkg.manifest : { ...pkg.manifest, policy: this.#policyOverride };
    this.#active = { manifest: m, scorer, modelHash: pkg.modelHash, explainer: createExplainer(m) };
    this.#status = {
      state: 'verified',
      refusal: null,
      detail: `${m.modelId} ${m.modelVersion} verified with key ${pkg.keyId}${m.trainingData.synthetic ? ' (trained on synthetic data: development only)' : ''}.`,
      source,
      modelId: m.modelId,
      modelVersion: m.modelVersion,
      modelHash: pkg.modelHash,
      policyVersion: m.policy.version,
      specHash: m.specHash,
      synthetic: m.trainingData.synthetic,
      signature: { algorithm: 'Ed25519', keyId: pkg.keyId },
      trustedKeyId: this.#trustedKeyId(),
      loadedAt: this.#clock.now().toISOString(),
      loadMs: performance.now() - started,
    };
    return this.#status;
  }

  async release(): Promise<void> {
    this.#generation++;
    await this.#clear();
  }

  async #clear(): Promise<void> {
    const previous = this.#active;
    this.#active = null;
    if (previous !== null) {
      await previous.scorer.release();
    }
  }

  async #refuse(error: ModelError, source: string, bytes?: PackageBytes): Promise<ModelStatusView> {
    await this.#clear();
    const refusal = this.#refusalOf(error, bytes);
    const lead: Record<Refusal, string> = {
      unsigned: 'The package is not signed',
      altered: 'The package was altered after signing',
      'wrong-key': 'The package is signed with a key this workstation does not trust',
      'incompatible-spec': 'The package does not fit this workstation',
      'invalid-package': 'The package is malformed',
      'invalid-key': 'The trusted public key is not a usable Ed25519 key',
      'runtime-error': 'The model could not be loaded',
    };
    return this.#set('refused', refusal, `${lead[refusal]} (${error.code}: ${error.message}).`, source);
  }

  #refusalOf(error: ModelError, bytes: PackageBytes | undefined): Refusal {
    switch (error.code) {
      case 'MODEL_SIGNATURE_MISSING':
        return 'unsigned';
      case 'MODEL_HASH_MISMATCH':
        return 'altered';
      case 'KEY_INVALID':
        return 'invalid-key';
      case 'MODEL_SIGNATURE_INVALID':
        // Same failure for both; the key id in the signature file tells which one it is.
        return this.#signedByAnotherKey(bytes) ? 'wrong-key' : 'altered';
      default:
        return 'invalid-package';
    }
  }

  #signedByAnotherKey(bytes: PackageBytes | undefined): boolean {
    const trusted = this.#trustedKeyId();
    if (bytes === undefined || trusted === null) {
      return false;
    }
    try {
      const parsed = SignatureFileSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes.signature)));
      return parsed.success && parsed.data.keyId !== trusted;
    } catch {
      return false;
    }
  }

  #trustedKeyId(): string | null {
    try {
      return keyIdOf(loadPublicKey(this.#trustedKey));
    } catch {
      return null;
    }
  }

  #set(state: ModelStatusView['state'], refusal: Refusal | null, detail: string, source: string): ModelStatusView {
    if (state === 'refused') {
      this.#recorder?.recordModelLoadFailure();
    }
    this.#status = { ...EMPTY_STATUS, state, refusal, detail, source, trustedKeyId: this.#trustedKeyId() };
    return this.#status;
  }
}
