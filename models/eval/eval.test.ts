import { describe, expect, it } from 'vitest';
import { populationStability } from './drift';
import { fairnessReport, groupOf } from './fairness';
import { auc, evaluate, ks } from './metrics';

const label = Uint8Array.from([0, 0, 1, 1]);

describe('metrics', () => {
  it('computes AUC for perfect, reversed and tied rankings', () => {
    expect(auc(label, Float64Array.from([0.1, 0.2, 0.8, 0.9]))).toBe(1);
    expect(auc(label, Float64Array.from([0.9, 0.8, 0.2, 0.1]))).toBe(0);
    expect(auc(label, Float64Array.from([0.5, 0.5, 0.5, 0.5]))).toBe(0.5);
    expect(auc(label, Float64Array.from([0.1, 0.6, 0.5, 0.9]))).toBe(0.75);
  });

  it('computes KS, Gini, Brier, log loss and a calibration table', () => {
    const p = Float64Array.from([0.1, 0.2, 0.8, 0.9]);
    expect(ks(label, p)).toBe(1);
    const m = evaluate(label, p, 2);
    expect(m.gini).toBe(1);
    expect(m.brier).toBeCloseTo((0.01 + 0.04 + 0.04 + 0.01) / 4, 12);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.8) + Math.log(0.9)) / 4, 12);
    expect(m.calibration.map((c) => c.observedRate)).toEqual([0, 1]);
  });
});

describe('fairness report', () => {
  it('groups numeric protected values at the given edges', () => {
    expect(groupOf('19', [25, 35])).toBe('<25');
    expect(groupOf('25', [25, 35])).toBe('25–34');
    expect(groupOf('70', [25, 35])).toBe('≥35');
    expect(groupOf('', [25, 35])).toBe('(missing)');
    expect(groupOf('F', undefined)).toBe('F');
  });

  it('reports the approval-rate ratio and the true-positive-rate difference at the cut-off', () => {
    const groups = [...Array(40).fill('A'), ...Array(40).fill('B')] as string[];
    // A: 30 of 40 approved; B: 15 of 40 approved. Nobody defaults, so TPR = approval rate.
    const scores = groups.map((g, i) => (g === 'A' ? (i < 30 ? 600 : 400) : i < 55 ? 600 : 400));
    const report = fairnessReport({ column: 'g', attribute: 'sex' }, groups, new Uint8Array(80), scores, 560);
    expect(report.groups.map((g) => g.approvalRate)).toEqual([0.75, 0.375]);
    expect(report.approvalRateRatio).toBeCloseTo(0.5, 12);
    expect(report.truePositiveRateDifference).toBeCloseTo(0.375, 12);
    expect(report.fourFifthsRuleMet).toBe(false);
  });
});

describe('drift', () => {
  it('gives zero PSI for the baseline distribution and a positive PSI for a shift', () => {
    const baseline = {
      feature: 'x',
      cuts: [1],
      proportions: [0, 0.5, 0.5],
      missingRate: 0,
      mean: 1,
      standardDeviation: 1,
    };
    expect(populationStability(baseline, [0, 50, 50])).toBeCloseTo(0, 6);
    expect(populationStability(baseline, [0, 90, 10])).toBeGreaterThan(0.25);
  });
});
