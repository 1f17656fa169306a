/**
 * Trains the glass-box model on a Dataset: bins features, boosts main terms, picks interaction
 * pairs by FAST ranking, boosts them, averages over bags and centres every term. Deterministic
 * under `seed`: no clock, no Math.random, fixed iteration order, so the same seed gives the same bytes.
 */
import { findDeniedFeatures } from '../../shared/features';
import { ModelError } from '../core/errors';
import { deriveSeed } from '../core/prng';
import type { Dataset } from '../data/dataset';
import { stratifiedSplit } from '../data/split';
import { pairCells, type Bag, type BaggingContext, type BinnedFeature, type ClassWeights } from './bags';
import { binColumn, categoricalCuts, cutsFromCounts, valueCounts } from './binning';
import type { GlassBoxModel, MainTerm, PairTerm, Term } from './model';
import { rankPairs } from './pairs';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions, type TrainProgress } from './options';
import { runBags, trainingThreads, warmBagWorkers, type BagRunReport } from './parallel';

/** How a training runs, as opposed to what it computes: never recorded in the model. */
export interface TrainExecution {
  /** Threads for the bags (the main one included); default NEXIS_TRAIN_THREADS or the machine's cores. */
  readonly threads?: number;
  /** Told, per stage, how many bags ran on the main thread and how many on workers. */
  readonly onBags?: (report: BagRunReport) => void;
}

function binFeatures(data: Dataset, options: TrainOptions): BinnedFeature[] {
  const all = Int32Array.from({ length: data.rowCount }, (_, i) => i);
  return data.spec.features.map((feature, j) => {
    const values = data.columns[j] ?? new Float64Array(data.rowCount);
    let cuts: Float64Array;
    let pairCuts: Float64Array;
    if (feature.kind === 'categorical') {
      cuts = categoricalCuts(feature.categories.length);
      pairCuts = cuts;
    } else {
      // Both cut sets come from one sort of the column.
      const observed = valueCounts(values, all);
      cuts = cutsFromCounts(observed, options.maxBins, options.minSamplesBin);
      pairCuts = cutsFromCounts(observed, options.maxInteractionBins, Math.max(options.minSamplesBin, 1));
    }
    const monotone = feature.riskDirection === 'increasing' ? 1 : feature.riskDirection === 'decreasing' ? -1 : 0;
    return {
      cuts,
      bins: binColumn(values, all, cuts),
      pairCuts,
      pairBins: binColumn(values, all, pairCuts),
      monotone: options.monotone ? monotone : 0,
    };
  });
}

function rowWeights(label: Uint8Array, options: TrainOptions): ClassWeights {
  if (options.classWeight === 'none') {
    return { positive: 1, negative: 1 };
  }
  let positives = 0;
  label.forEach((y) => (positives += y));
  const n = label.length;
  return { positive: n / (2 * positives), negative: n / (2 * (n - positives)) };
}

export function trainGlassBox(
  data: Dataset,
  overrides: Partial<TrainOptions> = {},
  execution: TrainExecution = {},
): GlassBoxModel {
  const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...overrides };
  const spec = data.spec;
  const denied = findDeniedFeatures(spec);
  if (denied.length > 0) {
    const names = denied.map((d) => `${d.key} (${d.attribute}: ${d.match})`).join(', ');
    throw new ModelError('FEATURE_DENIED', `protected attributes or proxies cannot be model inputs: ${names}`);
  }
  let positives = 0;
  data.label.forEach((y) => (positives += y));
  if (positives < 2 || data.rowCount - positives < 2) {
    throw new ModelError('TRAINING_FAILED', 'the label needs at least two defaults and two non-defaults');
  }
  const threads = trainingThreads(data.rowCount, options.outerBags, execution.threads);
  if (threads > 1) {
    warmBagWorkers(threads);
  }
  const { onProgress, ...recorded } = options;
  const progress = (event: TrainProgress): void => onProgress?.(event);
  const replay = (stage: 'mains' | 'pairs', bag: number, losses: Float64Array): void =>
    losses.forEach((validLoss, r) => progress({ stage, bag, round: r + 1, validLoss }));
  progress({ stage: 'binning', bag: 0, round: 0, validLoss: Number.NaN });
  const features = binFeatures(data, options);
  const weights = rowWeights(data.label, options);
  const bags: Bag[] = Array.from({ length: options.outerBags }, (_, b) => {
    const split = stratifiedSplit(data.label, options.validationFraction, deriveSeed(options.seed, b));
    return { train: split.train, valid: split.holdout };
  });
  const ctx: BaggingContext = { label: data.label, weights, features, bags, options: recorded };

  // Stage 1: main terms, one boosting run per bag, averaged in bag order.
  const mainSums = features.map((f) => new Float64Array(f.cuts.length + 2));
  let interceptSum = 0;
  const stats: Record<string, number> = {};
  runBags({ kind: 'mains', ctx }, bags.length, threads, execution.onBags).forEach((result, b) => {
    replay('mains', b, result.losses);
    interceptSum += result.intercept;
    stats[`mainRoundsBag${b}`] = result.bestRound;
    result.values.forEach((values, j) => {
      const sum = mainSums[j] as Float64Array;
      values.forEach((v, c) => (sum[c] = (sum[c] ?? 0) + v));
    });
  });
  const intercept = interceptSum / bags.length;
  const mains = mainSums.map((sum) => sum.map((v) => v / bags.length));

  // Base logit of every training row under the averaged main terms.
  const base = new Float64Array(data.rowCount).fill(intercept);
  features.forEach((f, j) => {
    const values = mains[j] as Float64Array;
    f.bins.forEach((c, i) => (base[i] = (base[i] ?? 0) + (values[c] ?? 0)));
  });

  // Stage 2: interaction pairs among unconstrained features, ranked by FAST on the residuals.
  const pairs =
    options.interactions > 0
      ? rankPairs(features, data.label, base, weights, options).slice(0, options.interactions)
      : [];
  progress({ stage: 'pairs-selected', bag: 0, round: pairs.length, validLoss: Number.NaN });
  const pairSums = pairs.map(([a, b]) => new Float64Array(pairCells(features, a, b)));
  const mainShift = mains.map((values) => new Float64Array(values.length));
  if (pairs.length > 0) {
    runBags({ kind: 'pairs', ctx, stage: { pairs, base, mains } }, bags.length, threads, execution.onBags).forEach(
      (result, b) => {
        replay('pairs', b, result.losses);
        stats[`pairRoundsBag${b}`] = result.bestRound;
        result.pairValues.forEach((values, k) => {
          const sum = pairSums[k] as Float64Array;
          values.forEach((v, c) => (sum[c] = (sum[c] ?? 0) + v));
        });
        result.mainValues.forEach((values, j) => {
          const start = mains[j] as Float64Array;
          const shift = mainShift[j] as Float64Array;
          values.forEach((v, c) => (shift[c] = (shift[c] ?? 0) + (v - (start[c] ?? 0)) / bags.length));
        });
      },
    );
  }
  mains.forEach((values, j) => values.forEach((v, c) => (values[c] = v + ((mainShift[j] as Float64Array)[c] ?? 0))));
  const pairValues = pairSums.map((sum) => sum.map((v) => v / bags.length));

  // Centre every term on the training rows so a contribution reads "versus the average applicant".
  let centredIntercept = intercept;
  const terms: Term[] = [];
  features.forEach((f, j) => {
    const values = mains[j] as Float64Array;
    const counts = new Float64Array(values.length);
    f.bins.forEach((c) => (counts[c] = (counts[c] ?? 0) + 1));
    const mean = values.reduce((s, v, c) => s + v * (counts[c] ?? 0), 0) / data.rowCount;
    centredIntercept += mean;
    const centred = Array.from(values, (v, c) => (c === 0 && counts[0] === 0 ? 0 : v - mean));
    const term: MainTerm = {
      kind: 'main',
      feature: j,
      name: spec.features[j]?.key ?? `f${j}`,
      cuts: Array.from(f.cuts),
      values: centred,
      counts: Array.from(counts),
    };
    terms.push(term);
  });
  pairs.forEach(([fa, fb], k) => {
    const A = features[fa] as BinnedFeature;
    const B = features[fb] as BinnedFeature;
    const nB = B.pairCuts.length + 2;
    const values = pairValues[k] as Float64Array;
    const counts = new Float64Array(values.length);
    A.pairBins.forEach((a, i) => {
      const c = a * nB + (B.pairBins[i] ?? 0);
      counts[c] = (counts[c] ?? 0) + 1;
    });
    const mean = values.reduce((s, v, c) => s + v * (counts[c] ?? 0), 0) / data.rowCount;
    centredIntercept += mean;
    const term: PairTerm = {
      kind: 'pair',
      features: [fa, fb],
      name: `${spec.features[fa]?.key ?? fa} × ${spec.features[fb]?.key ?? fb}`,
      cuts: [Array.from(A.pairCuts), Array.from(B.pairCuts)],
      values: Array.from(values, (v) => v - mean),
      counts: Array.from(counts),
    };
    terms.push(term);
  });
  // Class weights shift the fitted odds by positive/negative weight; undo that so probabilities stay calibrated.
  centredIntercept -= Math.log(weights.positive / weights.negative);

  return {
    format: 'nexis-glassbox/1',
    specId: spec.id,
    specVersion: spec.version,
    featureKeys: spec.features.map((f) => f.key),
    intercept: centredIntercept,
    terms,
    training: { ...recorded, ...stats, rows: data.rowCount, defaults: positives },
  };
}
