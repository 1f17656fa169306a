/**
 * FAST (Lou et al., 2013): rank candidate feature pairs by how much a single 4-quadrant cut of
 * each pair's residual gradient histogram would reduce the loss, after the main terms are fitted.
 * Features with a monotone constraint never enter a pair, so their total effect stays monotone
 * and their explanation stays one-dimensional.
 */
import { pairStrength, type Histogram, type TreeParams } from './trees';

const MAX_PAIR_CUTS = 254;

interface PairCandidateFeature {
  readonly pairCuts: Float64Array;
  readonly pairBins: Uint16Array;
  readonly monotone: number;
}

export function rankPairs(
  features: readonly PairCandidateFeature[],
  label: Uint8Array,
  logit: Float64Array,
  weights: { positive: number; negative: number },
  params: TreeParams,
): Array<[number, number]> {
  const n = label.length;
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = 1 / (1 + Math.exp(-(logit[i] as number)));
    const y = label[i] as number;
    const w = y === 1 ? weights.positive : weights.negative;
    grad[i] = w * (p - y);
    hess[i] = w * p * (1 - p);
  }
  // Pair cells are indexed in a Uint16Array: at most 256 bins per axis (many-valued categoricals stay out).
  const eligible = features
    .map((f, j) => (f.monotone === 0 && f.pairCuts.length > 0 && f.pairCuts.length <= MAX_PAIR_CUTS ? j : -1))
    .filter((j) => j >= 0);
  const ranked: Array<{ pair: [number, number]; strength: number }> = [];
  for (let x = 0; x < eligible.length; x++) {
    for (let z = x + 1; z < eligible.length; z++) {
      const a = eligible[x] as number;
      const b = eligible[z] as number;
      const A = features[a] as PairCandidateFeature;
      const B = features[b] as PairCandidateFeature;
      const nA = A.pairCuts.length + 2;
      const nB = B.pairCuts.length + 2;
      const hist: Histogram = {
        grad: new Float64Array(nA * nB),
        hess: new Float64Array(nA * nB),
        count: new Float64Array(nA * nB),
      };
      for (let i = 0; i < n; i++) {
        const c = (A.pairBins[i] as number) * nB + (B.pairBins[i] as number);
        hist.grad[c] = (hist.grad[c] as number) + (grad[i] as number);
        hist.hess[c] = (hist.hess[c] as number) + (hess[i] as number);
        hist.count[c] = (hist.count[c] as number) + 1;
      }
      ranked.push({ pair: [a, b], strength: pairStrength(hist, nA, nB, params) });
    }
  }
  // Stable order: strength, then feature indexes, so equal strengths never depend on sort internals.
  ranked.sort((p, q) => q.strength - p.strength || p.pair[0] - q.pair[0] || p.pair[1] - q.pair[1]);
  return ranked.map((r) => r.pair);
}
