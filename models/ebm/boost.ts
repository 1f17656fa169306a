/**
 * Cyclic gradient boosting of a set of terms (EBM): each round visits every term once, fits a
 * shallow tree to the current log-loss gradients on that term's bins, and adds it with a small
 * learning rate. Validation loss after each round drives early stopping; the best round is kept.
 */
import type { Rng } from '../core/prng';
import { fitMainTree, fitPairTree, type Histogram, type TreeParams } from './trees';

export interface BoostTerm {
  /** Number of table cells (bins incl. missing; nA·nB for a pair). */
  readonly cells: number;
  readonly trainCells: Uint16Array;
  readonly validCells: Uint16Array;
  readonly layout:
    | { readonly kind: 'main'; readonly monotone: number }
    | { readonly kind: 'pair'; readonly nA: number; readonly nB: number };
  /** Accumulated shape, updated in place. */
  readonly values: Float64Array;
}

export interface BoostRows {
  readonly label: Uint8Array;
  readonly weight: Float64Array;
  /** Current logit of every row; `boostTerms` leaves it at the logits of the best round. */
  readonly logit: Float64Array;
}

export interface BoostParams extends TreeParams {
  readonly learningRate: number;
  readonly maxRounds: number;
  readonly earlyStoppingRounds: number;
  /** Relative improvement of validation loss below which a round does not count as better. */
  readonly tolerance: number;
  /** Rounds at the start in which main-term splits are drawn at random, for smoother shapes. */
  readonly smoothingRounds: number;
}

export interface BoostResult {
  readonly rounds: number;
  readonly bestRound: number;
  readonly bestValidLoss: number;
}

export type RoundListener = (round: number, validLoss: number) => void;

/** Weighted mean log loss of logits, computed stably through softplus. */
export function logLossOfLogits(label: Uint8Array, weight: Float64Array, logit: Float64Array): number {
  let loss = 0;
  let total = 0;
  for (let i = 0; i < logit.length; i++) {
    const z = logit[i] ?? 0;
    const signed = label[i] === 1 ? -z : z;
    const softplus = signed > 0 ? signed + Math.log1p(Math.exp(-signed)) : Math.log1p(Math.exp(signed));
    const w = weight[i] ?? 1;
    loss += w * softplus;
    total += w;
  }
  return loss / total;
}

/**
 * Gradient and Hessian of the log loss, summed per cell. `inverseOdds[i]` is exp(−logit[i]), so a
 * row's probability costs one division instead of an exp: the exp is taken once per cell per update
 * rather than once per row per term. The previous term's update (`pending`: its cells and
 * per-cell factor exp(−delta)) is applied to the odds in the same pass, which saves a pass over
 * the rows per term and gives exactly the same numbers as applying it first. With nothing
 * pending the factor is all ones, and multiplying by 1 is exact.
 */
function fillHistogram(
  cells: Uint16Array,
  rows: BoostRows,
  inverseOdds: Float64Array,
  hist: Histogram,
  pending: PendingUpdate,
): void {
  const { grad, hess } = hist;
  grad.fill(0);
  hess.fill(0);
  const { label, weight } = rows;
  const { cells: previous, factor } = pending;
  for (let i = 0; i < cells.length; i++) {
    const odds = (inverseOdds[i] as number) * (factor[previous[i] as number] as number);
    inverseOdds[i] = odds;
    const p = 1 / (1 + odds);
    const w = weight[i] as number;
    const c = cells[i] as number;
    grad[c] = (grad[c] as number) + w * (p - (label[i] as number));
    hess[c] = (hess[c] as number) + w * p * (1 - p);
  }
}

/** A term's update not yet applied to the training rows' odds: applied by the next `fillHistogram`. */
interface PendingUpdate {
  readonly cells: Uint16Array;
  readonly factor: Float64Array;
}

function cellCounts(cells: Uint16Array, size: number): Float64Array {
  const count = new Float64Array(size);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i] as number;
    count[c] = (count[c] as number) + 1;
  }
  return count;
}

function addToLogits(cells: Uint16Array, delta: Float64Array, logit: Float64Array): void {
  for (let i = 0; i < cells.length; i++) {
    logit[i] = (logit[i] as number) + (delta[cells[i] as number] as number);
  }
}

export function boostTerms(
  terms: readonly BoostTerm[],
  train: BoostRows,
  valid: BoostRows,
  params: BoostParams,
  rng: Rng,
  onRound?: RoundListener,
): BoostResult {
  const maxCells = Math.max(1, ...terms.map((t) => t.cells));
  const grad = new Float64Array(maxCells);
  const hess = new Float64Array(maxCells);
  const factor = new Float64Array(maxCells);
  const nothing: PendingUpdate = {
    cells: terms[0]?.trainCells ?? new Uint16Array(0),
    factor: new Float64Array(maxCells).fill(1),
  };
  let pending = nothing;
  // A term's cell counts never change during a run: count once.
  const counts = terms.map((t) => cellCounts(t.trainCells, t.cells));
  // Training rows are tracked as exp(−logit) only; their logits get the net change once, at the end.
  // The running products drift by at most a few ulps per update (~1e-12 relative after thousands).
  const inverseOdds = Float64Array.from(train.logit, (z) => Math.exp(-z));
  const start = terms.map((t) => Float64Array.from(t.values));
  const best = terms.map((t) => Float64Array.from(t.values));
  let bestLoss = logLossOfLogits(valid.label, valid.weight, valid.logit);
  let bestRound = 0;
  let round = 0;
  for (round = 1; round <= params.maxRounds; round++) {
    const smoothing = round <= params.smoothingRounds ? rng : undefined;
    for (const [k, term] of terms.entries()) {
      const delta = new Float64Array(term.cells);
      const view: Histogram = {
        grad: grad.subarray(0, term.cells),
        hess: hess.subarray(0, term.cells),
        count: counts[k] as Float64Array,
      };
      fillHistogram(term.trainCells, train, inverseOdds, view, pending);
      pending = nothing;
      if (term.layout.kind === 'main') {
        fitMainTree(view, term.layout.monotone, params, params.learningRate, smoothing, delta);
      } else if (!fitPairTree(view, term.layout.nA, term.layout.nB, params, params.learningRate, delta)) {
        continue;
      }
      for (let c = 0; c < term.cells; c++) {
        term.values[c] = (term.values[c] as number) + (delta[c] as number);
      }
      for (let c = 0; c < term.cells; c++) {
        factor[c] = Math.exp(-(delta[c] as number));
      }
      pending = { cells: term.trainCells, factor };
      addToLogits(term.validCells, delta, valid.logit);
    }
    const loss = logLossOfLogits(valid.label, valid.weight, valid.logit);
    onRound?.(round, loss);
    if (loss < bestLoss * (1 - params.tolerance)) {
      bestLoss = loss;
      bestRound = round;
      terms.forEach((t, k) => best[k]?.set(t.values));
    } else if (round - bestRound >= params.earlyStoppingRounds && round > params.smoothingRounds) {
      break;
    }
  }
  // Roll every term back to the best round; the validation logits follow, the training logits get
  // the net change of the whole run.
  terms.forEach((term, k) => {
    const kept = best[k] as Float64Array;
    const initial = start[k] as Float64Array;
    const rollback = new Float64Array(term.cells);
    const net = new Float64Array(term.cells);
    for (let c = 0; c < term.cells; c++) {
      rollback[c] = (kept[c] as number) - (term.values[c] as number);
      net[c] = (kept[c] as number) - (initial[c] as number);
    }
    addToLogits(term.validCells, rollback, valid.logit);
    addToLogits(term.trainCells, net, train.logit);
    term.values.set(kept);
  });
  return { rounds: Math.min(round, params.maxRounds), bestRound, bestValidLoss: bestLoss };
}
