import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('exponential backoff with full jitter', () => {
  it('stays within [0, min(cap, base·2^attempt)) for any attempt and random draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const delay = backoffDelay(attempt, { baseMs: 1000, capMs: 300_000, random: () => r });
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(300_000, 1000 * 2 ** Math.min(attempt, 30)));
      }),
    );
  });

  it('grows the ceiling with each attempt until the cap', () => {
    const top = (attempt: number) => backoffDelay(attempt, { baseMs: 1000, capMs: 60_000, random: () => 0.999999 });
    expect(top(0)).toBeLessThan(top(1));
    expect(top(3)).toBeLessThan(top(5));
    expect(top(10)).toBe(top(20));
  });
});
