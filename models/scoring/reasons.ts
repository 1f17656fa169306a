/**
 * Principal reasons by "points below the best attainable value": for each feature, the score
 * points the applicant would gain if only that feature took its best value within the valid
 * range, all else held fixed (pair terms included). Exact, because the model is a sum of tables.
 * Features are ranked by points lost; a reason is always a feature the model actually scored.
 */
import type { FeatureSpec } from '../../shared/features';
import { termCell, type GlassBoxModel, type Term } from '../ebm/model';

export interface FeatureReason {
  readonly feature: string;
  /** Score points lost against the feature's best attainable value (> 0). */
  readonly pointsLost: number;
  readonly text: { readonly en: string; readonly sw?: string | undefined };
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

function featureTerms(model: GlassBoxModel, featureIndex: number): Term[] {
  return model.terms.filter((t) =>
    t.kind === 'main' ? t.feature === featureIndex : t.features.includes(featureIndex),
  );
}

function featureContribution(terms: readonly Term[], row: Float64Array): number {
  let sum = 0;
  for (const term of terms) {
    sum += term.values[termCell(term, row)] ?? 0;
  }
  return sum;
}

/** Logit contribution lost per feature against its best attainable value (≥ 0), in specification order. */
export function logitLostPerFeature(spec: FeatureSpec, model: GlassBoxModel, row: Float64Array): Float64Array {
  const lost = new Float64Array(spec.features.length);
  const probe = Float64Array.from(row);
  spec.features.forEach((_, j) => {
    const terms = featureTerms(model, j);
    if (terms.length === 0) {
      return;
    }
    const current = featureContribution(terms, row);
    let best = current;
    for (const value of attainableValues(spec, model, j)) {
      probe[j] = value;
      best = Math.min(best, featureContribution(terms, probe));
    }
    probe[j] = row[j] ?? Number.NaN;
    lost[j] = Math.max(0, current - best);
  });
  return lost;
}

/** The principal reasons, largest points lost first, at most `limit` (ECOA practice: four). */
export function principalReasons(
  spec: FeatureSpec,
  model: GlassBoxModel,
  row: Float64Array,
  pointsPerLogit: number,
  limit = 4,
  minimumPoints = 0.5,
): FeatureReason[] {
  const lost = logitLostPerFeature(spec, model, row);
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
