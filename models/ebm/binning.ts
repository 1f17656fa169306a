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

/** The distinct observed (float32-rounded, non-missing) values of some rows, ascending, with their counts. */
export interface ValueCounts {
  readonly distinct: Float64Array;
  readonly counts: Int32Array;
  readonly total: number;
}

export function valueCounts(values: Float64Array, rows: Int32Array): ValueCounts {
  const observed = new Float64Array(rows.length);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const x = Math.fround(values[rows[i] as number] ?? Number.NaN);
    if (!Number.isNaN(x) && x >= FLOAT32_LOWEST) {
      observed[n++] = x;
    }
  }
  const sorted = observed.subarray(0, n).sort();
  const distinct = new Float64Array(n);
  const counts = new Int32Array(n);
  let k = -1;
  for (let i = 0; i < n; i++) {
    const x = sorted[i] as number;
    if (k >= 0 && distinct[k] === x) {
      counts[k] = (counts[k] as number) + 1;
    } else {
      k += 1;
      distinct[k] = x;
      counts[k] = 1;
    }
  }
  return { distinct: distinct.slice(0, k + 1), counts: counts.slice(0, k + 1), total: n };
}

/**
 * Quantile cuts over the observed values: at most `maxBins` value bins, each holding at least
 * `minPerBin` rows where the data allows. Few distinct values get one bin each.
 */
export function cutsFromCounts(observed: ValueCounts, maxBins: number, minPerBin: number): Float64Array {
  const { distinct, counts, total } = observed;
  const cuts: number[] = [];
  if (distinct.length <= maxBins) {
    for (let k = 1; k < distinct.length; k++) {
      cuts.push(cutBetween(distinct[k - 1] ?? 0, distinct[k] ?? 0));
    }
    return Float64Array.from(cuts);
  }
  // Walk the distinct values, closing a bin once it holds its share of the remaining rows.
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

export function quantileCuts(values: Float64Array, rows: Int32Array, maxBins: number, minPerBin: number): Float64Array {
  return cutsFromCounts(valueCounts(values, rows), maxBins, minPerBin);
}

/** Categories are coded 0..k-1; cuts at k - 0.5 give each its own bin with the same routing rule. */
export function categoricalCuts(categoryCount: number): Float64Array {
  return Float64Array.from({ length: Math.max(0, categoryCount - 1) }, (_, k) => k + 0.5);
}
