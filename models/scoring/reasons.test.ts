import { describe, expect, it } from 'vitest';
import { NEXIS_FEATURE_SPEC } from '../../shared/features';
import { logitOf, termContributions } from '../ebm/model';
import { trainGlassBox } from '../ebm/train';
import { FAST_OPTIONS, UNCONSTRAINED_SPEC, syntheticDataset } from '../testing/fixtures';
import { attainableValues, logitLostPerFeature, principalReasons } from './reasons';
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

  it('equals the exact gain of moving that feature alone to its best attainable value (pairs included)', () => {
    const free = syntheticDataset(2000, 42, UNCONSTRAINED_SPEC);
    const pairModel = trainGlassBox(free, FAST_OPTIONS);
    expect(pairModel.terms.some((t) => t.kind === 'pair')).toBe(true);
    for (let i = 0; i < 20; i++) {
      const row = Float64Array.from(free.columns, (c) => c[i] ?? Number.NaN);
      const lost = logitLostPerFeature(UNCONSTRAINED_SPEC, pairModel, row);
      const logit = logitOf(pairModel, termContributions(pairModel, row));
      UNCONSTRAINED_SPEC.features.forEach((_, j) => {
        let best = logit;
        for (const value of attainableValues(UNCONSTRAINED_SPEC, pairModel, j)) {
          const probe = Float64Array.from(row);
          probe[j] = value;
          best = Math.min(best, logitOf(pairModel, termContributions(pairModel, probe)));
        }
        expect(lost[j] ?? 0).toBeCloseTo(logit - best, 9);
      });
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
