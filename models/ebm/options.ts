/** Training options and their defaults (tuned on the public benchmarks; see docs/model.md). */
export interface TrainProgress {
  readonly stage: 'binning' | 'mains' | 'pairs-selected' | 'pairs';
  readonly bag: number;
  readonly round: number;
  readonly validLoss: number;
}

export interface TrainOptions {
  readonly seed: number;
  /** Value bins per feature (plus one missing-value bin). */
  readonly maxBins: number;
  /** Coarser bins per feature inside pair terms. */
  readonly maxInteractionBins: number;
  readonly minSamplesBin: number;
  readonly learningRate: number;
  readonly pairLearningRate: number;
  readonly maxRounds: number;
  readonly earlyStoppingRounds: number;
  readonly tolerance: number;
  readonly smoothingRounds: number;
  /** L2 on leaf values, in Hessian units. */
  readonly lambda: number;
  readonly minSamplesLeaf: number;
  readonly maxLeaves: number;
  /** Share of the training rows held out for early stopping, per bag. */
  readonly validationFraction: number;
  /** Boosting runs on different validation splits, averaged (bagging). */
  readonly outerBags: number;
  /** Number of pair terms chosen by FAST ranking; 0 disables interactions. */
  readonly interactions: number;
  /** Keep boosting the main terms together with the pairs, instead of freezing them after stage 1. */
  readonly refitMains: boolean;
  /** Enforce the specification's risk directions as monotone constraints. */
  readonly monotone: boolean;
  readonly classWeight: 'none' | 'balanced';
  readonly onProgress?: (event: TrainProgress) => void;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  seed: 42,
  maxBins: 255,
  maxInteractionBins: 32,
  minSamplesBin: 4,
  learningRate: 0.04,
  pairLearningRate: 0.04,
  maxRounds: 3000,
  earlyStoppingRounds: 50,
  tolerance: 1e-5,
  smoothingRounds: 50,
  lambda: 1,
  minSamplesLeaf: 4,
  maxLeaves: 3,
  validationFraction: 0.15,
  outerBags: 2,
  interactions: 10,
  refitMains: false,
  monotone: true,
  classWeight: 'none',
};

/**
 * Size-dependent defaults: small tables get more bags, because one 15% validation split of a few
 * hundred rows makes early stopping noisy and bagging averages that noise away.
 */
export function recommendedOptions(rowCount: number): Partial<TrainOptions> {
  return { outerBags: rowCount < 5000 ? 8 : 2 };
}
