/**
 * The realistic moves of one feature within a horizon. A glass-box shape is piecewise constant between cut points,
 * so the only values worth proposing are the nearest point of each reachable interval: one candidate per interval
 * the model distinguishes, the smallest move that enters it. Everything in between changes nothing.
 */
import type { FeasibilityHorizon, Feature, FeatureSpec } from '../../shared/features';
import { binOf } from '../ebm/binning';
import { termCell, type GlassBoxModel, type Term } from '../ebm/model';

export interface Move {
  /** The value proposed (snapped to the feature's granularity, inside its interval). */
  readonly value: number;
  /** Decrease of the logit of default when the feature alone moves (> 0 means the score rises). */
  readonly gain: number;
  /** |value − current| as a share of the feasible move for the horizon, in (0, 1]. */
  readonly effort: number;
}

export interface FeatureMoves {
  readonly feature: number;
  readonly key: string;
  readonly from: number;
  readonly moves: readonly Move[];
}

/**
 * Display granularity: whole units for integers and money-like features (range ≥ 100), thousandths for ratios and
 * shares. A proposed value is always a round number an applicant can act on.
 */
export function granularityOf(feature: Feature): number {
  if (feature.kind === 'integer') {
    return 1;
  }
  if (feature.kind === 'numeric' && feature.max - feature.min >= 100) {
    return 1;
  }
  return 0.001;
}

/**
 * The smallest change of a feature a person can act on, in the feature's own units: one whole unit of a count,
 * one percentage point (0.01) of a share or ratio, KES 100 of an amount. A plan never proposes a smaller change,
 * even where a cut point of the model lies closer (0.076 → 0.075 would be an artefact of the tables, not advice).
 */
export function minimumStepOf(feature: Feature): number {
  if (feature.kind === 'integer') {
    return 1;
  }
  if (feature.unit === 'share' || feature.unit === 'ratio') {
    return 0.01;
  }
  if (feature.unit === 'KES' || feature.unit.startsWith('KES/')) {
    return 100;
  }
  return granularityOf(feature);
}

function snap(x: number, granularity: number, mode: 'floor' | 'ceil'): number {
  const steps = x / granularity;
  const n = mode === 'ceil' ? Math.ceil(steps - 1e-9) : Math.floor(steps + 1e-9);
  return granularity >= 1 ? n * granularity : Number((n * granularity).toFixed(3));
}

/** The feasible interval [lo, hi] for a horizon; null when the feature cannot move. */
export function feasibleRange(feature: Feature, from: number, horizon: FeasibilityHorizon): [number, number] | null {
  if (!feature.actionable || feature.feasibility === undefined || feature.kind === 'categorical') {
    return null;
  }
  if (!Number.isFinite(from)) {
    return null;
  }
  const step = feature.feasibility[horizon];
  const up = step.relative ? step.up * Math.abs(from) : step.up;
  const down = step.relative ? step.down * Math.abs(from) : step.down;
  const lo = Math.max(feature.min, from - down);
  const hi = Math.min(feature.max, from + up);
  return lo < hi ? [lo, hi] : null;
}

/** Effort of a move: the share of the feasible move in that direction that it uses. */
export function effortOf(feature: Feature, from: number, to: number, horizon: FeasibilityHorizon): number {
  const step = feature.feasibility?.[horizon];
  if (step === undefined) {
    return Number.POSITIVE_INFINITY;
  }
  const bound = to >= from ? step.up : step.down;
  const absolute = step.relative ? bound * Math.abs(from) : bound;
  return absolute > 0 ? Math.abs(to - from) / absolute : Number.POSITIVE_INFINITY;
}

interface FeatureTables {
  readonly terms: readonly Term[];
  /** Every cut the model uses on the feature, ascending, from main terms and pair axes alike. */
  readonly cuts: readonly number[];
}

/** Per model, computed once: plans are made for many applicants with the same tables. */
const tablesCache = new WeakMap<GlassBoxModel, FeatureTables[]>();

function tablesOf(model: GlassBoxModel, featureIndex: number): FeatureTables {
  let tables = tablesCache.get(model);
  if (tables === undefined) {
    tables = model.featureKeys.map((_, j) => {
      const terms = model.terms.filter((t) => (t.kind === 'main' ? t.feature === j : t.features.includes(j)));
      const cuts = new Set<number>();
      for (const term of terms) {
        if (term.kind === 'main') {
          term.cuts.forEach((c) => cuts.add(c));
        } else {
          term.features.forEach((f, axis) => {
            if (f === j) {
              term.cuts[axis]?.forEach((c) => cuts.add(c));
            }
          });
        }
      }
      return { terms, cuts: [...cuts].sort((a, b) => a - b) };
    });
    tablesCache.set(model, tables);
  }
  return tables[featureIndex] ?? { terms: [], cuts: [] };
}

export function termsOfFeature(model: GlassBoxModel, featureIndex: number): readonly Term[] {
  return tablesOf(model, featureIndex).terms;
}

function contributionOf(terms: readonly Term[], row: Float64Array): number {
  let sum = 0;
  for (const term of terms) {
    sum += term.values[termCell(term, row)] ?? 0;
  }
  return sum;
}

/** The nearest granular value of interval k ([cuts[k-1], cuts[k])) to `from` inside [lo, hi], or null. */
function nearestInInterval(
  cuts: readonly number[],
  k: number,
  from: number,
  lo: number,
  hi: number,
  granularity: number,
): number | null {
  const fromInterval = binOf(from, cuts) - 1;
  let value: number;
  if (k > fromInterval) {
    value = snap(cuts[k - 1] ?? lo, granularity, 'ceil');
    while (binOf(value, cuts) - 1 < k) {
      value = snap(value + granularity, granularity, 'ceil');
    }
  } else {
    value = k >= cuts.length ? hi : snap(cuts[k] ?? hi, granularity, 'floor');
    while (binOf(value, cuts) - 1 > k) {
      value = snap(value - granularity, granularity, 'floor');
    }
  }
  if (value < lo || value > hi || binOf(value, cuts) - 1 !== k) {
    return null;
  }
  return value;
}

/** The nearest value of the interval, moved on to at least `minimumStep` from `from` when it is closer; null if the
 * interval holds no such value within the feasible range. */
function actionableValue(
  value: number | null,
  at: { cuts: readonly number[]; k: number; from: number; lo: number; hi: number },
  granularity: number,
  minimumStep: number,
): number | null {
  if (value === null || Math.abs(value - at.from) >= minimumStep - 1e-9) {
    return value;
  }
  const up = value > at.from;
  const pushed = snap(up ? at.from + minimumStep : at.from - minimumStep, granularity, up ? 'ceil' : 'floor');
  return pushed >= at.lo && pushed <= at.hi && binOf(pushed, at.cuts) - 1 === at.k ? pushed : null;
}

/**
 * Candidate moves of one feature, holding the rest of `row` fixed. With `paretoOnly` (additive models) a move is
 * kept only if it gains strictly more than every cheaper move, so the search never considers a dominated option.
 */
export function featureMoves(
  spec: FeatureSpec,
  model: GlassBoxModel,
  row: Float64Array,
  featureIndex: number,
  horizon: FeasibilityHorizon,
  paretoOnly: boolean,
): FeatureMoves | null {
  const feature = spec.features[featureIndex];
  const from = row[featureIndex] ?? Number.NaN;
  if (feature === undefined) {
    return null;
  }
  const range = feasibleRange(feature, from, horizon);
  if (range === null) {
    return null;
  }
  const [lo, hi] = range;
  const { terms, cuts } = tablesOf(model, featureIndex);
  const granularity = granularityOf(feature);
  const minimumStep = minimumStepOf(feature);
  const probe = Float64Array.from(row);
  const current = contributionOf(terms, row);
  const fromInterval = binOf(from, cuts) - 1;
  const moves: Move[] = [];
  // Only the intervals that intersect [lo, hi] can be reached.
  const first = Math.max(0, binOf(lo, cuts) - 1);
  const last = Math.min(cuts.length, binOf(hi, cuts) - 1);
  for (let k = first; k <= last; k++) {
    if (k === fromInterval) {
      continue;
    }
    const value = actionableValue(
      nearestInInterval(cuts, k, from, lo, hi, granularity),
      { cuts, k, from, lo, hi },
      granularity,
      minimumStep,
    );
    if (value === null) {
      continue;
    }
    probe[featureIndex] = value;
    const gain = current - contributionOf(terms, probe);
    if (gain > 0 || !paretoOnly) {
      moves.push({ value, gain, effort: effortOf(feature, from, value, horizon) });
    }
  }
  moves.sort((a, b) => a.effort - b.effort || b.gain - a.gain);
  const kept = paretoOnly ? moves.filter(strictlyBetterThanCheaper()) : moves;
  return kept.length === 0 ? null : { feature: featureIndex, key: feature.key, from, moves: kept };
}

function strictlyBetterThanCheaper(): (move: Move) => boolean {
  let best = 0;
  return (move) => {
    if (move.gain > best) {
      best = move.gain;
      return true;
    }
    return false;
  };
}
