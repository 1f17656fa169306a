import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binOf, categoricalCuts, quantileCuts } from './binning';

describe('binning', () => {
  it('puts values in bins that never decrease as the value grows (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 300 }),
        fc.integer({ min: 2, max: 64 }),
        (values, maxBins) => {
          const data = Float64Array.from(values);
          const cuts = quantileCuts(data, Int32Array.from(values.keys()), maxBins, 1);
          expect(cuts.length).toBeLessThan(maxBins);
          for (let k = 1; k < cuts.length; k++) {
            expect(cuts[k] ?? 0).toBeGreaterThan(cuts[k - 1] ?? 0);
            expect(Math.fround(cuts[k] ?? 0)).toBe(cuts[k]);
          }
          const sorted = [...values].sort((a, b) => a - b);
          for (let k = 1; k < sorted.length; k++) {
            expect(binOf(sorted[k] ?? 0, cuts)).toBeGreaterThanOrEqual(binOf(sorted[k - 1] ?? 0, cuts));
            expect(binOf(sorted[k] ?? 0, cuts)).toBeGreaterThanOrEqual(1);
          }
        },
      ),
      { numRuns: 100, seed: 4 },
    );
  });

  it('gives each of a few distinct values its own bin', () => {
    const data = Float64Array.from([1, 1, 2, 3, 3, 3]);
    const cuts = quantileCuts(data, Int32Array.from(data.keys()), 10, 1);
    expect(Array.from(data, (x) => binOf(x, cuts))).toEqual([1, 1, 2, 3, 3, 3]);
  });

  it('maps category codes to bins 1..k', () => {
    const cuts = categoricalCuts(4);
    expect([0, 1, 2, 3].map((c) => binOf(c, cuts))).toEqual([1, 2, 3, 4]);
  });
});
