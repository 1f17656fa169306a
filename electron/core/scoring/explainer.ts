/**
 * Exact explanations at batch speed. For an additive model (main terms only) a feature's best attainable
 * contribution does not depend on the other features, so it is computed once per model; the principal reasons of a
 * row are then one table lookup per feature. The result is identical to `explainContributions` (tested); models with
 * pair terms fall back to it.
 */
import {
  attainableValues,
  bandOf,
  explainContributions,
  outcomeOf,
  pointsFactor,
  pointsOf,
  rawScore,
  scoreOf,
  sigmoid,
  termCell,
  type FeatureReason,
  type ModelManifest,
  type ScoreResult,
  type Term,
  type TermContribution,
} from '../../../models/runtime';

export interface Explainer {
  explain(row: Float64Array, contributions: ArrayLike<number>): ScoreResult;
  /** The principal reasons of an encoded row, largest points lost first (at most four). */
  reasons(row: Float64Array): FeatureReason[];
}

const REASON_LIMIT = 4;
const REASON_MINIMUM_POINTS = 0.5;

function contribution(terms: readonly Term[], row: ArrayLike<number>): number {
  let sum = 0;
  for (const term of terms) {
    sum += term.values[termCell(term, row)] ?? 0;
  }
  return sum;
}

export function createExplainer(manifest: ModelManifest): Explainer {
  const { spec, model, scaling } = manifest;
  if (model.terms.some((t) => t.kind === 'pair')) {
    return {
      explain: (row, contributions) => explainContributions(manifest, row, contributions),
      reasons: (row) => [...explainContributions(manifest, row, new Float64Array(model.terms.length)).reasons],
    };
  }
  const factor = pointsFactor(scaling);
  const termsOf = spec.features.map((_, j) => model.terms.filter((t) => t.kind === 'main' && t.feature === j));
  const best = spec.features.map((_, j) => {
    const terms = termsOf[j] ?? [];
    const probe = new Float64Array(spec.features.length);
    let min = Number.POSITIVE_INFINITY;
    for (const value of attainableValues(spec, model, j)) {
      probe[j] = value;
      min = Math.min(min, contribution(terms, probe));
    }
    return min;
  });

  const reasons = (row: Float64Array): FeatureReason[] => {
    const out: FeatureReason[] = [];
    spec.features.forEach((feature, j) => {
      const terms = termsOf[j] ?? [];
      if (terms.length === 0) {
        return;
      }
      const current = contribution(terms, row);
      const lost = Math.max(0, current - Math.min(current, best[j] ?? current));
      const points = lost * factor;
      if (points >= REASON_MINIMUM_POINTS) {
        out.push({ feature: feature.key, pointsLost: points, text: feature.reasonText });
      }
    });
    out.sort((a, b) => b.pointsLost - a.pointsLost || a.feature.localeCompare(b.feature));
    return out.slice(0, REASON_LIMIT);
  };

  return {
    reasons,
    explain(row, contributions) {
      const terms: TermContribution[] = model.terms.map((term, t) => {
        const logit = contributions[t] ?? 0;
        const features = term.kind === 'main' ? [term.name] : term.features.map((f) => model.featureKeys[f] ?? '');
        return { term: term.name, features, logit, points: pointsOf(logit, scaling) };
      });
      let logit = model.intercept;
      for (const t of terms) {
        logit += t.logit;
      }
      const score = scoreOf(logit, scaling);
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
        reasons: reasons(row),
      };
    },
  };
}
