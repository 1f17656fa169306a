/**
 * The improvement plan: for the next better band and, separately, for approval, the smallest set of realistic
 * changes to actionable features that reaches it, computed on the model's own tables (exact, not approximated).
 * Each target uses the shortest horizon (3, 6, then 12 months) in which it is reachable.
 */
import { FEASIBILITY_HORIZONS, type FeasibilityHorizon, type FeatureSpec } from '../../shared/features';
import { termContributions, type GlassBoxModel } from '../ebm/model';
import { bandOf, outcomeOf, pointsFactor, scoreOf, type Outcome } from '../scoring/scaling';
import type { PolicyDefaults, ScoreBand, ScoreScaling } from '../scoring/scaling';
import { stepMoney, type StepMoney } from './amounts';
import { featureMoves, type FeatureMoves } from './moves';
import { searchAdditive, searchExhaustive, type Choice, type SearchResult } from './search';

/** What the plan engine reads from a model package. */
export interface PlanModel {
  readonly spec: FeatureSpec;
  readonly model: GlassBoxModel;
  readonly scaling: ScoreScaling;
  readonly bands: readonly ScoreBand[];
  readonly policy: PolicyDefaults;
}

export const HORIZON_MONTHS: Record<FeasibilityHorizon, number> = { months3: 3, months6: 6, months12: 12 };

export interface PlanStep {
  readonly feature: string;
  readonly from: number;
  readonly to: number;
  /** Score points this change alone adds (all else as today). */
  readonly gainPoints: number;
  /** Share of the feasible move for the horizon that the change uses. */
  readonly effort: number;
  readonly horizon: FeasibilityHorizon;
  /**
   * The same change in shillings with the applicant's own inflow; null for counts (their units are plain). Always
   * set by this engine; optional only because plans stored before it lack it.
   */
  readonly money?: StepMoney | null | undefined;
}

export interface PlanTarget {
  readonly kind: 'next-band' | 'approval';
  /** The band aimed at (for approval: the band of the approval cut-off). */
  readonly band: string;
  readonly minScore: number;
  readonly reachable: boolean;
  /** Shortest horizon in which the target is reachable; null when it is not reachable within 12 months. */
  readonly horizon: FeasibilityHorizon | null;
  readonly steps: readonly PlanStep[];
  readonly totalEffort: number;
  readonly projectedScore: number;
  readonly projectedBand: string;
  readonly projectedOutcome: Outcome;
}

export interface ImprovementPlan {
  readonly modelHash: string;
  readonly policyVersion: string;
  readonly createdAt: string;
  /** After this date (or with another model) the plan must be recomputed. */
  readonly validUntil: string;
  readonly currentScore: number;
  readonly currentBand: string;
  readonly currentOutcome: Outcome;
  readonly targets: readonly PlanTarget[];
}

/**
 * A step must add at least one point on its own: a smaller gain does not show on the displayed (rounded) score, so
 * it would ask the applicant for effort that changes nothing they can see.
 */
export const MINIMUM_STEP_POINTS = 1;

/** Score margin above a cut-off: covers float32 (onnxruntime) vs float64 (tables) rounding at the boundary. */
const SAFETY_POINTS = 1e-6;

/** The highest logit of default whose displayed (rounded) score is still at least `minScore`. */
function logitCeiling(minScore: number, scaling: ScoreScaling, margin: number): number {
  // scoreOf rounds half up: round(raw) ≥ m ⟺ raw ≥ m − 0.5.
  const raw = minScore - 0.5 + margin;
  return -((raw - scaling.baseScore) / pointsFactor(scaling)) - Math.log(scaling.baseOdds);
}

function logitOfRow(model: GlassBoxModel, row: Float64Array): number {
  let sum = model.intercept;
  for (const c of termContributions(model, row)) {
    sum += c;
  }
  return sum;
}

function applyChoices(row: Float64Array, moves: readonly FeatureMoves[], choices: readonly Choice[]): Float64Array {
  const out = Float64Array.from(row);
  for (const choice of choices) {
    const f = moves.find((m) => m.feature === choice.feature);
    const move = f?.moves[choice.move];
    if (move !== undefined) {
      out[choice.feature] = move.value;
    }
  }
  return out;
}

interface Solved {
  readonly row: Float64Array;
  readonly moves: readonly FeatureMoves[];
  readonly result: SearchResult;
}

/**
 * Only the moves that add at least MINIMUM_STEP_POINTS. Dropping the others keeps a feature's remaining moves Pareto
 * (a cheaper move that dominated one that stays gains even more, so it stays too).
 */
function worthAPoint(moves: FeatureMoves | null, minimumGain: number): FeatureMoves | null {
  const kept = moves?.moves.filter((move) => move.gain >= minimumGain) ?? [];
  return moves === null || kept.length === 0 ? null : { ...moves, moves: kept };
}

/** The moves of every feature for one horizon, computed once and shared by both targets. */
type MovesOf = (horizon: FeasibilityHorizon) => readonly FeatureMoves[];

function movesCache(pm: PlanModel, row: Float64Array): MovesOf {
  const additive = pm.model.terms.every((t) => t.kind === 'main');
  const minimumGain = MINIMUM_STEP_POINTS / pointsFactor(pm.scaling);
  const cache = new Map<FeasibilityHorizon, readonly FeatureMoves[]>();
  return (horizon) => {
    let moves = cache.get(horizon);
    if (moves === undefined) {
      moves = pm.spec.features
        .map((_, j) => worthAPoint(featureMoves(pm.spec, pm.model, row, j, horizon, additive), minimumGain))
        .filter((m): m is FeatureMoves => m !== null);
      cache.set(horizon, moves);
    }
    return moves;
  };
}

function solveHorizon(
  pm: PlanModel,
  row: Float64Array,
  minScore: number,
  moves: readonly FeatureMoves[],
): Solved | null {
  const additive = pm.model.terms.every((t) => t.kind === 'main');
  const current = logitOfRow(pm.model, row);
  // A rounding tie at the boundary could still fall short; retry with a wider margin (rarely needed).
  for (const margin of [SAFETY_POINTS, 1e-4, 1e-2]) {
    const need = current - logitCeiling(minScore, pm.scaling, margin);
    const result = additive
      ? searchAdditive(moves, need)
      : searchExhaustive(moves, need, (choices) => current - logitOfRow(pm.model, applyChoices(row, moves, choices)));
    if (result === null || result === 'limit') {
      return null;
    }
    const planned = applyChoices(row, moves, result.choices);
    if (scoreOf(logitOfRow(pm.model, planned), pm.scaling) >= minScore) {
      return { row: planned, moves, result };
    }
  }
  return null;
}

function targetOf(
  pm: PlanModel,
  row: Float64Array,
  kind: PlanTarget['kind'],
  minScore: number,
  horizons: readonly FeasibilityHorizon[],
  movesOf: MovesOf,
): PlanTarget {
  const factor = pointsFactor(pm.scaling);
  for (const horizon of horizons) {
    const solved = solveHorizon(pm, row, minScore, movesOf(horizon));
    if (solved === null) {
      continue;
    }
    const steps: PlanStep[] = solved.result.choices
      .map((choice) => {
        const f = solved.moves.find((m) => m.feature === choice.feature);
        const move = f?.moves[choice.move];
        if (f === undefined || move === undefined) {
          throw new Error('plan search returned an unknown move');
        }
        return {
          feature: f.key,
          from: f.from,
          to: move.value,
          gainPoints: move.gain * factor,
          effort: move.effort,
          horizon,
          money: stepMoney(pm.spec, row, f.feature, f.from, move.value),
        };
      })
      .sort((a, b) => b.gainPoints - a.gainPoints || a.feature.localeCompare(b.feature));
    const projectedScore = scoreOf(logitOfRow(pm.model, solved.row), pm.scaling);
    return {
      kind,
      band: bandOf(minScore, pm.bands),
      minScore,
      reachable: true,
      horizon,
      steps,
      totalEffort: solved.result.effort,
      projectedScore,
      projectedBand: bandOf(projectedScore, pm.bands),
      projectedOutcome: outcomeOf(projectedScore, pm.policy),
    };
  }
  const score = scoreOf(logitOfRow(pm.model, row), pm.scaling);
  return {
    kind,
    band: bandOf(minScore, pm.bands),
    minScore,
    reachable: false,
    horizon: null,
    steps: [],
    totalEffort: 0,
    projectedScore: score,
    projectedBand: bandOf(score, pm.bands),
    projectedOutcome: outcomeOf(score, pm.policy),
  };
}

function addMonths(date: Date, months: number): Date {
  const out = new Date(date.getTime());
  out.setUTCMonth(out.getUTCMonth() + months);
  return out;
}

export interface PlanOptions {
  readonly modelHash: string;
  readonly now: Date;
  /** Restrict to one horizon; by default each target takes the shortest horizon that reaches it. */
  readonly horizon?: FeasibilityHorizon;
}

/** Builds the plan for an encoded row (specification order, NaN = missing). */
export function buildImprovementPlan(pm: PlanModel, row: Float64Array, options: PlanOptions): ImprovementPlan {
  const score = scoreOf(logitOfRow(pm.model, row), pm.scaling);
  const band = bandOf(score, pm.bands);
  const horizons = options.horizon === undefined ? FEASIBILITY_HORIZONS : [options.horizon];
  const targets: PlanTarget[] = [];
  const movesOf = movesCache(pm, row);
  const bandIndex = pm.bands.findIndex((b) => b.band === band);
  const better = bandIndex > 0 ? pm.bands[bandIndex - 1] : undefined;
  if (better !== undefined) {
    targets.push(targetOf(pm, row, 'next-band', better.minScore, horizons, movesOf));
  }
  if (score < pm.policy.approveAtOrAbove) {
    targets.push(targetOf(pm, row, 'approval', pm.policy.approveAtOrAbove, horizons, movesOf));
  }
  const longest = targets.reduce((m, t) => Math.max(m, t.horizon === null ? 0 : HORIZON_MONTHS[t.horizon]), 3);
  return {
    modelHash: options.modelHash,
    policyVersion: pm.policy.version,
    createdAt: options.now.toISOString(),
    validUntil: addMonths(options.now, longest).toISOString(),
    currentScore: score,
    currentBand: band,
    currentOutcome: outcomeOf(score, pm.policy),
    targets,
  };
}
