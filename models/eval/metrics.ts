/** Discrimination and calibration metrics for predicted probabilities of default (label 1 = default). */
import { auc, ks } from '../../shared/stats/discrimination';

export { auc, ks };

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
  const idx = Int32Array.from(predicted.keys()).sort((x, y) => (predicted[x] ?? 0) - (predicted[y] ?? 0) || x - y);
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
