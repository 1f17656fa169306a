import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/prng';
import { fitMainTree, fitPairTree, type Histogram } from './trees';

const params = { lambda: 1, minSamplesLeaf: 1, maxLeaves: 3 };

const histogram = (bins: Array<{ g: number; h: number; c: number }>): Histogram => ({
  grad: Float64Array.from(bins, (b) => b.g),
  hess: Float64Array.from(bins, (b) => b.h),
  count: Float64Array.from(bins, (b) => b.c),
});

const bin = fc.record({
  g: fc.double({ min: -50, max: 50, noNaN: true }),
  h: fc.double({ min: 0.01, max: 50, noNaN: true }),
  c: fc.integer({ min: 0, max: 40 }),
});

describe('single-feature trees', () => {
  it('never break the monotone direction over the value bins, for any gradients (property)', () => {
    fc.assert(
      fc.property(
        fc.array(bin, { minLength: 2, maxLength: 40 }),
        fc.constantFrom(1, -1),
        fc.boolean(),
        (bins, sign, random) => {
          const delta = new Float64Array(bins.length);
          fitMainTree(histogram(bins), sign, params, 0.1, random ? createRng(bins.length) : undefined, delta);
          for (let b = 2; b < delta.length; b++) {
            expect(sign * ((delta[b] ?? 0) - (delta[b - 1] ?? 0))).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 300, seed: 9 },
    );
  });

  it('use at most three distinct values over the value bins', () => {
    const bins = Array.from({ length: 20 }, (_, k) => ({ g: Math.sin(k) * 10, h: 5, c: 10 }));
    const delta = new Float64Array(bins.length);
    fitMainTree(histogram(bins), 0, params, 1, undefined, delta);
    expect(new Set(Array.from(delta.subarray(1))).size).toBeLessThanOrEqual(3);
  });

  it('fit pair trees with at most four leaves', () => {
    const nA = 5;
    const nB = 6;
    const bins = Array.from({ length: nA * nB }, (_, k) => ({ g: ((k * 7) % 11) - 5, h: 3, c: 5 }));
    const delta = new Float64Array(nA * nB);
    expect(fitPairTree(histogram(bins), nA, nB, params, 1, delta)).toBe(true);
    expect(new Set(Array.from(delta)).size).toBeLessThanOrEqual(4);
  });
});
