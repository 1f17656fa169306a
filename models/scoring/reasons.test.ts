import { describe, expect, it } from 'vitest';
import { NEXIS_FEATURE_SPEC } from '../../shared/features';
import { logitOf, termContributions } from '../ebm/model';
import { trainGlassBox } from '../ebm/train';
import { FAST_OPTIONS, UNCONSTRAINED_SPEC, syntheticDataset } from '../testing/fixtures';
import fc from 'fast-check';
import { attainableValues, attributeLoss, attributionOf, logitLostPerFeature, principalReasons } from './reasons';
import {
  DEFAULT_SCALING,
  bandOf,
  DEFAULT_BANDS,
  outcomeOf,
  DEFAULT_POLICY,
  pointsFactor,
  pointsOf,
  rawScore,
  scoreOf,
} from './scaling';

const data = syntheticDataset(3000, 41);
const model = trainGlassBox(data, FAST_OPTIONS);
const rowOf = (i: number): Float64Array => Float64Array.from(data.columns, (c) => c[i] ?? Number.NaN);
const factor = pointsFactor(DEFAULT_SCALING);

describe('score scaling', () => {
  it('gives the base score at the base odds and pdo more points at double the odds', () => {
    const logitAtBase = -Math.log(DEFAULT_SCALING.baseOdds);
    expect(rawScore(logitAtBase, DEFAULT_SCALING)).toBeCloseTo(DEFAULT_SCALING.baseScore, 9);
    expect(rawScore(logitAtBase - Math.LN2, DEFAULT_SCALING)).toBeCloseTo(
      DEFAULT_SCALING.baseScore + DEFAULT_SCALING.pdo,
      9,
    );
    expect(scoreOf(50, DEFAULT_SCALING)).toBe(300);
    expect(scoreOf(-50, DEFAULT_SCALING)).toBe(850);
  });

  it('makes term points add up to the raw score', () => {
    const row = rowOf(0);
    const c = termContributions(model, row);
    const total = rawScore(model.intercept, DEFAULT_SCALING) + c.reduce((s, v) => s + pointsOf(v, DEFAULT_SCALING), 0);
    expect(total).toBeCloseTo(rawScore(logitOf(model, c), DEFAULT_SCALING), 9);
  });

  it('maps scores to bands and policy outcomes', () => {
    expect(bandOf(700, DEFAULT_BANDS)).toBe('A');
    expect(bandOf(300, DEFAULT_BANDS)).toBe('E');
    expect(outcomeOf(DEFAULT_POLICY.approveAtOrAbove, DEFAULT_POLICY)).toBe('approve');
    expect(outcomeOf(DEFAULT_POLICY.declineBelow, DEFAULT_POLICY)).toBe('refer');
    expect(outcomeOf(DEFAULT_POLICY.declineBelow - 1, DEFAULT_POLICY)).toBe('decline');
  });
});

describe('principal reasons', () => {
  it('names at most four scored features, largest loss first, with their reason texts', () => {
    for (let i = 0; i < 50; i++) {
      const reasons = principalReasons(NEXIS_FEATURE_SPEC, model, rowOf(i), factor);
      expect(reasons.length).toBeLessThanOrEqual(4);
      for (let k = 0; k < reasons.length; k++) {
        const reason = reasons[k];
        const feature = NEXIS_FEATURE_SPEC.features.find((f) => f.key === reason?.feature);
        expect(feature).toBeDefined();
        expect(reason?.text).toEqual(feature?.reasonText);
        expect(reason?.pointsLost ?? 0).toBeGreaterThan(0);
        if (k > 0) {
          expect(reason?.pointsLost ?? 0).toBeLessThanOrEqual(reasons[k - 1]?.pointsLost ?? 0);
        }
      }
    }
  });

  it('equals the exact gain of moving that feature alone to its best attainable value (additive model)', () => {
    for (let i = 0; i < 20; i++) {
      const row = rowOf(i);
      const lost = logitLostPerFeature(NEXIS_FEATURE_SPEC, model, row);
      const logit = logitOf(model, termContributions(model, row));
      NEXIS_FEATURE_SPEC.features.forEach((_, j) => {
        let best = logit;
        for (const value of attainableValues(NEXIS_FEATURE_SPEC, model, j)) {
          const probe = Float64Array.from(row);
          probe[j] = value;
          best = Math.min(best, logitOf(model, termContributions(model, probe)));
        }
        expect(lost[j] ?? 0).toBeCloseTo(logit - best, 9);
      });
    }
  });

  it('splits a pair term’s loss against its best attainable cell equally between its two features', () => {
    const free = syntheticDataset(2000, 42, UNCONSTRAINED_SPEC);
    const pairModel = trainGlassBox(free, FAST_OPTIONS);
    expect(pairModel.terms.some((t) => t.kind === 'pair')).toBe(true);
    for (let i = 0; i < 20; i++) {
      const row = Float64Array.from(free.columns, (c) => c[i] ?? Number.NaN);
      const contributions = termContributions(pairModel, row);
      const { lost, referenceLogit } = attributeLoss(UNCONSTRAINED_SPEC, pairModel, contributions);
      const total = lost.reduce((s, v) => s + v, 0);
      expect(referenceLogit + total).toBeCloseTo(logitOf(pairModel, contributions), 9);
      lost.forEach((l) => expect(l).toBeGreaterThanOrEqual(0));
    }
  });

  it('gives no reason to an applicant at the best attainable value of every feature', () => {
    const best = rowOf(0);
    NEXIS_FEATURE_SPEC.features.forEach((_, j) => {
      let bestValue = best[j] ?? 0;
      let bestLogit = Infinity;
      for (const value of attainableValues(NEXIS_FEATURE_SPEC, model, j)) {
        best[j] = value;
        const logit = logitOf(model, termContributions(model, best));
        if (logit < bestLogit) {
          bestLogit = logit;
          bestValue = value;
        }
      }
      best[j] = bestValue;
    });
    expect(principalReasons(NEXIS_FEATURE_SPEC, model, best, factor)).toEqual([]);
  });
});

/** Random applicants over the whole valid range, missing values included (the fields the form may leave empty). */
const applicantRow = fc.tuple(
  ...NEXIS_FEATURE_SPEC.features.map((f) => {
    if (f.kind === 'categorical') {
      return fc.integer({ min: 0, max: f.categories.length - 1 });
    }
    const value =
      f.kind === 'integer'
        ? fc.integer({ min: f.min, max: f.max })
        : fc.integer({ min: 0, max: 100_000 }).map((v) => f.min + ((f.max - f.min) * v * v) / 1e10);
    return f.required ? value : fc.option(value, { nil: Number.NaN, freq: 4 });
  }),
);

describe('one reference point for chart and reasons (issue 15)', () => {
  it('never names a factor as a reason that the chart shows as costing nothing, and names the largest losses', () => {
    fc.assert(
      fc.property(applicantRow, (values) => {
        const row = Float64Array.from(values);
        const contributions = termContributions(model, row);
        const loss = attributeLoss(NEXIS_FEATURE_SPEC, model, contributions);
        const attribution = attributionOf(NEXIS_FEATURE_SPEC, loss, (l) => rawScore(l, DEFAULT_SCALING), factor);
        const reasons = principalReasons(NEXIS_FEATURE_SPEC, model, row, factor);
        const bar = new Map(attribution.factors.map((f) => [f.feature, f.points]));
        // No bar is green: every bar is measured against the best value, the reference the reasons use.
        for (const f of attribution.factors) {
          expect(f.points).toBeLessThanOrEqual(0);
        }
        for (const reason of reasons) {
          expect(bar.get(reason.feature)).toBeCloseTo(-reason.pointsLost, 9);
          expect(bar.get(reason.feature) ?? 0).toBeLessThanOrEqual(-0.5);
        }
        // Vice versa: a factor left out of the reasons never loses more than the smallest reason.
        const smallest = reasons[reasons.length - 1]?.pointsLost ?? 0.5;
        const named = new Set(reasons.map((r) => r.feature));
        for (const f of attribution.factors) {
          if (!named.has(f.feature)) {
            expect(-f.points).toBeLessThanOrEqual(reasons.length < 4 ? 0.5 : smallest + 1e-9);
          }
        }
        // Exactness: the bars add up from the best attainable score to the raw score.
        const total = attribution.factors.reduce((s, f) => s + f.points, attribution.bestPoints);
        expect(total).toBeCloseTo(rawScore(logitOf(model, contributions), DEFAULT_SCALING), 6);
      }),
      { numRuns: 300, seed: 15 },
    );
  });
});
