/**
 * Public API of the model package for the workstation core (scoring engine, plans, drift).
 * Typical use: read the three files once, `verifyModelPackage`, then `createModelScorer` from the
 * verified bytes; `scoreWithTs` is the reference implementation of the same score.
 */
import type { KeyObject } from 'node:crypto';
import type { Result, PackageBytes, VerifiedPackage } from '../package/signing';
import { loadPublicKey, verifyPackageBytes } from '../package/signing';
import { readPackageBytes } from '../package/files';
import { ModelError } from '../core/errors';

export { ModelError, isModelError, type ModelErrorCode } from '../core/errors';
export type { ModelManifest, DriftBaseline } from '../package/manifest';
export type { VerifiedPackage, PackageBytes, Result, SignatureFile } from '../package/signing';
export type { GlassBoxModel, Term, MainTerm, PairTerm } from '../ebm/model';
export { termContributions, termCell, sigmoid } from '../ebm/model';
export { binOf } from '../ebm/binning';
export { scoreWithTs, explainContributions, encodeApplicant, type ScoreResult, type TermContribution } from './score';
export { createModelScorer, type ModelScorer } from './model-scorer';
export {
  principalReasons,
  logitLostPerFeature,
  attainableValues,
  attributeLoss,
  attributionOf,
  reasonsFromLoss,
  type Attribution,
  type FeatureReason,
  type LossAttribution,
} from '../scoring/reasons';
export {
  scoreOf,
  rawScore,
  bandOf,
  outcomeOf,
  pointsOf,
  pointsFactor,
  type Outcome,
  type ScoreScaling,
  type ScoreBand,
  type PolicyDefaults,
} from '../scoring/scaling';
export { populationStability, driftBins } from '../eval/drift';
export { encodeValues } from '../data/encode';

/** Verifies package bytes already in memory with a PEM (or KeyObject) public key. */
export function verifyModelPackage(
  bytes: PackageBytes,
  publicKey: string | Uint8Array | KeyObject,
): Result<VerifiedPackage> {
  try {
    const key = typeof publicKey === 'string' || publicKey instanceof Uint8Array ? loadPublicKey(publicKey) : publicKey;
    return verifyPackageBytes(bytes, key);
  } catch (error) {
    if (error instanceof ModelError) {
      return { ok: false, error };
    }
    throw error;
  }
}

/** Reads a package directory once and verifies it; the result holds the bytes to run. */
export function loadModelPackage(dir: string, publicKey: string | Uint8Array | KeyObject): Result<VerifiedPackage> {
  try {
    return verifyModelPackage(readPackageBytes(dir), publicKey);
  } catch (error) {
    if (error instanceof ModelError) {
      return { ok: false, error };
    }
    throw error;
  }
}
