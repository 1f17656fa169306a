/**
 * Plan steps an applicant can act on (issue 15): no change smaller than a person can make (0.076 → 0.075), no step
 * worth less than a point, and every step in shillings with the applicant's own inflow.
 */
import { describe, expect, it } from 'vitest';
import { NEXIS_FEATURE_SPEC } from '../../shared/features';
import type { GlassBoxModel, MainTerm } from '../ebm/model';
import { DEFAULT_BANDS, DEFAULT_POLICY, DEFAULT_SCALING, pointsFactor } from '../scoring/scaling';
import { stepMoney } from './amounts';
import { minimumStepOf } from './moves';
import { buildImprovementPlan, MINIMUM_STEP_POINTS, type PlanModel } from './plan';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const spec = NEXIS_FEATURE_SPEC;
const index = (key: string): number => spec.features.findIndex((f) => f.key === key);

function term(key: string, cuts: number[], values: number[]): MainTerm {
  return { kind: 'main', feature: index(key), name: key, cuts, values, counts: values.map(() => 1) };
}

/**
 * Debt-to-income has a cut just below the applicant's 0.076 (a table artefact): 0.075 would gain 5.8 points for a
 * change of KES 25 a month. Volatility can gain only 0.9 points. Savings rate gains 14.4 points at 0.1.
 */
function planModel(intercept: number): PlanModel {
  const model: GlassBoxModel = {
    format: 'nexis-glassbox/1',
    specId: spec.id,
    specVersion: spec.version,
    featureKeys: spec.features.map((f) => f.key),
    intercept,
    terms: [
      term('debtToIncome', [0.07, 0.0755], [0, -0.2, -0.1, 0]),
      term('savingsRate', [0.1], [0, 0.1, -0.15]),
      term('inflowVolatility', [0.25], [0, -0.01, 0.005]),
    ],
    training: {},
  };
  return { spec, model, scaling: DEFAULT_SCALING, bands: DEFAULT_BANDS, policy: DEFAULT_POLICY };
}

function applicant(): Float64Array {
  const row = new Float64Array(spec.features.length).fill(Number.NaN);
  row[index('mobileMoneyInflowAvg')] = 25_000;
  row[index('debtToIncome')] = 0.076;
  row[index('savingsRate')] = 0.08;
  row[index('inflowVolatility')] = 0.3;
  return row;
}

/** The intercept that puts the applicant `below` points under the next band's cut-off (580, band B). */
function interceptBelowBandB(below: number): number {
  const raw = 580 - below;
  const logit =
    -((raw - DEFAULT_SCALING.baseScore) / pointsFactor(DEFAULT_SCALING)) - Math.log(DEFAULT_SCALING.baseOdds);
  return logit - 0.105;
}

describe('plan steps a person can act on', () => {
  it('moves debt-to-income by at least one percentage point instead of 0.076 → 0.075', () => {
    const plan = buildImprovementPlan(planModel(interceptBelowBandB(4)), applicant(), { modelHash: 'h', now: NOW });
    const target = plan.targets.find((t) => t.kind === 'next-band');
    expect(target?.reachable).toBe(true);
    expect(target?.steps).toHaveLength(1);
    const step = target?.steps[0];
    expect(step?.feature).toBe('debtToIncome');
    expect(step?.to).toBe(0.066);
    expect(Math.abs((step?.to ?? 0) - (step?.from ?? 0))).toBeGreaterThanOrEqual(0.01 - 1e-12);
    // In shillings with the applicant's own inflow: repayments of KES 1,900 a month down to KES 1,650.
    expect(step?.money?.measure).toBe('monthly-repayments');
    expect(step?.money?.from).toBeCloseTo(1_900, 6);
    expect(step?.money?.to).toBeCloseTo(1_650, 6);
  });

  it('never proposes a step worth less than one point or smaller than the feature’s minimum change', () => {
    for (const below of [0.2, 1, 4, 12, 20, 30]) {
      const plan = buildImprovementPlan(planModel(interceptBelowBandB(below)), applicant(), {
        modelHash: 'h',
        now: NOW,
      });
      for (const target of plan.targets) {
        for (const step of target.steps) {
          expect(step.feature).not.toBe('inflowVolatility');
          expect(step.gainPoints).toBeGreaterThanOrEqual(MINIMUM_STEP_POINTS);
          const feature = spec.features[index(step.feature)];
          expect(feature).toBeDefined();
          if (feature !== undefined) {
            expect(Math.abs(step.to - step.from)).toBeGreaterThanOrEqual(minimumStepOf(feature) - 1e-9);
          }
        }
      }
    }
  });

  it('gives a savings-rate step as shillings saved per month with the applicant’s inflow', () => {
    const plan = buildImprovementPlan(planModel(interceptBelowBandB(20)), applicant(), { modelHash: 'h', now: NOW });
    const steps = plan.targets.flatMap((t) => t.steps);
    const saving = steps.find((s) => s.feature === 'savingsRate');
    expect(saving).toBeDefined();
    expect(saving?.money?.measure).toBe('monthly-savings');
    expect(saving?.money?.from).toBeCloseTo(0.08 * 25_000, 6);
    expect(saving?.money?.to).toBeCloseTo((saving?.to ?? 0) * 25_000, 6);
  });

  it('converts each unit: shillings stay shillings, shares need a known inflow, counts have no money', () => {
    const row = applicant();
    expect(stepMoney(spec, row, index('mobileMoneyInflowAvg'), 25_000, 30_000)).toEqual({
      measure: 'monthly-inflow',
      from: 25_000,
      to: 30_000,
    });
    expect(stepMoney(spec, row, index('requestedAmount'), 50_000, 40_000)?.measure).toBe('loan-amount');
    expect(stepMoney(spec, row, index('savingsBalanceAvg'), 1_000, 2_000)?.measure).toBe('balance');
    expect(stepMoney(spec, row, index('inflowVolatility'), 0.3, 0.146)).toEqual({
      measure: 'monthly-swing',
      from: 7_500,
      to: 0.146 * 25_000,
    });
    expect(stepMoney(spec, row, index('activeLoans'), 3, 2)).toBeNull();
    row[index('mobileMoneyInflowAvg')] = 0;
    expect(stepMoney(spec, row, index('savingsRate'), 0.08, 0.1)).toBeNull();
  });
});
