import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Feature, FeatureSpec } from '../../shared/features';
import { binOf } from '../ebm/binning';
import type { GlassBoxModel, MainTerm } from '../ebm/model';
import { DEFAULT_BANDS, DEFAULT_POLICY, DEFAULT_SCALING, rawScore, scoreOf } from '../scoring/scaling';
import { buildImprovementPlan, MINIMUM_STEP_POINTS, type PlanModel } from './plan';
import { searchAdditive } from './search';
import type { FeatureMoves } from './moves';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const MAX_VALUE = 12;

function integerFeature(key: string, actionable: boolean, up: number, down: number): Feature {
  const step = { up, down, relative: false };
  return {
    key,
    label: { en: key },
    description: { en: key },
    unit: 'units',
    kind: 'integer',
    min: 0,
    max: MAX_VALUE,
    required: true,
    actionable,
    riskDirection: 'none',
    ...(actionable ? { feasibility: { months3: step, months6: step, months12: step } } : {}),
    reasonText: { en: key },
  };
}

/** Evenly spread decimals (fc.double favours tiny magnitudes, which would make every plan trivial). */
const milli = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max }).map((v) => v / 1000);

interface SmallCase {
  readonly pm: PlanModel;
  readonly row: Float64Array;
}

/** A small additive model over integer features 0..12 with random cut points and shapes. */
const smallCase: fc.Arbitrary<SmallCase> = fc
  .array(
    fc.record({
      actionable: fc.constantFrom(true, true, true, false),
      up: fc.integer({ min: 1, max: 8 }),
      down: fc.integer({ min: 1, max: 8 }),
      cuts: fc.uniqueArray(fc.integer({ min: 0, max: MAX_VALUE - 1 }), { minLength: 1, maxLength: 6 }),
      values: fc.array(milli(-350, 350), { minLength: 8, maxLength: 8 }),
      value: fc.integer({ min: 0, max: MAX_VALUE }),
    }),
    { minLength: 2, maxLength: 6 },
  )
  .chain((features) =>
    milli(-2_000, 1_000).map((intercept): SmallCase => {
      const spec: FeatureSpec = {
        id: 'small',
        version: '1.0.0',
        title: 'small',
        label: { column: 'y', defaultValues: ['1'] },
        protectedColumns: [],
        features: features.map((f, j) => integerFeature(`f${j}`, f.actionable, f.up, f.down)),
      };
      const terms: MainTerm[] = features.map((f, j) => {
        const cuts = [...f.cuts].sort((a, b) => a - b).map((c) => c + 0.5);
        return {
          kind: 'main',
          feature: j,
          name: `f${j}`,
          cuts,
          values: [0, ...f.values.slice(0, cuts.length + 1)],
          counts: new Array<number>(cuts.length + 2).fill(1),
        };
      });
      const model: GlassBoxModel = {
        format: 'nexis-glassbox/1',
        specId: 'small',
        specVersion: '1.0.0',
        featureKeys: spec.features.map((f) => f.key),
        intercept,
        terms,
        training: {},
      };
      const pm = { spec, model, scaling: DEFAULT_SCALING, bands: DEFAULT_BANDS, policy: DEFAULT_POLICY };
      return { pm, row: Float64Array.from(features, (f) => f.value) };
    }),
  );

/** Unrounded score points of a row (logit of default, negated and scaled). */
function scoreOfRaw(pm: PlanModel, row: ArrayLike<number>): number {
  let logit = pm.model.intercept;
  for (const term of pm.model.terms) {
    if (term.kind === 'main') {
      logit += term.values[binOf(row[term.feature] ?? Number.NaN, term.cuts)] ?? 0;
    }
  }
  return rawScore(logit, pm.scaling);
}

function scoreOfRow(pm: PlanModel, row: ArrayLike<number>): number {
  let logit = pm.model.intercept;
  for (const term of pm.model.terms) {
    if (term.kind === 'main') {
      logit += term.values[binOf(row[term.feature] ?? Number.NaN, term.cuts)] ?? 0;
    }
  }
  return scoreOf(logit, pm.scaling);
}

/** Every integer value of every actionable feature within its bounds: the smallest (count, effort) reaching minScore. */
function bruteForce(pm: PlanModel, row: Float64Array, minScore: number): { count: number; effort: number } | null {
  const options = pm.spec.features.map((feature, j) => {
    const from = row[j] ?? 0;
    const values: { value: number; effort: number }[] = [{ value: from, effort: 0 }];
    const step = feature.feasibility?.months6;
    if (feature.kind === 'integer' && step !== undefined) {
      const probe = Float64Array.from(row);
      const gainOf = (v: number): number => {
        probe[j] = v;
        return scoreOfRaw(pm, row) - scoreOfRaw(pm, probe);
      };
      for (let v = Math.max(feature.min, from - step.down); v <= Math.min(feature.max, from + step.up); v++) {
        // The plan's rule: a step adds at least MINIMUM_STEP_POINTS on its own.
        if (v !== from && -gainOf(v) >= MINIMUM_STEP_POINTS) {
          values.push({ value: v, effort: Math.abs(v - from) / (v > from ? step.up : step.down) });
        }
      }
    }
    return values;
  });
  let best: { count: number; effort: number } | null = null;
  const probe = Float64Array.from(row);
  const visit = (j: number, count: number, effort: number): void => {
    if (j === options.length) {
      if (
        scoreOfRow(pm, probe) >= minScore &&
        (best === null || count < best.count || (count === best.count && effort < best.effort - 1e-12))
      ) {
        best = { count, effort };
      }
      return;
    }
    for (const option of options[j] ?? []) {
      probe[j] = option.value;
      visit(j + 1, count + (option.effort > 0 ? 1 : 0), effort + option.effort);
    }
    probe[j] = row[j] ?? 0;
  };
  visit(0, 0, 0);
  return best;
}

describe('improvement plan: exact optimality', () => {
  it('matches a brute force over every integer value on small random additive models', () => {
    let multiStep = 0;
    fc.assert(
      fc.property(smallCase, ({ pm, row }) => {
        const plan = buildImprovementPlan(pm, row, { modelHash: 'sha256:test', now: NOW, horizon: 'months6' });
        for (const target of plan.targets) {
          const expected = bruteForce(pm, row, target.minScore);
          expect(target.reachable).toBe(expected !== null);
          if (expected !== null) {
            expect(target.steps.length).toBe(expected.count);
            expect(target.totalEffort).toBeCloseTo(expected.effort, 9);
            multiStep += target.steps.length >= 2 ? 1 : 0;
            const planned = Float64Array.from(row);
            for (const step of target.steps) {
              planned[pm.spec.features.findIndex((f) => f.key === step.feature)] = step.to;
            }
            expect(scoreOfRow(pm, planned)).toBeGreaterThanOrEqual(target.minScore);
            expect(target.projectedScore).toBe(scoreOfRow(pm, planned));
          }
          for (const step of target.steps) {
            expect(pm.spec.features.find((f) => f.key === step.feature)?.actionable).toBe(true);
          }
        }
      }),
      { numRuns: 400, seed: 20261125 },
    );
    // The property must exercise real trade-offs, not only trivial one-step plans.
    expect(multiStep).toBeGreaterThan(20);
  });

  it('the branch and bound equals exhaustive enumeration of option combinations', () => {
    const option = fc.record({
      gain: milli(10, 1_000),
      effort: milli(10, 1_000),
    });
    const featuresArb = fc.array(fc.array(option, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      // Half a thousandth off the grid of the gains, so no sum ties the need exactly (float addition order).
      fc.property(
        featuresArb,
        milli(50, 3_000).map((n) => n + 0.0005),
        (raw, need) => {
          const features: FeatureMoves[] = raw.map((moves, j) => ({
            feature: j,
            key: `f${j}`,
            from: 0,
            moves: [...moves].sort((a, b) => a.effort - b.effort).map((m) => ({ ...m, value: m.gain })),
          }));
          const found = searchAdditive(features, need);
          let best: { count: number; effort: number } | null = null;
          const visit = (j: number, count: number, effort: number, gain: number): void => {
            if (j === features.length) {
              if (
                gain >= need &&
                (best === null || count < best.count || (count === best.count && effort < best.effort))
              ) {
                best = { count, effort };
              }
              return;
            }
            visit(j + 1, count, effort, gain);
            for (const m of features[j]?.moves ?? []) {
              visit(j + 1, count + 1, effort + m.effort, gain + m.gain);
            }
          };
          visit(0, 0, 0, 0);
          const expected = best as { count: number; effort: number } | null;
          expect(found === null).toBe(expected === null);
          if (found !== null && expected !== null) {
            expect(found.choices.length).toBe(expected.count);
            expect(found.effort).toBeCloseTo(expected.effort, 9);
            expect(found.gain).toBeGreaterThanOrEqual(need);
          }
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });
});
