/**
 * The logistic-regression baseline the benchmark reports next to the glass-box model: standardised
 * numeric features (missing → mean plus a missing indicator), one-hot categories, L2-regularised,
 * fitted by Newton's method. Same inputs as the glass-box model, so the comparison is fair.
 */
import type { Dataset } from '../data/dataset';

interface Encoder {
  readonly width: number;
  encode(data: Dataset, row: number, out: Float64Array): void;
}

function buildEncoder(data: Dataset): Encoder {
  const parts: Array<(data: Dataset, row: number, out: Float64Array, at: number) => void> = [];
  const widths: number[] = [];
  data.spec.features.forEach((feature, j) => {
    const column = data.columns[j] ?? new Float64Array(0);
    if (feature.kind === 'categorical') {
      const k = feature.categories.length;
      widths.push(k);
      parts.push((d, r, out, at) => {
        const code = d.columns[j]?.[r] ?? Number.NaN;
        if (!Number.isNaN(code)) {
          out[at + code] = 1;
        }
      });
      return;
    }
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
    const mean = observed > 0 ? sum / observed : 0;
    const sd = observed > 0 ? Math.sqrt(Math.max(sumSq / observed - mean * mean, 0)) || 1 : 1;
    const hasMissing = observed < column.length;
    widths.push(hasMissing ? 2 : 1);
    parts.push((d, r, out, at) => {
      const x = d.columns[j]?.[r] ?? Number.NaN;
      if (Number.isNaN(x)) {
        out[at + 1] = 1;
      } else {
        out[at] = (x - mean) / sd;
      }
    });
  });
  const offsets = widths.map((_, k) => widths.slice(0, k).reduce((s, w) => s + w, 1));
  const width = widths.reduce((s, w) => s + w, 1);
  return {
    width,
    encode(d, row, out) {
      out.fill(0);
      out[0] = 1;
      parts.forEach((part, k) => part(d, row, out, offsets[k] ?? 1));
    },
  };
}

/** Solves A x = b for symmetric positive-definite A (row-major p × p) by Cholesky. */
function solveSpd(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j] ?? 0;
      for (let k = 0; k < j; k++) {
        s -= (l[i * p + k] ?? 0) * (l[j * p + k] ?? 0);
      }
      l[i * p + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / (l[j * p + j] ?? 1);
    }
  }
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i] ?? 0;
    for (let k = 0; k < i; k++) {
      s -= (l[i * p + k] ?? 0) * (y[k] ?? 0);
    }
    y[i] = s / (l[i * p + i] ?? 1);
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i] ?? 0;
    for (let k = i + 1; k < p; k++) {
      s -= (l[k * p + i] ?? 0) * (x[k] ?? 0);
    }
    x[i] = s / (l[i * p + i] ?? 1);
  }
  return x;
}

export interface LogisticModel {
  predict(data: Dataset): Float64Array;
}

export function trainLogistic(data: Dataset, lambda = 1, iterations = 25): LogisticModel {
  const encoder = buildEncoder(data);
  const p = encoder.width;
  const n = data.rowCount;
  const design = new Float64Array(n * p);
  const x = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    encoder.encode(data, i, x);
    design.set(x, i * p);
  }
  const beta = new Float64Array(p);
  for (let iter = 0; iter < iterations; iter++) {
    const grad = new Float64Array(p);
    const hess = new Float64Array(p * p);
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let k = 0; k < p; k++) {
        z += (design[i * p + k] ?? 0) * (beta[k] ?? 0);
      }
      const prob = 1 / (1 + Math.exp(-z));
      const w = prob * (1 - prob);
      const r = prob - (data.label[i] ?? 0);
      for (let a = 0; a < p; a++) {
        const xa = design[i * p + a] ?? 0;
        if (xa === 0) {
          continue;
        }
        grad[a] = (grad[a] ?? 0) + r * xa;
        for (let b = 0; b <= a; b++) {
          hess[a * p + b] = (hess[a * p + b] ?? 0) + w * xa * (design[i * p + b] ?? 0);
        }
      }
    }
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < a; b++) {
        hess[b * p + a] = hess[a * p + b] ?? 0;
      }
      // The intercept is not penalised.
      if (a > 0) {
        hess[a * p + a] = (hess[a * p + a] ?? 0) + lambda;
        grad[a] = (grad[a] ?? 0) + lambda * (beta[a] ?? 0);
      }
    }
    const step = solveSpd(hess, grad, p);
    let change = 0;
    for (let k = 0; k < p; k++) {
      beta[k] = (beta[k] ?? 0) - (step[k] ?? 0);
      change = Math.max(change, Math.abs(step[k] ?? 0));
    }
    if (change < 1e-8) {
      break;
    }
  }
  return {
    predict(test) {
      const out = new Float64Array(test.rowCount);
      const row = new Float64Array(p);
      for (let i = 0; i < test.rowCount; i++) {
        encoder.encode(test, i, row);
        let z = 0;
        for (let k = 0; k < p; k++) {
          z += (row[k] ?? 0) * (beta[k] ?? 0);
        }
        out[i] = 1 / (1 + Math.exp(-z));
      }
      return out;
    },
  };
}
