/**
 * One reference point for every explanation: each factor's best attainable value. The chart, the principal reasons
 * and the letter all read the same per-feature numbers, "points lost against the best attainable value", so a factor
 * shown as costing nothing can never be named as a reason, and the largest losses are exactly the reasons.
 *
 * Per term the reference is the best cell the term can reach within the valid range (its current cell when that is
 * better, e.g. a missing value). A main term's loss belongs to its feature; a pair term's loss is split equally
 * between its two features. The decomposition is exact because the model is a sum of tables:
 *   referenceLogit + Σ lost = intercept + Σ contributions = logit of default,
 * so bestPoints + Σ factor points = the raw score. For an additive model (main terms only) a feature's loss is the
 * exact gain of moving that feature alone to its best value.
 */
import type { FeatureSpec } from '../../shared/features';
import { termCell, termContributions, type GlassBoxModel } from '../ebm/model';

export interface FeatureReason {
  readonly feature: string;
  /** Score points lost against the feature's best attainable value (> 0). */
  readonly pointsLost: number;
  readonly text: { readonly en: string; readonly sw?: string | undefined };
}

export interface LossAttribution {
  /** Logit of default with every term at its reference (best attainable) cell. */
  readonly referenceLogit: number;
  /** Logit lost per feature against the reference (≥ 0), in specification order. */
  readonly lost: Float64Array;
}

/** The explanation an officer reads: one bar per feature, in points, against the stated reference. */
export interface Attribution {
  readonly reference: 'best-attainable';
  /** Raw score at the reference: bestPoints + Σ factors' points = raw score. */
  readonly bestPoints: number;
  /** Specification order; points ≤ 0 (0 = the factor is at its best attainable value). */
  readonly factors: readonly { readonly feature: string; readonly points: number }[];
}

/** One representative value per interval the model distinguishes, inside the feature's valid range. */
export function attainableValues(spec: FeatureSpec, model: GlassBoxModel, featureIndex: number): number[] {
  const feature = spec.features[featureIndex];
  if (feature === undefined) {
    return [];
  }
  if (feature.kind === 'categorical') {
    return feature.categories.map((_, k) => k);
  }
  const cuts = new Set<number>();
  for (const term of model.terms) {
    if (term.kind === 'main' && term.feature === featureIndex) {
      term.cuts.forEach((c) => cuts.add(c));
    } else if (term.kind === 'pair') {
      term.features.forEach((f, axis) => {
        if (f === featureIndex) {
          term.cuts[axis]?.forEach((c) => cuts.add(c));
        }
      });
    }
  }
  // An interval [cut, next cut) is represented by its start; the lowest one by the range minimum.
  const starts = [...cuts].filter((c) => c > feature.min && c <= feature.max).sort((a, b) => a - b);
  return [feature.min, ...starts];
}

interface References {
  /** Per feature: indexes of its main terms and the best attainable sum of them (Infinity when none). */
  readonly mainTerms: readonly (readonly number[])[];
  readonly bestMain: Float64Array;
  /** Per term: the best attainable cell value of a pair term (unused for main terms). */
  readonly bestPair: Float64Array;
}

/** Per model, computed once: the references do not depend on the applicant. */
const referencesCache = new WeakMap<GlassBoxModel, Map<FeatureSpec, References>>();

function referencesOf(spec: FeatureSpec, model: GlassBoxModel): References {
  let bySpec = referencesCache.get(model);
  if (bySpec === undefined) {
    bySpec = new Map();
    referencesCache.set(model, bySpec);
  }
  const cached = bySpec.get(spec);
  if (cached !== undefined) {
    return cached;
  }
  const n = spec.features.length;
  const mainTerms = spec.features.map((_, j) =>
    model.terms.flatMap((t, index) => (t.kind === 'main' && t.feature === j ? [index] : [])),
  );
  const attainable = spec.features.map((_, j) => attainableValues(spec, model, j));
  const probe = new Float64Array(n);
  const bestMain = Float64Array.from(spec.features, (_, j) => {
    let best = Number.POSITIVE_INFINITY;
    for (const value of attainable[j] ?? []) {
      probe[j] = value;
      let sum = 0;
      for (const t of mainTerms[j] ?? []) {
        const term = model.terms[t];
        sum += term === undefined ? 0 : (term.values[termCell(term, probe)] ?? 0);
      }
      best = Math.min(best, sum);
    }
    return best;
  });
  const bestPair = Float64Array.from(model.terms, (term) => {
    if (term.kind !== 'pair') {
      return 0;
    }
    const [a, b] = term.features;
    let best = Number.POSITIVE_INFINITY;
    for (const va of attainable[a] ?? []) {
      for (const vb of attainable[b] ?? []) {
        probe[a] = va;
        probe[b] = vb;
        best = Math.min(best, term.values[termCell(term, probe)] ?? 0);
      }
    }
    return best;
  });
  const references = { mainTerms, bestMain, bestPair };
  bySpec.set(spec, references);
  return references;
}

/** The exact loss of each feature against the best attainable reference, from a row's term contributions. */
export function attributeLoss(
  spec: FeatureSpec,
  model: GlassBoxModel,
  contributions: ArrayLike<number>,
): LossAttribution {
  const { mainTerms, bestMain, bestPair } = referencesOf(spec, model);
  const lost = new Float64Array(spec.features.length);
  let referenceLogit = model.intercept;
  spec.features.forEach((_, j) => {
    const terms = mainTerms[j] ?? [];
    if (terms.length === 0) {
      return;
    }
    let current = 0;
    for (const t of terms) {
      current += contributions[t] ?? 0;
    }
    const best = Math.min(current, bestMain[j] ?? current);
    lost[j] = current - best;
    referenceLogit += best;
  });
  model.terms.forEach((term, t) => {
    if (term.kind !== 'pair') {
      return;
    }
    const current = contributions[t] ?? 0;
    const best = Math.min(current, bestPair[t] ?? current);
    const [a, b] = term.features;
    lost[a] = (lost[a] ?? 0) + (current - best) / 2;
    lost[b] = (lost[b] ?? 0) + (current - best) / 2;
    referenceLogit += best;
  });
  return { referenceLogit, lost };
}

/** Logit contribution lost per feature against its best attainable value (≥ 0), in specification order. */
export function logitLostPerFeature(spec: FeatureSpec, model: GlassBoxModel, row: Float64Array): Float64Array {
  return attributeLoss(spec, model, termContributions(model, row)).lost;
}

export const REASON_LIMIT = 4;
/** A loss below half a point rounds to nothing on the displayed score, so it is never named as a reason. */
export const REASON_MINIMUM_POINTS = 0.5;

/** The principal reasons from per-feature losses: largest points lost first, at most `limit` (ECOA practice). */
export function reasonsFromLoss(
  spec: FeatureSpec,
  lost: ArrayLike<number>,
  pointsPerLogit: number,
  limit = REASON_LIMIT,
  minimumPoints = REASON_MINIMUM_POINTS,
): FeatureReason[] {
  const reasons: FeatureReason[] = [];
  spec.features.forEach((feature, j) => {
    const points = (lost[j] ?? 0) * pointsPerLogit;
    if (points >= minimumPoints) {
      reasons.push({ feature: feature.key, pointsLost: points, text: feature.reasonText });
    }
  });
  reasons.sort((a, b) => b.pointsLost - a.pointsLost || a.feature.localeCompare(b.feature));
  return reasons.slice(0, limit);
}

/** The chart's bars: −points lost per feature, with the raw score at the reference as their base. */
export function attributionOf(
  spec: FeatureSpec,
  loss: LossAttribution,
  rawScoreOf: (logitOfDefault: number) => number,
  pointsPerLogit: number,
): Attribution {
  return {
    reference: 'best-attainable',
    bestPoints: rawScoreOf(loss.referenceLogit),
    // 0 − x would give −0 for a factor at its best; the chart shows it as exactly 0.
    factors: spec.features.map((feature, j) => ({
      feature: feature.key,
      points: -(loss.lost[j] ?? 0) * pointsPerLogit || 0,
    })),
  };
}

/** The principal reasons of an encoded row, largest points lost first, at most `limit` (ECOA practice: four). */
export function principalReasons(
  spec: FeatureSpec,
  model: GlassBoxModel,
  row: Float64Array,
  pointsPerLogit: number,
  limit = REASON_LIMIT,
  minimumPoints = REASON_MINIMUM_POINTS,
): FeatureReason[] {
  return reasonsFromLoss(spec, logitLostPerFeature(spec, model, row), pointsPerLogit, limit, minimumPoints);
}
