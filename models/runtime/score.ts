/**
 * Turns term contributions into what an officer sees: logit, probability of default, score, band,
 * default policy outcome, per-term points and principal reasons. The same function serves the
 * TypeScript model and onnxruntime, so both paths explain a score identically.
 */
import { validateFeatureValues, type FeatureValues } from '../../shared/features';
import { ModelError } from '../core/errors';
import { encodeValues } from '../data/encode';
import { logitOf, sigmoid, termContributions, type GlassBoxModel } from '../ebm/model';
import type { ModelManifest } from '../package/manifest';
import {
  attributeLoss,
  attributionOf,
  reasonsFromLoss,
  type Attribution,
  type FeatureReason,
} from '../scoring/reasons';
import { bandOf, outcomeOf, pointsFactor, pointsOf, rawScore, scoreOf, type Outcome } from '../scoring/scaling';

export interface TermContribution {
  readonly term: string;
  readonly features: readonly string[];
  /** Contribution to the logit of default (positive raises risk). */
  readonly logit: number;
  /** The same in score points (negative lowers the score). */
  readonly points: number;
}

export interface ScoreResult {
  readonly intercept: number;
  readonly logit: number;
  readonly probabilityOfDefault: number;
  /** Intercept expressed as points: basePoints + Σ points = rawScore. */
  readonly basePoints: number;
  readonly rawScore: number;
  readonly score: number;
  readonly band: string;
  readonly outcome: Outcome;
  readonly contributions: readonly TermContribution[];
  /** The same score per feature against the best attainable values: the one reference of chart and reasons. */
  readonly attribution: Attribution;
  /** The largest losses of `attribution` (at most four, each at least half a point). */
  readonly reasons: readonly FeatureReason[];
}

export function modelOf(manifest: ModelManifest): GlassBoxModel {
  return manifest.model;
}

/** Encodes applicant values after validating them against the specification (INPUT_INVALID otherwise). */
export function encodeApplicant(manifest: ModelManifest, values: FeatureValues): Float64Array {
  const issues = validateFeatureValues(manifest.spec, values);
  if (issues.length > 0) {
    throw new ModelError('INPUT_INVALID', issues.map((i) => i.message).join('; '));
  }
  return encodeValues(manifest.spec, values);
}

/** Everything an officer sees follows from the term contributions alone (the model is a sum of tables). */
export function explainContributions(manifest: ModelManifest, contributions: ArrayLike<number>): ScoreResult {
  const model = manifest.model;
  const scaling = manifest.scaling;
  const terms: TermContribution[] = model.terms.map((term, t) => {
    const logit = contributions[t] ?? 0;
    const features = term.kind === 'main' ? [term.name] : term.features.map((f) => model.featureKeys[f] ?? String(f));
    return { term: term.name, features, logit, points: pointsOf(logit, scaling) };
  });
  const logit = logitOf(
    model,
    Float64Array.from(terms, (t) => t.logit),
  );
  const score = scoreOf(logit, scaling);
  const factor = pointsFactor(scaling);
  const loss = attributeLoss(manifest.spec, model, contributions);
  return {
    intercept: model.intercept,
    logit,
    probabilityOfDefault: sigmoid(logit),
    basePoints: rawScore(model.intercept, scaling),
    rawScore: rawScore(logit, scaling),
    score,
    band: bandOf(score, manifest.bands),
    outcome: outcomeOf(score, manifest.policy),
    contributions: terms,
    attribution: attributionOf(manifest.spec, loss, (l) => rawScore(l, scaling), factor),
    reasons: reasonsFromLoss(manifest.spec, loss.lost, factor),
  };
}

/** Scores one applicant with the TypeScript model (the reference implementation). */
export function scoreWithTs(manifest: ModelManifest, values: FeatureValues): ScoreResult {
  const row = encodeApplicant(manifest, values);
  return explainContributions(manifest, termContributions(manifest.model, row));
}
