import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_OPTIONS, UNCONSTRAINED_SPEC, syntheticDataset } from '../testing/fixtures';
import type { TrainProgress } from './options';
import { bagWorkersReady, trainingThreads, warmBagWorkers, type BagRunReport } from './parallel';
import { trainGlassBox } from './train';

// Unconstrained, so stage 2 (pairs) runs too; six bags so both threads get several.
const data = syntheticDataset(2500, 5, UNCONSTRAINED_SPEC);
const options = { ...FAST_OPTIONS, outerBags: 6, interactions: 2 };

function train(threads: number, overrides = {}): { json: string; events: TrainProgress[]; reports: BagRunReport[] } {
  const events: TrainProgress[] = [];
  const reports: BagRunReport[] = [];
  const model = trainGlassBox(
    data,
    { ...options, ...overrides, onProgress: (event) => events.push(event) },
    { threads, onBags: (report) => reports.push(report) },
  );
  return { json: JSON.stringify(model), events, reports };
}

describe('parallel bagging', () => {
  let ready = 0;
  beforeAll(async () => {
    warmBagWorkers(2);
    ready = await bagWorkersReady();
  }, 60_000);
  const previous = process.env.NEXIS_TRAIN_THREADS;
  afterAll(() => {
    if (previous === undefined) {
      delete process.env.NEXIS_TRAIN_THREADS;
    } else {
      process.env.NEXIS_TRAIN_THREADS = previous;
    }
  });

  it('gives a byte-identical model and the same progress whether bags run on one thread or two', () => {
    expect(ready).toBe(1);
    for (const overrides of [{}, { refitMains: true }]) {
      const one = train(1, overrides);
      const two = train(2, overrides);
      expect(one.reports.map((r) => r.workerBags)).toEqual([0, 0]);
      // The worker is loaded, so it takes bags in both stages; whatever it takes, the bytes agree.
      expect(two.reports.map((r) => r.stage)).toEqual(['mains', 'pairs']);
      expect(two.reports.every((r) => r.workerBags > 0 && r.localBags + r.workerBags === 6)).toBe(true);
      expect(two.json).toBe(one.json);
      expect(two.events).toEqual(one.events);
      expect(one.events.filter((e) => e.stage === 'pairs').length).toBeGreaterThan(0);
    }
  });

  it('uses one thread for small work or when told to, and never more threads than bags', () => {
    delete process.env.NEXIS_TRAIN_THREADS;
    expect(trainingThreads(1000, 8)).toBe(1);
    expect(trainingThreads(30_000, 2, 4)).toBe(2);
    expect(trainingThreads(100, 8, 3)).toBe(3);
    process.env.NEXIS_TRAIN_THREADS = '1';
    expect(trainingThreads(30_000, 2)).toBe(1);
    process.env.NEXIS_TRAIN_THREADS = '2';
    expect(trainingThreads(30_000, 8)).toBe(2);
    expect(() => trainingThreads(30_000, 2, 0)).toThrow(RangeError);
    expect(() => trainingThreads(30_000, 2, 1.5)).toThrow(RangeError);
  });
});
