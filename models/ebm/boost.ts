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
  /** Current logit of every row, updated in place. */
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

/** Gradient and Hessian of the log loss, summed per cell. */
function fillHistogram(term: BoostTerm, rows: BoostRows, hist: Histogram): void {
  const { grad, hess, count } = hist;
  grad.fill(0);
  hess.fill(0);
  count.fill(0);
  const cells = term.trainCells;
  const { label, weight, logit } = rows;
  for (let i = 0; i < cells.length; i++) {
    const p = 1 / (1 + Math.exp(-(logit[i] as number)));
    const w = weight[i] as number;
    const c = cells[i] as number;
    grad[c] = (grad[c] as number) + w * (p - (label[i] as number));
    hess[c] = (hess[c] as number) + w * p * (1 - p);
    count[c] = (count[c] as number) + 1;
  }
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
  const hist: Histogram = {
    grad: new Float64Array(maxCells),
    hess: new Float64Array(maxCells),
    count: new Float64Array(maxCells),
  };
  const best = terms.map((t) => Float64Array.from(t.values));
  let bestLoss = logLossOfLogits(valid.label, valid.weight, valid.logit);
  let bestRound = 0;
  let round = 0;
  for (round = 1; round <= params.maxRounds; round++) {
    const smoothing = round <= params.smoothingRounds ? rng : undefined;
    for (const term of terms) {
      const delta = new Float64Array(term.cells);
      const view: Histogram = {
        grad: hist.grad.subarray(0, term.cells),
        hess: hist.hess.subarray(0, term.cells),
        count: hist.count.subarray(0, term.cells),
      };
      fillHistogram(term, train, view);
      if (term.layout.kind === 'main') {
        fitMainTree(view, term.layout.monotone, params, params.learningRate, smoothing, delta);
      } else if (!fitPairTree(view, term.layout.nA, term.layout.nB, params, params.learningRate, delta)) {
        continue;
      }
      for (let c = 0; c < term.cells; c++) {
        term.values[c] = (term.values[c] as number) + (delta[c] as number);
      }
      addToLogits(term.trainCells, delta, train.logit);
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
  // Roll every term and both logit vectors back to the best round.
  terms.forEach((term, k) => {
    const kept = best[k];
    if (kept === undefined) {
      return;
    }
    const delta = new Float64Array(term.cells);
    for (let c = 0; c < term.cells; c++) {
      delta[c] = (kept[c] as number) - (term.values[c] as number);
    }
    addToLogits(term.trainCells, delta, train.logit);
    addToLogits(term.validCells, delta, valid.logit);
    term.values.set(kept);
  });
  return { rounds: Math.min(round, params.maxRounds), bestRound, bestValidLoss: bestLoss };
}
