/**
 * Trains the glass-box model on a Dataset: bins features, boosts main terms, picks interaction
 * pairs by FAST ranking, boosts them, averages over bags and centres every term. Deterministic
 * under `seed`: no clock, no Math.random, fixed iteration order, so the same seed gives the same bytes.
 */
import { findDeniedFeatures } from '../../shared/features';
import { ModelError } from '../core/errors';
import { createRng, deriveSeed } from '../core/prng';
import type { Dataset } from '../data/dataset';
import { stratifiedSplit } from '../data/split';
import { binColumn, categoricalCuts, quantileCuts } from './binning';
import { boostTerms, type BoostParams, type BoostRows, type BoostTerm } from './boost';
import type { GlassBoxModel, MainTerm, PairTerm, Term } from './model';
import { rankPairs } from './pairs';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions, type TrainProgress } from './options';

interface BinnedFeature {
  readonly cuts: Float64Array;
  readonly bins: Uint16Array;
  readonly pairCuts: Float64Array;
  readonly pairBins: Uint16Array;
  readonly monotone: number;
}

interface Bag {
  readonly train: Int32Array;
  readonly valid: Int32Array;
}

const pickCells = (cells: Uint16Array, rows: Int32Array): Uint16Array => Uint16Array.from(rows, (r) => cells[r] ?? 0);
const pickLabel = (label: Uint8Array, rows: Int32Array): Uint8Array => Uint8Array.from(rows, (r) => label[r] ?? 0);

function binFeatures(data: Dataset, options: TrainOptions): BinnedFeature[] {
  const all = Int32Array.from({ length: data.rowCount }, (_, i) => i);
  return data.spec.features.map((feature, j) => {
    const values = data.columns[j] ?? new Float64Array(data.rowCount);
    const categorical = feature.kind === 'categorical';
    const cuts = categorical
      ? categoricalCuts(feature.categories.length)
      : quantileCuts(values, all, options.maxBins, options.minSamplesBin);
    const pairCuts = categorical
      ? cuts
      : quantileCuts(values, all, options.maxInteractionBins, Math.max(options.minSamplesBin, 1));
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

function rowWeights(label: Uint8Array, options: TrainOptions): { positive: number; negative: number } {
  if (options.classWeight === 'none') {
    return { positive: 1, negative: 1 };
  }
  let positives = 0;
  label.forEach((y) => (positives += y));
  const n = label.length;
  return { positive: n / (2 * positives), negative: n / (2 * (n - positives)) };
}

function boostRows(
  label: Uint8Array,
  rows: Int32Array,
  weights: { positive: number; negative: number },
  logit: Float64Array,
): BoostRows {
  const y = pickLabel(label, rows);
  return { label: y, weight: Float64Array.from(y, (v) => (v === 1 ? weights.positive : weights.negative)), logit };
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

export function trainGlassBox(data: Dataset, overrides: Partial<TrainOptions> = {}): GlassBoxModel {
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
  const progress = (event: TrainProgress): void => options.onProgress?.(event);
  progress({ stage: 'binning', bag: 0, round: 0, validLoss: Number.NaN });
  const features = binFeatures(data, options);
  const weights = rowWeights(data.label, options);
  const params: BoostParams = options;

  const bags: Bag[] = Array.from({ length: options.outerBags }, (_, b) => {
    const split = stratifiedSplit(data.label, options.validationFraction, deriveSeed(options.seed, b));
    return { train: split.train, valid: split.holdout };
  });

  // Stage 1: main terms, one boosting run per bag, averaged.
  const mainSums = features.map((f) => new Float64Array(f.cuts.length + 2));
  let interceptSum = 0;
  const stats: Record<string, number> = {};
  bags.forEach((bag, b) => {
    const train = boostRows(data.label, bag.train, weights, new Float64Array(bag.train.length));
    const valid = boostRows(data.label, bag.valid, weights, new Float64Array(bag.valid.length));
    const intercept = weightedLogOdds(train);
    train.logit.fill(intercept);
    valid.logit.fill(intercept);
    interceptSum += intercept;
    const terms: BoostTerm[] = features.map((f) => ({
      cells: f.cuts.length + 2,
      trainCells: pickCells(f.bins, bag.train),
      validCells: pickCells(f.bins, bag.valid),
      layout: { kind: 'main', monotone: f.monotone },
      values: new Float64Array(f.cuts.length + 2),
    }));
    const result = boostTerms(
      terms,
      train,
      valid,
      params,
      createRng(deriveSeed(options.seed, 1000 + b)),
      (round, loss) => progress({ stage: 'mains', bag: b, round, validLoss: loss }),
    );
    stats[`mainRoundsBag${b}`] = result.bestRound;
    terms.forEach((t, j) =>
      t.values.forEach((v, c) => ((mainSums[j] as Float64Array)[c] = ((mainSums[j] as Float64Array)[c] ?? 0) + v)),
    );
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
    bags.forEach((bag, b) => {
      const train = boostRows(
        data.label,
        bag.train,
        weights,
        Float64Array.from(bag.train, (r) => base[r] ?? 0),
      );
      const valid = boostRows(
        data.label,
        bag.valid,
        weights,
        Float64Array.from(bag.valid, (r) => base[r] ?? 0),
      );
      const terms: BoostTerm[] = pairs.map(([fa, fb]) => {
        const A = features[fa] as BinnedFeature;
        const B = features[fb] as BinnedFeature;
        const nB = B.pairCuts.length + 2;
        const cells = Uint16Array.from(A.pairBins, (a, i) => a * nB + (B.pairBins[i] ?? 0));
        return {
          cells: pairCells(features, fa, fb),
          trainCells: pickCells(cells, bag.train),
          validCells: pickCells(cells, bag.valid),
          layout: { kind: 'pair', nA: A.pairCuts.length + 2, nB },
          values: new Float64Array(pairCells(features, fa, fb)),
        };
      });
      // Optionally let the main terms keep adapting while the pairs learn (a joint final cycle).
      const mainTerms: BoostTerm[] = options.refitMains
        ? features.map((f, j) => ({
            cells: f.cuts.length + 2,
            trainCells: pickCells(f.bins, bag.train),
            validCells: pickCells(f.bins, bag.valid),
            layout: { kind: 'main', monotone: f.monotone },
            values: Float64Array.from(mains[j] as Float64Array),
          }))
        : [];
      const pairParams: BoostParams = { ...params, learningRate: options.pairLearningRate, smoothingRounds: 0 };
      const result = boostTerms(
        [...terms, ...mainTerms],
        train,
        valid,
        pairParams,
        createRng(deriveSeed(options.seed, 2000 + b)),
        (round, loss) => progress({ stage: 'pairs', bag: b, round, validLoss: loss }),
      );
      stats[`pairRoundsBag${b}`] = result.bestRound;
      terms.forEach((t, k) =>
        t.values.forEach((v, c) => ((pairSums[k] as Float64Array)[c] = ((pairSums[k] as Float64Array)[c] ?? 0) + v)),
      );
      mainTerms.forEach((t, j) => {
        const start = mains[j] as Float64Array;
        t.values.forEach(
          (v, c) =>
            ((mainShift[j] as Float64Array)[c] =
              ((mainShift[j] as Float64Array)[c] ?? 0) + (v - (start[c] ?? 0)) / bags.length),
        );
      });
    });
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

  const { onProgress: _listener, ...recorded } = options;
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

function pairCells(features: readonly BinnedFeature[], a: number, b: number): number {
  return ((features[a]?.pairCuts.length ?? 0) + 2) * ((features[b]?.pairCuts.length ?? 0) + 2);
}
