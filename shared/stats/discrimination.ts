/**
 * Discrimination and calibration statistics for predicted probabilities of default (label 1 = default), shared by the
 * trainer (models/eval/metrics.ts, on the hold-out rows) and the centre's monitoring (server/monitoring, on matured
 * loans), so a model's promise and what happened are measured by the same code.
 */

/** Row indexes sorted by ascending prediction, ties broken by index for determinism. */
function order(predicted: ArrayLike<number>): Int32Array {
  return Int32Array.from({ length: predicted.length }, (_, i) => i).sort(
    (a, b) => (predicted[a] ?? 0) - (predicted[b] ?? 0) || a - b,
  );
}

/** Area under the ROC curve (Mann–Whitney with tied ranks averaged); NaN without both classes. */
export function auc(label: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const idx = order(predicted);
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    const value = predicted[idx[i] ?? 0];
    while (j + 1 < idx.length && predicted[idx[j + 1] ?? 0] === value) {
      j++;
    }
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (label[idx[k] ?? 0] === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = idx.length - positives;
  if (positives === 0 || negatives === 0) {
    return Number.NaN;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Kolmogorov–Smirnov: the largest gap between the score distributions of defaults and non-defaults. */
export function ks(label: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const idx = order(predicted);
  let positives = 0;
  for (let i = 0; i < label.length; i++) {
    positives += label[i] === 1 ? 1 : 0;
  }
  const negatives = label.length - positives;
  let cumPos = 0;
  let cumNeg = 0;
  let best = 0;
  for (let k = 0; k < idx.length; k++) {
    if (label[idx[k] ?? 0] === 1) {
      cumPos++;
    } else {
      cumNeg++;
    }
    const next = idx[k + 1];
    if (next === undefined || predicted[next] !== predicted[idx[k] ?? 0]) {
      best = Math.max(best, Math.abs(cumNeg / negatives - cumPos / positives));
    }
  }
  return best;
}

/** Mean squared error of the predicted probabilities. */
export function brier(label: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < label.length; i++) {
    sum += ((predicted[i] ?? 0) - (label[i] ?? 0)) ** 2;
  }
  return label.length === 0 ? Number.NaN : sum / label.length;
}

/** The normal quantile of a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * The 95 % interval of an AUC by Hanley & McNeil (1982), from the AUC and the two class sizes: the standard
 * closed form, which assumes the exponential approximation of the score distributions; with tens of defaults it is
 * close to DeLong's, and it needs no per-loan pass. Clipped to [0, 1].
 */
export function aucInterval(area: number, positives: number, negatives: number): Interval | null {
  if (!Number.isFinite(area) || positives < 1 || negatives < 1) {
    return null;
  }
  const q1 = area / (2 - area);
  const q2 = (2 * area * area) / (1 + area);
  const variance =
    (area * (1 - area) + (positives - 1) * (q1 - area * area) + (negatives - 1) * (q2 - area * area)) /
    (positives * negatives);
  const half = Z95 * Math.sqrt(Math.max(0, variance));
  return { low: Math.max(0, area - half), high: Math.min(1, area + half) };
}

/** Wilson's 95 % score interval of a proportion `events / trials`: sound at small counts and near 0, unlike Wald's. */
export function wilsonInterval(events: number, trials: number): Interval | null {
  if (trials < 1) {
    return null;
  }
  const p = events / trials;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Population stability index of observed counts against expected shares over the same bins (0.1: watch, 0.25: act).
 * Empty bins are floored at 1e-4 so one empty bin gives a large but finite figure.
 */
export function populationStabilityIndex(expected: readonly number[], observed: readonly number[]): number {
  const total = observed.reduce((s, c) => s + c, 0);
  const expectedTotal = expected.reduce((s, c) => s + c, 0);
  const floor = 1e-4;
  let psi = 0;
  expected.forEach((share, b) => {
    const e = Math.max(expectedTotal > 0 ? share / expectedTotal : 0, floor);
    const a = Math.max(total > 0 ? (observed[b] ?? 0) / total : 0, floor);
    psi += (a - e) * Math.log(a / e);
  });
  return psi;
}
