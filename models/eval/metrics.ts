/** Discrimination and calibration metrics for predicted probabilities of default (label 1 = default). */

export interface CalibrationBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

export interface Metrics {
  readonly rows: number;
  readonly defaultRate: number;
  readonly auc: number;
  readonly gini: number;
  readonly ks: number;
  readonly brier: number;
  readonly logLoss: number;
  readonly calibration: readonly CalibrationBin[];
}

/** Row indexes sorted by ascending prediction, ties broken by index for determinism. */
function order(predicted: Float64Array): Int32Array {
  return Int32Array.from(predicted.keys()).sort((a, b) => (predicted[a] ?? 0) - (predicted[b] ?? 0) || a - b);
}

/** Area under the ROC curve (Mann–Whitney with tied ranks averaged). */
export function auc(label: Uint8Array, predicted: Float64Array): number {
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
export function ks(label: Uint8Array, predicted: Float64Array): number {
  const idx = order(predicted);
  let positives = 0;
  label.forEach((y) => (positives += y));
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

export function evaluate(label: Uint8Array, predicted: Float64Array, calibrationBins = 10): Metrics {
  const n = label.length;
  let positives = 0;
  let brier = 0;
  let logLoss = 0;
  for (let i = 0; i < n; i++) {
    const y = label[i] ?? 0;
    const p = Math.min(Math.max(predicted[i] ?? 0, 1e-15), 1 - 1e-15);
    positives += y;
    brier += (p - y) ** 2;
    logLoss -= y === 1 ? Math.log(p) : Math.log(1 - p);
  }
  const a = auc(label, predicted);
  const idx = order(predicted);
  const calibration: CalibrationBin[] = [];
  for (let b = 0; b < calibrationBins; b++) {
    const from = Math.floor((b * n) / calibrationBins);
    const to = Math.floor(((b + 1) * n) / calibrationBins);
    if (to <= from) {
      continue;
    }
    let sumP = 0;
    let sumY = 0;
    for (let k = from; k < to; k++) {
      sumP += predicted[idx[k] ?? 0] ?? 0;
      sumY += label[idx[k] ?? 0] ?? 0;
    }
    calibration.push({
      lower: predicted[idx[from] ?? 0] ?? 0,
      upper: predicted[idx[to - 1] ?? 0] ?? 0,
      count: to - from,
      meanPredicted: sumP / (to - from),
      observedRate: sumY / (to - from),
    });
  }
  return {
    rows: n,
    defaultRate: positives / n,
    auc: a,
    gini: 2 * a - 1,
    ks: ks(label, predicted),
    brier: brier / n,
    logLoss: logLoss / n,
    calibration,
  };
}
