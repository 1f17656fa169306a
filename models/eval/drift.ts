/**
 * The drift baseline: each feature's training distribution over the model's own bins, plus its
 * missing rate, mean and spread. The workstation compares recent applicants against it (PSI).
 */
import type { Dataset } from '../data/dataset';
import { binOf } from '../ebm/binning';
import type { GlassBoxModel } from '../ebm/model';
import type { DriftBaseline } from '../package/manifest';

export function driftBaseline(model: GlassBoxModel, data: Dataset): DriftBaseline[] {
  const baselines: DriftBaseline[] = [];
  for (const term of model.terms) {
    if (term.kind !== 'main') {
      continue;
    }
    const total = term.counts.reduce((s, c) => s + c, 0);
    const column = data.columns[term.feature] ?? new Float64Array(0);
    let sum = 0;
    let sumSq = 0;
    let observed = 0;
    for (const x of column) {
      if (!Number.isNaN(x)) {
        sum += x;
        sumSq += x * x;
        observed++;
      }
    }
    const categorical = data.spec.features[term.feature]?.kind === 'categorical';
    const mean = observed > 0 && !categorical ? sum / observed : null;
    baselines.push({
      feature: term.name,
      cuts: [...term.cuts],
      proportions: term.counts.map((c) => (total > 0 ? c / total : 0)),
      missingRate: total > 0 ? (term.counts[0] ?? 0) / total : 0,
      mean,
      standardDeviation: mean === null ? null : Math.sqrt(Math.max(0, sumSq / observed - mean * mean)),
    });
  }
  return baselines;
}

/** Population stability index of recent bin counts against a baseline (0.1 watch, 0.25 act). */
export function populationStability(baseline: DriftBaseline, recentCounts: readonly number[]): number {
  const total = recentCounts.reduce((s, c) => s + c, 0);
  const floor = 1e-4;
  let psi = 0;
  baseline.proportions.forEach((expected, b) => {
    const e = Math.max(expected, floor);
    const a = Math.max(total > 0 ? (recentCounts[b] ?? 0) / total : 0, floor);
    psi += (a - e) * Math.log(a / e);
  });
  return psi;
}

/**
 * The bin an encoded applicant falls in for each drift-baseline feature (bin 0: missing), in baseline order: what a
 * workstation counts so the centre can compare recent applicants with the training distribution (characteristic
 * stability). A baseline naming no main term of the model gets null: nothing to count it against.
 */
export function driftBins(
  model: GlassBoxModel,
  drift: readonly DriftBaseline[],
  row: ArrayLike<number>,
): (number | null)[] {
  const columns = new Map<string, number>();
  for (const term of model.terms) {
    if (term.kind === 'main') {
      columns.set(term.name, term.feature);
    }
  }
  return drift.map((baseline) => {
    const column = columns.get(baseline.feature);
    return column === undefined ? null : binOf(row[column] ?? Number.NaN, baseline.cuts);
  });
}
