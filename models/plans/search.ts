/**
 * Exact search for the smallest set of changes that lowers the logit of default by at least `need`.
 * Order of preference (the plan's definition of "smallest"):
 *   1. fewest features changed;
 *   2. least total effort (Σ |Δ| / feasible move for the horizon);
 *   3. larger total gain (more margin above the target);
 *   4. earlier features in specification order (lexicographic on the sorted feature indexes).
 * For an additive model (main terms only) gains add up, so a branch and bound over each feature's Pareto moves is
 * exact; with pair terms gains interact, so every combination is evaluated with the full model instead.
 */
import type { FeatureMoves } from './moves';

export interface Choice {
  readonly feature: number;
  readonly move: number;
}

export interface SearchResult {
  readonly choices: readonly Choice[];
  readonly effort: number;
  readonly gain: number;
}

const EFFORT_TOLERANCE = 1e-12;

/** True when a is preferred to b under the documented order (same number of features assumed). */
export function preferred(a: SearchResult, b: SearchResult): boolean {
  if (a.choices.length !== b.choices.length) {
    return a.choices.length < b.choices.length;
  }
  if (Math.abs(a.effort - b.effort) > EFFORT_TOLERANCE) {
    return a.effort < b.effort;
  }
  if (a.gain !== b.gain) {
    return a.gain > b.gain;
  }
  const fa = a.choices.map((c) => c.feature).sort((x, y) => x - y);
  const fb = b.choices.map((c) => c.feature).sort((x, y) => x - y);
  for (let i = 0; i < fa.length; i++) {
    if (fa[i] !== fb[i]) {
      return (fa[i] ?? 0) < (fb[i] ?? 0);
    }
  }
  return false;
}

/** Branch and bound over additive gains; `features[i].moves` are Pareto moves sorted by effort. */
export function searchAdditive(features: readonly FeatureMoves[], need: number): SearchResult | null {
  if (need <= 0) {
    return { choices: [], effort: 0, gain: 0 };
  }
  const maxGain = (f: FeatureMoves): number => f.moves.reduce((m, move) => Math.max(m, move.gain), 0);
  const order = [...features].sort((a, b) => maxGain(b) - maxGain(a) || a.feature - b.feature);
  const gains = order.map(maxGain);
  // The fewest features that can reach `need` at all: the k largest maximum gains.
  let k = 0;
  let reachable = 0;
  while (k < gains.length && reachable < need) {
    reachable += gains[k] ?? 0;
    k++;
  }
  if (reachable < need) {
    return null;
  }
  const segments = hullSegments(order);
  let best: SearchResult | null = null;
  const chosen: Choice[] = [];

  // Upper bound of what `slots` more features taken from position i onwards can add (gains are sorted descending).
  const bound = (i: number, slots: number): number => {
    let sum = 0;
    for (let j = i; j < Math.min(gains.length, i + slots); j++) {
      sum += gains[j] ?? 0;
    }
    return sum;
  };

  const visit = (i: number, gain: number, effort: number): void => {
    if (gain >= need) {
      if (chosen.length === k) {
        const candidate: SearchResult = { choices: [...chosen], effort, gain };
        if (best === null || preferred(candidate, best)) {
          best = candidate;
        }
      }
      return;
    }
    const slots = k - chosen.length;
    if (slots === 0 || i >= order.length || gain + bound(i, slots) < need) {
      return;
    }
    if (best !== null && effort + minimumEffort(segments, i, need - gain) > best.effort + EFFORT_TOLERANCE) {
      return;
    }
    const f = order[i];
    if (f === undefined) {
      return;
    }
    for (let m = 0; m < f.moves.length; m++) {
      const move = f.moves[m];
      if (move === undefined) {
        continue;
      }
      if (best !== null && effort + move.effort > best.effort + EFFORT_TOLERANCE) {
        break;
      }
      chosen.push({ feature: f.feature, move: m });
      visit(i + 1, gain + move.gain, effort + move.effort);
      chosen.pop();
    }
    visit(i + 1, gain, effort);
  };
  visit(0, 0, 0);
  return best;
}

interface Segment {
  /** Position of the feature in the search order. */
  readonly position: number;
  readonly effort: number;
  readonly gain: number;
}

/**
 * The segments of each feature's concave hull of (effort, gain) from (0, 0), all features together, steepest first.
 * Taking them greedily (the last one fractionally) solves the continuous relaxation of the search exactly.
 */
function hullSegments(order: readonly FeatureMoves[]): Segment[] {
  const segments: Segment[] = [];
  order.forEach((f, position) => {
    const hull: { effort: number; gain: number }[] = [{ effort: 0, gain: 0 }];
    for (const move of f.moves) {
      // Pop points that lie on or under the chord to the new point: they are not on the concave hull.
      while (hull.length >= 2) {
        const a = hull[hull.length - 2] ?? { effort: 0, gain: 0 };
        const b = hull[hull.length - 1] ?? { effort: 0, gain: 0 };
        if ((b.gain - a.gain) * (move.effort - a.effort) <= (move.gain - a.gain) * (b.effort - a.effort)) {
          hull.pop();
        } else {
          break;
        }
      }
      hull.push({ effort: move.effort, gain: move.gain });
    }
    for (let k = 1; k < hull.length; k++) {
      const a = hull[k - 1] ?? { effort: 0, gain: 0 };
      const b = hull[k] ?? { effort: 0, gain: 0 };
      segments.push({ position, effort: b.effort - a.effort, gain: b.gain - a.gain });
    }
  });
  return segments.sort((x, y) => y.gain * x.effort - x.gain * y.effort);
}

/** Lower bound on the effort still needed to gain `remaining` from the features at `from` onwards (∞ if impossible). */
function minimumEffort(segments: readonly Segment[], from: number, remaining: number): number {
  if (remaining <= 0) {
    return 0;
  }
  let effort = 0;
  let left = remaining;
  for (const segment of segments) {
    if (segment.position < from) {
      continue;
    }
    if (segment.gain >= left) {
      return effort + (segment.effort * left) / segment.gain;
    }
    effort += segment.effort;
    left -= segment.gain;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * Exhaustive search for models with interacting terms: subsets by increasing size, every combination of moves,
 * each scored by `gainOf` (the exact logit decrease from the full model). `limit` caps the evaluations.
 */
export function searchExhaustive(
  features: readonly FeatureMoves[],
  need: number,
  gainOf: (choices: readonly Choice[]) => number,
  limit = 200_000,
): SearchResult | null | 'limit' {
  if (need <= 0) {
    return { choices: [], effort: 0, gain: 0 };
  }
  let evaluations = 0;
  for (let k = 1; k <= features.length; k++) {
    let best: SearchResult | null = null;
    const chosen: Choice[] = [];
    let exceeded = false;
    const visit = (i: number, effort: number): void => {
      if (exceeded) {
        return;
      }
      if (chosen.length === k) {
        evaluations++;
        if (evaluations > limit) {
          exceeded = true;
          return;
        }
        const gain = gainOf(chosen);
        const candidate: SearchResult = { choices: [...chosen], effort, gain };
        if (gain >= need && (best === null || preferred(candidate, best))) {
          best = candidate;
        }
        return;
      }
      if (features.length - i < k - chosen.length) {
        return;
      }
      const f = features[i];
      if (f === undefined) {
        return;
      }
      f.moves.forEach((move, m) => {
        chosen.push({ feature: f.feature, move: m });
        visit(i + 1, effort + move.effort);
        chosen.pop();
      });
      visit(i + 1, effort);
    };
    visit(0, 0);
    if (exceeded) {
      return 'limit';
    }
    if (best !== null) {
      return best;
    }
  }
  return null;
}
