/**
 * Scoring performance for the fleet report (shared/sync/fleet.ts `DevicePerformance`): how many applicants were
 * scored since the last report the server stored, the p50/p95 latency of those scores, and how many model packages
 * were refused or failed to load. Numbers only: no applicant, officer, score or model detail is kept. Only applicant
 * scores that were stored count (ScoringService.score): what-if rows store nothing, and an admin batch of thousands of
 * anonymous rows would drown the latency officers see.
 *
 * Held in memory only: the figures are "since the last stored report or the last restart". They feed a dashboard and
 * an alert, not an audit; writing a file on every score would cost more than losing a few minutes of latencies on a
 * restart (the score rows themselves are in the database).
 */
import type { DevicePerformance } from '../../../shared/sync/fleet';

/**
 * Latencies kept for the quantiles: the latest ones, in a ring. A branch workstation scores a few hundred applicants
 * on a busy day and reports after every sync (a minute apart when online), so this covers weeks offline; beyond that
 * the quantiles describe the latest 10,000 scores (the recent behaviour is what an alert is about) while
 * `scoresSinceSync` still counts them all. 80 KB of doubles, and sorting them once per report takes about a
 * millisecond, so the quantiles can be exact instead of estimated by a sketch.
 */
export const MAX_LATENCY_SAMPLES = 10_000;

/**
 * The report schema refuses latencies above ten minutes (a forged report). A real score can exceed it only when the
 * machine slept mid-score on a platform whose monotonic clock counts sleep; it is reported as the maximum, because a
 * figure the schema refuses would lose the whole report.
 */
export const MAX_LATENCY_MS = 600_000;

export interface ScoringPerformanceOptions {
  /** Latencies kept for the quantiles (default MAX_LATENCY_SAMPLES). */
  readonly capacity?: number;
}

/**
 * Nearest-rank percentile of ascending `sorted` (non-empty): the smallest sample with at least `percent` % of the
 * samples at or below it. Always a latency that was observed, never an interpolation between two. The rank is
 * computed on integers first, so 95 % of 100 is rank 95 exactly (0.95 × n in floating point can land above it).
 */
function nearestRank(sorted: Float64Array, percent: number): number {
  const rank = Math.max(1, Math.ceil((percent * sorted.length) / 100));
  return sorted[rank - 1] ?? 0;
}

export class ScoringPerformance {
  readonly #samples: Float64Array;
  /** Scores recorded since start: the next score's position in an endless sequence (its ring slot is modulo). */
  #scores = 0;
  /** How many of those a stored report covered: everything at or after it is "since the last report". */
  #scoresDelivered = 0;
  #failures = 0;
  #failuresDelivered = 0;

  constructor(options: ScoringPerformanceOptions = {}) {
    const capacity = options.capacity ?? MAX_LATENCY_SAMPLES;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError('The latency capacity must be a positive integer.');
    }
    this.#samples = new Float64Array(capacity);
  }

  /** One applicant scored and stored, taking `ms` on a monotonic clock. A value that is not a number is not kept. */
  recordScore(ms: number): void {
    if (Number.isNaN(ms)) {
      return;
    }
    this.#samples[this.#scores % this.#samples.length] = Math.min(Math.max(ms, 0), MAX_LATENCY_MS);
    this.#scores += 1;
  }

  /** A model package refused (signature, hashes, specification, runtime) or failing to load. */
  recordModelLoadFailure(): void {
    this.#failures += 1;
  }

  /** The figures since the last delivered report; what `markDelivered` is later given back. */
  snapshot(): DevicePerformance {
    const count = this.#scores - this.#scoresDelivered;
    const kept = Math.min(count, this.#samples.length);
    const latencies = new Float64Array(kept);
    for (let i = 0; i < kept; i++) {
      latencies[i] = this.#samples[(this.#scores - kept + i) % this.#samples.length] ?? 0;
    }
    latencies.sort();
    return {
      scoresSinceSync: count,
      scoreP50Ms: kept === 0 ? null : nearestRank(latencies, 50),
      scoreP95Ms: kept === 0 ? null : nearestRank(latencies, 95),
      modelLoadFailures: this.#failures - this.#failuresDelivered,
    };
  }

  /**
   * The server stored a report carrying `delivered`: only what it counted leaves the figures. Scores and failures
   * recorded after that snapshot was taken (while the report was on its way) stay for the next report, and a report
   * that never arrived is never marked, so its figures simply keep accumulating. Scores are recorded in order, so the
   * first `scoresSinceSync` undelivered ones are exactly those the snapshot covered.
   */
  markDelivered(delivered: DevicePerformance): void {
    this.#scoresDelivered = Math.min(this.#scores, this.#scoresDelivered + delivered.scoresSinceSync);
    this.#failuresDelivered = Math.min(this.#failures, this.#failuresDelivered + delivered.modelLoadFailures);
  }
}
