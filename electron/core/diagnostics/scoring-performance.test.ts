import { describe, expect, it } from 'vitest';
import { DevicePerformanceSchema } from '../../../shared/sync/fleet';
import { MAX_LATENCY_MS, MAX_LATENCY_SAMPLES, ScoringPerformance } from './scoring-performance';

/** 1 … n milliseconds, recorded in a shuffled order (the quantiles must not depend on it). */
function recordOneTo(recorder: ScoringPerformance, n: number): void {
  const values = Array.from({ length: n }, (_, i) => i + 1);
  for (let i = values.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [values[i], values[j]] = [values[j] ?? 0, values[i] ?? 0];
  }
  for (const v of values) {
    recorder.recordScore(v);
  }
}

describe('ScoringPerformance', () => {
  it('reports nothing scored as zero counts and null latencies, valid for the report schema', () => {
    const snapshot = new ScoringPerformance().snapshot();
    expect(snapshot).toEqual({ scoresSinceSync: 0, scoreP50Ms: null, scoreP95Ms: null, modelLoadFailures: 0 });
    expect(DevicePerformanceSchema.parse(snapshot)).toEqual(snapshot);
  });

  it('gives exact nearest-rank quantiles on known data', () => {
    const hundred = new ScoringPerformance();
    recordOneTo(hundred, 100);
    expect(hundred.snapshot()).toMatchObject({ scoresSinceSync: 100, scoreP50Ms: 50, scoreP95Ms: 95 });

    const twenty = new ScoringPerformance();
    recordOneTo(twenty, 20);
    // ceil(0.5 × 20) = 10th and ceil(0.95 × 20) = 19th smallest.
    expect(twenty.snapshot()).toMatchObject({ scoreP50Ms: 10, scoreP95Ms: 19 });

    const one = new ScoringPerformance();
    one.recordScore(12.5);
    expect(one.snapshot()).toMatchObject({ scoresSinceSync: 1, scoreP50Ms: 12.5, scoreP95Ms: 12.5 });

    // One slow score among nineteen fast ones is above the p95 of twenty (19th of 20), and is it with 19 scores.
    const tail = new ScoringPerformance();
    for (let i = 0; i < 19; i++) {
      tail.recordScore(10);
    }
    tail.recordScore(900);
    expect(tail.snapshot()).toMatchObject({ scoreP50Ms: 10, scoreP95Ms: 10 });
    tail.markDelivered(tail.snapshot());
    for (let i = 0; i < 18; i++) {
      tail.recordScore(10);
    }
    tail.recordScore(900);
    expect(tail.snapshot()).toMatchObject({ scoresSinceSync: 19, scoreP95Ms: 900 });
  });

  it('keeps only the latest samples for the quantiles but counts every score', () => {
    const recorder = new ScoringPerformance({ capacity: 10 });
    for (let i = 0; i < 10; i++) {
      recorder.recordScore(1_000);
    }
    for (let i = 1; i <= 10; i++) {
      recorder.recordScore(i);
    }
    expect(recorder.snapshot()).toEqual({
      scoresSinceSync: 20,
      scoreP50Ms: 5,
      scoreP95Ms: 10,
      modelLoadFailures: 0,
    });
    expect(MAX_LATENCY_SAMPLES).toBe(10_000);
  });

  it('resets only what a delivered snapshot covered; a failed delivery loses nothing', () => {
    const recorder = new ScoringPerformance();
    recorder.recordScore(100);
    recorder.recordScore(200);
    recorder.recordModelLoadFailure();

    // Round 1: the report never reaches the server, so it is never marked delivered.
    const lost = recorder.snapshot();
    expect(lost).toMatchObject({ scoresSinceSync: 2, modelLoadFailures: 1 });
    recorder.recordScore(300);

    // Round 2 carries round 1's figures too; a score and a failure land while it is on its way.
    const sent = recorder.snapshot();
    expect(sent).toEqual({ scoresSinceSync: 3, scoreP50Ms: 200, scoreP95Ms: 300, modelLoadFailures: 1 });
    recorder.recordScore(7);
    recorder.recordModelLoadFailure();
    recorder.recordModelLoadFailure();
    recorder.markDelivered(sent);

    // Only the in-flight score and failures remain, with their own quantiles (not the delivered 100–300 ms).
    expect(recorder.snapshot()).toEqual({ scoresSinceSync: 1, scoreP50Ms: 7, scoreP95Ms: 7, modelLoadFailures: 2 });
    recorder.markDelivered(recorder.snapshot());
    expect(recorder.snapshot()).toEqual({
      scoresSinceSync: 0,
      scoreP50Ms: null,
      scoreP95Ms: null,
      modelLoadFailures: 0,
    });
    // Marking a report again never takes the figures below zero, and later scores are counted afresh.
    recorder.markDelivered(sent);
    recorder.recordScore(42);
    expect(recorder.snapshot()).toMatchObject({ scoresSinceSync: 1, scoreP50Ms: 42 });
  });

  it('keeps a delivery across a full ring correct: samples overwritten while in flight are not resurrected', () => {
    const recorder = new ScoringPerformance({ capacity: 4 });
    recordOneTo(recorder, 3);
    const sent = recorder.snapshot();
    for (let i = 0; i < 6; i++) {
      recorder.recordScore(50 + i);
    }
    recorder.markDelivered(sent);
    // Six undelivered scores; only the latest four (52–55) are still held.
    expect(recorder.snapshot()).toEqual({ scoresSinceSync: 6, scoreP50Ms: 53, scoreP95Ms: 55, modelLoadFailures: 0 });
  });

  it('clamps latencies into what the report schema accepts and ignores NaN', () => {
    const recorder = new ScoringPerformance();
    recorder.recordScore(Number.NaN);
    recorder.recordScore(-3);
    recorder.recordScore(MAX_LATENCY_MS * 5);
    const snapshot = recorder.snapshot();
    expect(snapshot).toEqual({ scoresSinceSync: 2, scoreP50Ms: 0, scoreP95Ms: MAX_LATENCY_MS, modelLoadFailures: 0 });
    expect(DevicePerformanceSchema.safeParse(snapshot).success).toBe(true);
  });

  it('refuses a capacity that cannot hold a sample', () => {
    expect(() => new ScoringPerformance({ capacity: 0 })).toThrow(RangeError);
    expect(() => new ScoringPerformance({ capacity: 2.5 })).toThrow(RangeError);
  });
});
