/**
 * Binning shared by training and scoring. Cuts are float32 values and inputs are rounded to
 * float32 before comparison, exactly as the ONNX tree ensemble (float input, float thresholds)
 * routes them, so the TypeScript model and onnxruntime agree at every boundary.
 * Bin 0 is the missing-value bin; a value x falls in bin 1 + #{cuts c : fround(x) >= c}.
 */

/** Below this a float32 input is treated as missing, matching the ONNX graph's missing test. */
export const FLOAT32_LOWEST = -3.4028234663852886e38;

export function binOf(value: number, cuts: Float64Array | readonly number[]): number {
  const x = Math.fround(value);
  if (Number.isNaN(x) || x < FLOAT32_LOWEST) {
    return 0;
  }
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x >= (cuts[mid] ?? 0)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo + 1;
}

export function binColumn(values: Float64Array, rows: Int32Array, cuts: Float64Array): Uint16Array {
  const out = new Uint16Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    out[i] = binOf(values[rows[i] ?? 0] ?? Number.NaN, cuts);
  }
  return out;
}

/** A float32 cut strictly above `lower` and at most `upper`, preferring the midpoint. */
function cutBetween(lower: number, upper: number): number {
  const mid = Math.fround((lower + upper) / 2);
  return mid > lower && mid <= upper ? mid : upper;
}

/**
 * Quantile cuts over the observed (float32-rounded) values: at most `maxBins` value bins, each
 * holding at least `minPerBin` rows where the data allows. Few distinct values get one bin each.
 */
export function quantileCuts(values: Float64Array, rows: Int32Array, maxBins: number, minPerBin: number): Float64Array {
  const observed: number[] = [];
  for (const r of rows) {
    const x = Math.fround(values[r] ?? Number.NaN);
    if (!Number.isNaN(x) && x >= FLOAT32_LOWEST) {
      observed.push(x);
    }
  }
  if (observed.length === 0) {
    return new Float64Array(0);
  }
  const sorted = Float64Array.from(observed).sort();
  const distinct: number[] = [];
  const counts: number[] = [];
  for (const x of sorted) {
    if (distinct.length > 0 && distinct[distinct.length - 1] === x) {
      counts[counts.length - 1] = (counts[counts.length - 1] ?? 0) + 1;
    } else {
      distinct.push(x);
      counts.push(1);
    }
  }
  const cuts: number[] = [];
  if (distinct.length <= maxBins) {
    for (let k = 1; k < distinct.length; k++) {
      cuts.push(cutBetween(distinct[k - 1] ?? 0, distinct[k] ?? 0));
    }
    return Float64Array.from(cuts);
  }
  // Walk the distinct values, closing a bin once it holds its share of the remaining rows.
  const total = sorted.length;
  const target = Math.max(minPerBin, total / maxBins);
  let inBin = 0;
  let remaining = total;
  for (let k = 0; k < distinct.length - 1; k++) {
    inBin += counts[k] ?? 0;
    remaining -= counts[k] ?? 0;
    if (inBin >= target && remaining >= minPerBin) {
      cuts.push(cutBetween(distinct[k] ?? 0, distinct[k + 1] ?? 0));
      inBin = 0;
    }
  }
  return Float64Array.from(cuts);
}

/** Categories are coded 0..k-1; cuts at k - 0.5 give each its own bin with the same routing rule. */
export function categoricalCuts(categoryCount: number): Float64Array {
  return Float64Array.from({ length: Math.max(0, categoryCount - 1) }, (_, k) => k + 0.5);
}
