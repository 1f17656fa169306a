/**
 * The shallow trees that cyclic boosting fits to one term at a time, from gradient histograms.
 * Leaf values are Newton steps −G/(H+λ); λ (L2) shrinks leaves with little data, which keeps
 * shapes from turning jagged. Monotone constraints are enforced per tree: a sum of monotone
 * steps is monotone, so the learned shape is monotone whatever the number of rounds.
 */
import type { Rng } from '../core/prng';

export interface TreeParams {
  readonly lambda: number;
  readonly minSamplesLeaf: number;
  /** 2 or 3 leaves over the ordered (non-missing) bins. */
  readonly maxLeaves: number;
}

export interface Histogram {
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  readonly count: Float64Array;
}

interface Split {
  /** Last bin of the left part. */
  readonly at: number;
  readonly gain: number;
  readonly left: number;
  readonly right: number;
}

const leafValue = (g: number, h: number, lambda: number): number => -g / (h + lambda);

/**
 * Best split of the ordered bins lo..hi (inclusive) under a monotone sign (+1: left ≤ right,
 * −1: left ≥ right, 0: free) and bounds on both leaf values. With `rng`, a uniformly random
 * valid split is taken instead (EBM's smoothing rounds), which evens out early shapes.
 */
function bestSplit(
  hist: Histogram,
  lo: number,
  hi: number,
  monotone: number,
  lower: number,
  upper: number,
  params: TreeParams,
  rng: Rng | undefined,
): Split | undefined {
  const { grad, hess, count } = hist;
  const lambda = params.lambda;
  let gT = 0;
  let hT = 0;
  let cT = 0;
  for (let b = lo; b <= hi; b++) {
    gT += grad[b] ?? 0;
    hT += hess[b] ?? 0;
    cT += count[b] ?? 0;
  }
  const parentScore = (gT * gT) / (hT + lambda);
  let best: Split | undefined;
  let validCount = 0;
  const pass = (pick: number): Split | undefined => {
    let gL = 0;
    let hL = 0;
    let cL = 0;
    let seen = 0;
    for (let k = lo; k < hi; k++) {
      gL += grad[k] ?? 0;
      hL += hess[k] ?? 0;
      cL += count[k] ?? 0;
      const cR = cT - cL;
      if (cL < params.minSamplesLeaf || cR < params.minSamplesLeaf) {
        continue;
      }
      const gR = gT - gL;
      const hR = hT - hL;
      const left = leafValue(gL, hL, lambda);
      const right = leafValue(gR, hR, lambda);
      if ((monotone > 0 && left > right) || (monotone < 0 && left < right)) {
        continue;
      }
      if (left < lower || left > upper || right < lower || right > upper) {
        continue;
      }
      const gain = (gL * gL) / (hL + lambda) + (gR * gR) / (hR + lambda) - parentScore;
      if (pick < 0) {
        validCount++;
        if (best === undefined || gain > best.gain) {
          best = { at: k, gain, left, right };
        }
      } else if (seen++ === pick) {
        return { at: k, gain, left, right };
      }
    }
    return undefined;
  };
  pass(-1);
  if (rng !== undefined && validCount > 0) {
    return pass(rng.int(validCount));
  }
  return best !== undefined && best.gain > 0 ? best : undefined;
}

function segmentValue(hist: Histogram, lo: number, hi: number, lambda: number): number {
  let g = 0;
  let h = 0;
  for (let b = lo; b <= hi; b++) {
    g += hist.grad[b] ?? 0;
    h += hist.hess[b] ?? 0;
  }
  return leafValue(g, h, lambda);
}

/**
 * Fits a main-term tree: the missing bin (0) is always its own leaf; the ordered bins 1..n−1
 * get up to `maxLeaves` leaves. Writes learning-rate-scaled updates into `delta`.
 */
export function fitMainTree(
  hist: Histogram,
  monotone: number,
  params: TreeParams,
  learningRate: number,
  rng: Rng | undefined,
  delta: Float64Array,
): void {
  const n = delta.length;
  const lambda = params.lambda;
  delta.fill(0);
  if ((hist.count[0] ?? 0) > 0) {
    delta[0] = learningRate * leafValue(hist.grad[0] ?? 0, hist.hess[0] ?? 0, lambda);
  }
  if (n < 2) {
    return;
  }
  const last = n - 1;
  const fill = (lo: number, hi: number, value: number): void => {
    delta.fill(learningRate * value, lo, hi + 1);
  };
  const first = bestSplit(hist, 1, last, monotone, -Infinity, Infinity, params, rng);
  if (first === undefined) {
    fill(1, last, segmentValue(hist, 1, last, lambda));
    return;
  }
  fill(1, first.at, first.left);
  fill(first.at + 1, last, first.right);
  if (params.maxLeaves < 3) {
    return;
  }
  // The new pair of leaves must stay on the right side of the untouched neighbour.
  const leftBounds: [number, number] =
    monotone > 0 ? [-Infinity, first.right] : monotone < 0 ? [first.right, Infinity] : [-Infinity, Infinity];
  const rightBounds: [number, number] =
    monotone > 0 ? [first.left, Infinity] : monotone < 0 ? [-Infinity, first.left] : [-Infinity, Infinity];
  const inLeft = bestSplit(hist, 1, first.at, monotone, leftBounds[0], leftBounds[1], params, rng);
  const inRight = bestSplit(hist, first.at + 1, last, monotone, rightBounds[0], rightBounds[1], params, rng);
  const useLeft = inLeft !== undefined && (inRight === undefined || inLeft.gain >= inRight.gain);
  if (useLeft) {
    fill(1, inLeft.at, inLeft.left);
    fill(inLeft.at + 1, first.at, inLeft.right);
  } else if (inRight !== undefined) {
    fill(first.at + 1, inRight.at, inRight.left);
    fill(inRight.at + 1, last, inRight.right);
  }
}

/** Summed-area table over an nA × nB histogram, for O(1) rectangle sums without allocation. */
class Prefix2D {
  private readonly g: Float64Array;
  private readonly h: Float64Array;
  private readonly c: Float64Array;
  private readonly stride: number;
  /** Results of the last `sum` call. */
  grad = 0;
  hess = 0;
  count = 0;

  constructor(hist: Histogram, nA: number, nB: number) {
    this.stride = nB + 1;
    const size = (nA + 1) * (nB + 1);
    this.g = new Float64Array(size);
    this.h = new Float64Array(size);
    this.c = new Float64Array(size);
    const s = this.stride;
    for (let a = 0; a < nA; a++) {
      for (let b = 0; b < nB; b++) {
        const cell = a * nB + b;
        const at = (a + 1) * s + b + 1;
        this.g[at] =
          (hist.grad[cell] as number) +
          (this.g[at - s] as number) +
          (this.g[at - 1] as number) -
          (this.g[at - s - 1] as number);
        this.h[at] =
          (hist.hess[cell] as number) +
          (this.h[at - s] as number) +
          (this.h[at - 1] as number) -
          (this.h[at - s - 1] as number);
        this.c[at] =
          (hist.count[cell] as number) +
          (this.c[at - s] as number) +
          (this.c[at - 1] as number) -
          (this.c[at - s - 1] as number);
      }
    }
  }

  /** Sums over rows a0..a1 and columns b0..b1, inclusive (transposed when `swap`) into grad/hess/count. */
  sum(a0: number, a1: number, b0: number, b1: number, swap: boolean): this {
    const s = this.stride;
    const r0 = swap ? b0 : a0;
    const r1 = swap ? b1 : a1;
    const c0 = swap ? a0 : b0;
    const c1 = swap ? a1 : b1;
    const p11 = (r1 + 1) * s + c1 + 1;
    const p01 = r0 * s + c1 + 1;
    const p10 = (r1 + 1) * s + c0;
    const p00 = r0 * s + c0;
    this.grad = (this.g[p11] as number) - (this.g[p01] as number) - (this.g[p10] as number) + (this.g[p00] as number);
    this.hess = (this.h[p11] as number) - (this.h[p01] as number) - (this.h[p10] as number) + (this.h[p00] as number);
    this.count = (this.c[p11] as number) - (this.c[p01] as number) - (this.c[p10] as number) + (this.c[p00] as number);
    return this;
  }
}

interface PairSide {
  readonly gain: number;
  /** Last index of the low part on the second axis, or −1 when the side stays one leaf. */
  readonly at: number;
  readonly low: number;
  readonly high: number;
}

/**
 * Fits a pair-term tree (EBM style): one cut on the first axis, then one cut on the other axis
 * independently on each side — four leaves — trying both axis orders. Missing is bin 0 of each
 * axis; pairs never involve monotone features, so the order of the missing bin does not matter.
 */
export function fitPairTree(
  hist: Histogram,
  nA: number,
  nB: number,
  params: TreeParams,
  learningRate: number,
  delta: Float64Array,
): boolean {
  const lambda = params.lambda;
  const prefix = new Prefix2D(hist, nA, nB);
  const score = (g: number, h: number): number => (g * g) / (h + lambda);
  prefix.sum(0, nA - 1, 0, nB - 1, false);
  const parent = score(prefix.grad, prefix.hess);

  const bestSide = (a0: number, a1: number, n2: number, swap: boolean): PairSide => {
    prefix.sum(a0, a1, 0, n2 - 1, swap);
    const g = prefix.grad;
    const h = prefix.hess;
    const c = prefix.count;
    let bestGain = score(g, h);
    let bestAt = -1;
    let lowG = g;
    let lowH = h;
    for (let k = 0; k < n2 - 1; k++) {
      prefix.sum(a0, a1, 0, k, swap);
      const gL = prefix.grad;
      const hL = prefix.hess;
      const cL = prefix.count;
      if (cL < params.minSamplesLeaf || c - cL < params.minSamplesLeaf) {
        continue;
      }
      const gain = score(gL, hL) + score(g - gL, h - hL);
      if (gain > bestGain) {
        bestGain = gain;
        bestAt = k;
        lowG = gL;
        lowH = hL;
      }
    }
    return bestAt < 0
      ? { gain: bestGain, at: -1, low: leafValue(g, h, lambda), high: 0 }
      : { gain: bestGain, at: bestAt, low: leafValue(lowG, lowH, lambda), high: leafValue(g - lowG, h - lowH, lambda) };
  };

  let bestGain = 0;
  let plan: { swap: boolean; cut: number; lowSide: PairSide; highSide: PairSide } | undefined;
  for (const swap of [false, true]) {
    const n1 = swap ? nB : nA;
    const n2 = swap ? nA : nB;
    for (let cut = 0; cut < n1 - 1; cut++) {
      const cLow = prefix.sum(0, cut, 0, n2 - 1, swap).count;
      const cHigh = prefix.sum(cut + 1, n1 - 1, 0, n2 - 1, swap).count;
      if (cLow < params.minSamplesLeaf || cHigh < params.minSamplesLeaf) {
        continue;
      }
      const lowSide = bestSide(0, cut, n2, swap);
      const highSide = bestSide(cut + 1, n1 - 1, n2, swap);
      const gain = lowSide.gain + highSide.gain - parent;
      if (gain > bestGain) {
        bestGain = gain;
        plan = { swap, cut, lowSide, highSide };
      }
    }
  }
  delta.fill(0);
  if (plan === undefined) {
    return false;
  }
  for (let a = 0; a < nA; a++) {
    for (let b = 0; b < nB; b++) {
      const first = plan.swap ? b : a;
      const second = plan.swap ? a : b;
      const side = first <= plan.cut ? plan.lowSide : plan.highSide;
      const value = side.at < 0 || second <= side.at ? side.low : side.high;
      delta[a * nB + b] = learningRate * value;
    }
  }
  return true;
}

/** FAST's ranking statistic: the best gain of a single 4-quadrant cut of a pair's residual histogram. */
export function pairStrength(hist: Histogram, nA: number, nB: number, params: TreeParams): number {
  const lambda = params.lambda;
  const prefix = new Prefix2D(hist, nA, nB);
  const score = (g: number, h: number): number => (g * g) / (h + lambda);
  prefix.sum(0, nA - 1, 0, nB - 1, false);
  const parent = score(prefix.grad, prefix.hess);
  let best = 0;
  for (let a = 0; a < nA - 1; a++) {
    for (let b = 0; b < nB - 1; b++) {
      let total = 0;
      let valid = true;
      for (const [a0, a1] of [
        [0, a],
        [a + 1, nA - 1],
      ] as const) {
        for (const [b0, b1] of [
          [0, b],
          [b + 1, nB - 1],
        ] as const) {
          prefix.sum(a0, a1, b0, b1, false);
          if (prefix.count < params.minSamplesLeaf) {
            valid = false;
          }
          total += score(prefix.grad, prefix.hess);
        }
      }
      if (valid && total - parent > best) {
        best = total - parent;
      }
    }
  }
  return best;
}
