/**
 * One bag's boosting run for each training stage, as pure functions of plain, structured-clone-able
 * data (typed arrays, numbers, plain objects): so the same code runs on the main thread or in a
 * worker (see parallel.ts) and a bag's result does not depend on where it ran.
 */
import { createRng, deriveSeed } from '../core/prng';
import { boostTerms, type BoostParams, type BoostRows, type BoostTerm } from './boost';
import type { TrainOptions } from './options';

export interface BinnedFeature {
  readonly cuts: Float64Array;
  readonly bins: Uint16Array;
  readonly pairCuts: Float64Array;
  readonly pairBins: Uint16Array;
  readonly monotone: number;
}

export interface Bag {
  readonly train: Int32Array;
  readonly valid: Int32Array;
}

/** TrainOptions without the progress listener, which cannot cross a thread. */
export type BagOptions = Omit<TrainOptions, 'onProgress'>;

export interface ClassWeights {
  readonly positive: number;
  readonly negative: number;
}

/** Everything both stages read; built once per training. */
export interface BaggingContext {
  readonly label: Uint8Array;
  readonly weights: ClassWeights;
  readonly features: readonly BinnedFeature[];
  readonly bags: readonly Bag[];
  readonly options: BagOptions;
}

/** What stage 2 adds: the chosen pairs, the base logit of every row and the averaged main shapes. */
export interface PairStage {
  readonly pairs: ReadonlyArray<readonly [number, number]>;
  readonly base: Float64Array;
  readonly mains: readonly Float64Array[];
}

export interface MainBagResult {
  readonly intercept: number;
  readonly values: Float64Array[];
  readonly bestRound: number;
  /** Validation loss after each round, replayed as progress events by the caller. */
  readonly losses: Float64Array;
}

export interface PairBagResult {
  readonly pairValues: Float64Array[];
  /** Main shapes after the joint cycle (only when `refitMains`), otherwise empty. */
  readonly mainValues: Float64Array[];
  readonly bestRound: number;
  readonly losses: Float64Array;
}

// Plain loops: `TypedArray.from` with a mapping callback costs a call per row, a tenth of a bag's time.
function pickCells(cells: Uint16Array, rows: Int32Array): Uint16Array {
  const out = new Uint16Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    out[i] = cells[rows[i] as number] as number;
  }
  return out;
}

function pickLogits(logit: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    out[i] = logit[rows[i] as number] as number;
  }
  return out;
}

function pairCellsOf(a: Uint16Array, b: Uint16Array, nB: number, rows: Int32Array): Uint16Array {
  const out = new Uint16Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    out[i] = (a[r] as number) * nB + (b[r] as number);
  }
  return out;
}

function boostRows(label: Uint8Array, rows: Int32Array, weights: ClassWeights, logit: Float64Array): BoostRows {
  const y = new Uint8Array(rows.length);
  const weight = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = label[rows[i] as number] as number;
    y[i] = v;
    weight[i] = v === 1 ? weights.positive : weights.negative;
  }
  return { label: y, weight, logit };
}

function weightedLogOdds(rows: BoostRows): number {
  let pos = 0;
  let total = 0;
  rows.label.forEach((y, i) => {
    const w = rows.weight[i] ?? 1;
    pos += y * w;
    total += w;
  });
  const p = Math.min(Math.max(pos / total, 1e-6), 1 - 1e-6);
  return Math.log(p / (1 - p));
}

export function pairCells(features: readonly BinnedFeature[], a: number, b: number): number {
  return ((features[a]?.pairCuts.length ?? 0) + 2) * ((features[b]?.pairCuts.length ?? 0) + 2);
}

function mainTerm(f: BinnedFeature, bag: Bag, values: Float64Array): BoostTerm {
  return {
    cells: f.cuts.length + 2,
    trainCells: pickCells(f.bins, bag.train),
    validCells: pickCells(f.bins, bag.valid),
    layout: { kind: 'main', monotone: f.monotone },
    values,
  };
}

function bagAt(ctx: BaggingContext, b: number): Bag {
  const bag = ctx.bags[b];
  if (bag === undefined) {
    throw new RangeError(`no bag ${b} of ${ctx.bags.length}`);
  }
  return bag;
}

/** Stage 1 of bag `b`: boost every main term from the bag's intercept. */
export function fitMainBag(ctx: BaggingContext, b: number): MainBagResult {
  const bag = bagAt(ctx, b);
  const train = boostRows(ctx.label, bag.train, ctx.weights, new Float64Array(bag.train.length));
  const valid = boostRows(ctx.label, bag.valid, ctx.weights, new Float64Array(bag.valid.length));
  const intercept = weightedLogOdds(train);
  train.logit.fill(intercept);
  valid.logit.fill(intercept);
  const terms = ctx.features.map((f) => mainTerm(f, bag, new Float64Array(f.cuts.length + 2)));
  const losses: number[] = [];
  const params: BoostParams = ctx.options;
  const result = boostTerms(terms, train, valid, params, createRng(deriveSeed(ctx.options.seed, 1000 + b)), (_, loss) =>
    losses.push(loss),
  );
  return {
    intercept,
    values: terms.map((t) => t.values),
    bestRound: result.bestRound,
    losses: Float64Array.from(losses),
  };
}

/** Stage 2 of bag `b`: boost the pair terms (and, with `refitMains`, the main terms) on top of the base logits. */
export function fitPairBag(ctx: BaggingContext, stage: PairStage, b: number): PairBagResult {
  const bag = bagAt(ctx, b);
  const { features, options } = ctx;
  const train = boostRows(ctx.label, bag.train, ctx.weights, pickLogits(stage.base, bag.train));
  const valid = boostRows(ctx.label, bag.valid, ctx.weights, pickLogits(stage.base, bag.valid));
  const pairTerms: BoostTerm[] = stage.pairs.map(([fa, fb]) => {
    const A = features[fa] as BinnedFeature;
    const B = features[fb] as BinnedFeature;
    const nB = B.pairCuts.length + 2;
    return {
      cells: pairCells(features, fa, fb),
      trainCells: pairCellsOf(A.pairBins, B.pairBins, nB, bag.train),
      validCells: pairCellsOf(A.pairBins, B.pairBins, nB, bag.valid),
      layout: { kind: 'pair', nA: A.pairCuts.length + 2, nB },
      values: new Float64Array(pairCells(features, fa, fb)),
    };
  });
  // Optionally let the main terms keep adapting while the pairs learn (a joint final cycle).
  const mainTerms: BoostTerm[] = options.refitMains
    ? features.map((f, j) => mainTerm(f, bag, Float64Array.from(stage.mains[j] ?? [])))
    : [];
  const params: BoostParams = { ...options, learningRate: options.pairLearningRate, smoothingRounds: 0 };
  const losses: number[] = [];
  const result = boostTerms(
    [...pairTerms, ...mainTerms],
    train,
    valid,
    params,
    createRng(deriveSeed(options.seed, 2000 + b)),
    (_, loss) => losses.push(loss),
  );
  return {
    pairValues: pairTerms.map((t) => t.values),
    mainValues: mainTerms.map((t) => t.values),
    bestRound: result.bestRound,
    losses: Float64Array.from(losses),
  };
}
