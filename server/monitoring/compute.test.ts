/**
 * The monitoring statistics on examples worked by hand, the loan maturity rules, and the flags: each figure here was
 * computed on paper, so a change to a formula fails here before it reaches a console.
 */
import { describe, expect, it } from 'vitest';
import {
  auc,
  aucInterval,
  brier,
  ks,
  populationStabilityIndex,
  wilsonInterval,
} from '../../shared/stats/discrimination';
import { MONITORING_THRESHOLDS } from '../../shared/sync/monitoring';
import {
  coarseClasses,
  loanState,
  monitoringReport,
  type BaselineFact,
  type DecisionFact,
  type FeatureBinFact,
  type ScoreFact,
} from './compute';

describe('monitoring statistics', () => {
  // Bads scored 0.9 and 0.4, goods 0.5, 0.2 and 0.1: five of the six (bad, good) pairs are ordered right.
  const labels = [1, 1, 0, 0, 0];
  const predicted = [0.9, 0.4, 0.5, 0.2, 0.1];

  it('AUC, KS and Brier of a worked example', () => {
    expect(auc(labels, predicted)).toBeCloseTo(5 / 6, 12);
    // Ascending: after 0.2 two of three goods and no bad have passed.
    expect(ks(labels, predicted)).toBeCloseTo(2 / 3, 12);
    expect(brier(labels, predicted)).toBeCloseTo((0.01 + 0.36 + 0.25 + 0.04 + 0.01) / 5, 12);
    expect(auc([1, 1], [0.3, 0.4])).toBeNaN();
  });

  it('the Hanley–McNeil interval of an AUC and the Wilson interval of a rate', () => {
    // A = 0.8 on 50 bads and 50 goods: Q1 = 2/3, Q2 = 0.7111; SE = 0.04450.
    const interval = aucInterval(0.8, 50, 50);
    expect(interval?.low).toBeCloseTo(0.7128, 4);
    expect(interval?.high).toBeCloseTo(0.8872, 4);
    expect(aucInterval(Number.NaN, 3, 3)).toBeNull();
    expect(aucInterval(0.7, 0, 10)).toBeNull();
    // Published values: 0 of 10 → [0, 0.2775]; 5 of 10 → [0.2366, 0.7634].
    expect(wilsonInterval(0, 10)?.low).toBe(0);
    expect(wilsonInterval(0, 10)?.high).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(5, 10)?.low).toBeCloseTo(0.2366, 4);
    expect(wilsonInterval(5, 10)?.high).toBeCloseTo(0.7634, 4);
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('PSI of a worked example, and zero for the same shares', () => {
    // Observed 75/25 against expected 50/50: 0.25·ln 1.5 + 0.25·ln 2.
    expect(populationStabilityIndex([1, 1], [3, 1])).toBeCloseTo(0.25 * Math.log(1.5) + 0.25 * Math.log(2), 12);
    expect(populationStabilityIndex([400, 400, 400], [7, 7, 7])).toBeCloseTo(0, 12);
  });
});

describe('loan maturity', () => {
  const day = '2025-01-31';
  it('bad once 90 days late or written off at any as-of date, even if current later', () => {
    expect(
      loanState(
        day,
        [
          { asOf: '2025-06-30', status: 'dpd90' },
          { asOf: '2025-09-30', status: 'current' },
        ],
        12,
      ),
    ).toBe('bad');
    expect(loanState(day, [{ asOf: '2025-03-01', status: 'written_off' }], 12)).toBe('bad');
  });
  it('good when repaid, or current at the end of the window; immature before it; indeterminate when late then', () => {
    expect(loanState(day, [{ asOf: '2025-02-15', status: 'repaid' }], 12)).toBe('good');
    // 31 January + 12 months is 31 January; + 1 month rolls over to 3 March.
    expect(loanState(day, [{ asOf: '2026-01-30', status: 'current' }], 12)).toBe('immature');
    expect(loanState(day, [{ asOf: '2026-01-31', status: 'current' }], 12)).toBe('good');
    expect(loanState(day, [{ asOf: '2025-03-02', status: 'current' }], 1)).toBe('immature');
    expect(loanState(day, [{ asOf: '2025-03-03', status: 'current' }], 1)).toBe('good');
    expect(loanState(day, [{ asOf: '2026-02-01', status: 'dpd60' }], 12)).toBe('indeterminate');
    expect(loanState(day, [], 12)).toBe('no-outcome');
    expect(loanState(day, undefined, 12)).toBe('no-outcome');
  });
});

describe('the monitoring report', () => {
  const baseline: BaselineFact = {
    release: '2026.11.1',
    holdoutAuc: 0.9,
    holdoutRows: 4000,
    bins: Array.from({ length: 10 }, (_, i) => ({ upper: (i + 1) / 10, count: 400 })),
    // debtToIncome's training shares per bin (bin 0: missing).
    features: new Map([['debtToIncome', [0, 0.05, 0.05, 0.1, 0.2, 0.2, 0.2, 0.2]]]),
  };
  const score = (i: number, branchId: string, pd: number, band: string, month = '2026-11'): ScoreFact => ({
    scoreId: `SC-${branchId}-${i}`,
    branchId,
    month,
    modelVersion: '1.0.0',
    probabilityOfDefault: pd,
    band,
    score: Math.round(700 - 400 * pd),
    outcome: pd > 0.5 ? 'decline' : 'approve',
    challenger: null,
  });

  it('rates, override outcomes, realised figures per band and the flags, per branch and for all', () => {
    // Branch A: 100 scores spread evenly over the deciles; branch B: 60 scores all in the top decile.
    const scores = [
      ...Array.from({ length: 100 }, (_, i) => score(i, 'A', (i % 10) / 10 + 0.05, i % 10 < 5 ? 'A' : 'E')),
      ...Array.from({ length: 60 }, (_, i) => score(i, 'B', 0.95, 'E')),
    ];
    const decisions: DecisionFact[] = scores.map((s, i) => ({
      decisionId: `DC-${i}`,
      branchId: s.branchId,
      scoreId: s.scoreId,
      decision: s.probabilityOfDefault > 0.5 && s.branchId === 'A' ? 'decline' : 'approve',
      policyOutcome: s.probabilityOfDefault > 0.5 ? 'decline' : 'approve',
      override: s.branchId === 'B',
      day: '2026-11-25',
    }));
    // Every approved loan repaid or written off: branch A's low scores repay; branch B's loans (expected 95 % bad)
    // go bad one in two, and A's 0.45 decile goes bad.
    const outcomes = new Map(
      decisions
        .filter((d) => d.decision === 'approve')
        .map((d, i) => {
          const s = scores.find((x) => x.scoreId === d.scoreId) as ScoreFact;
          const bad = s.branchId === 'B' ? i % 2 === 0 : s.probabilityOfDefault > 0.4;
          return [d.decisionId, [{ asOf: '2026-12-01', status: bad ? ('written_off' as const) : ('repaid' as const) }]];
        }),
    );
    const report = monitoringReport(
      {
        scores,
        decisions,
        outcomes,
        baselines: new Map([['1.0.0', baseline]]),
        featureBins: [],
        excluded: {
          scoresWithoutAttachment: 0,
          inconsistentScores: 0,
          decisionsWithoutScore: 0,
          unknownChallengers: 0,
        },
      },
      12,
      new Date('2026-12-03T10:00:00Z'),
    );
    expect(report.models).toHaveLength(1);
    const [model] = report.models;
    expect(model?.baseline).toEqual({ release: '2026.11.1', holdoutAuc: 0.9, holdoutRows: 4000 });
    expect(model?.segments.map((s) => s.branchId)).toEqual([null, 'A', 'B']);
    const [all, a, b] = model?.segments ?? [];

    expect(all?.decisions).toMatchObject({ total: 160, approved: 110, declined: 50, overrides: 60 });
    expect(all?.decisions.overrideRate).toBeCloseTo(60 / 160, 12);
    expect(a?.decisions).toMatchObject({ total: 100, approved: 50, overrides: 0, approvalRate: 0.5 });
    // Branch B's overrides approved 60 loans the policy declined; 30 went bad.
    expect(b?.overrides).toMatchObject({ raisedToApproval: 60, lowered: 0, matured: 60, bad: 30, badRate: 0.5 });
    expect(b?.overrides.statuses).toMatchObject({ written_off: 30, repaid: 30, current: 0 });

    // Branch A: 50 loans, the ten at 0.45 went bad and score highest: a perfect ordering.
    expect(a?.performance).toMatchObject({ loans: 50, withOutcome: 50, matured: 50, bad: 10, auc: 1, ks: 1 });
    expect(a?.performance.expectedBadRate).toBeCloseTo(0.25, 12);
    expect(a?.performance.observedBadRate).toBeCloseTo(0.2, 12);
    // Band E of branch B: 60 loans expected at 95 %, observed 50 %: outside its interval.
    expect(b?.calibration).toEqual([expect.objectContaining({ band: 'E', matured: 60, bad: 30, miscalibrated: true })]);

    expect(a?.stability).toEqual([{ month: '2026-11', scores: 100, psi: expect.closeTo(0, 12), level: 'stable' }]);
    expect(b?.stability[0]?.level).toBe('act');
    expect(b?.stability[0]?.psi).toBeGreaterThan(MONITORING_THRESHOLDS.psiAct);

    const codes = report.flags.map((f) => `${f.code}:${f.branchId ?? 'ALL'}${f.band === null ? '' : `:${f.band}`}`);
    expect(codes).toContain('psi-act:B');
    expect(codes).toContain('miscalibrated-band:B:E');
    expect(codes).not.toContain('psi-act:A');
    // All branches together: AUC 0.716 (the 30 bads of B score no higher than its 30 goods), below the 0.9 hold-out.
    expect(codes).toContain('auc-below-holdout:ALL');
    expect(report.flags.every((f) => !/SC-|DC-/.test(f.message))).toBe(true);
  });

  it('shows a month with too few scores but never flags it, and says when there is no baseline', () => {
    const few = Array.from({ length: MONITORING_THRESHOLDS.minScoresForPsi - 1 }, (_, i) => score(i, 'A', 0.99, 'E'));
    const facts = {
      scores: few,
      decisions: [],
      outcomes: new Map(),
      featureBins: [],
      excluded: { scoresWithoutAttachment: 0, inconsistentScores: 0, decisionsWithoutScore: 0, unknownChallengers: 0 },
    };
    const withBaseline = monitoringReport({ ...facts, baselines: new Map([['1.0.0', baseline]]) }, 12, new Date());
    expect(withBaseline.models[0]?.segments[0]?.stability[0]).toMatchObject({ level: 'too-few' });
    expect(withBaseline.flags).toEqual([]);
    const without = monitoringReport({ ...facts, baselines: new Map() }, 12, new Date());
    expect(without.models[0]?.baseline).toBeNull();
    expect(without.models[0]?.segments[0]?.stability[0]).toMatchObject({ psi: null, level: 'no-baseline' });
    expect(without.models[0]?.segments[0]?.performance).toMatchObject({ loans: 0, auc: null, brier: null });
  });
  it("characteristic stability per feature, branch and month over the baseline's coarse classes, with its flags", () => {
    // Missing alone; then bins merged to at least 10 % of training rows; a short last class joins the one before.
    expect(coarseClasses([0, 0.05, 0.05, 0.1, 0.2, 0.2, 0.2, 0.2], 0.1)).toEqual([0, 1, 1, 2, 3, 4, 5, 6]);
    expect(coarseClasses([0, 0.5, 0.45, 0.05], 0.1)).toEqual([0, 1, 2, 2]);
    const bins = (
      month: string,
      branchId: string,
      scores: number,
      counts: [number, number][],
      feature = 'debtToIncome',
    ) =>
      ({
        branchId,
        modelVersion: '1.0.0',
        month,
        scores,
        features: [{ feature, bins: counts }],
      }) satisfies FeatureBinFact;
    const featureBins: FeatureBinFact[] = [
      // Branch A: exactly the training shares. Branch B: every applicant in the top bin.
      bins('2026-11', 'A', 100, [
        [1, 5],
        [2, 5],
        [3, 10],
        [4, 20],
        [5, 20],
        [6, 20],
        [7, 20],
      ]),
      bins('2026-11', 'B', 60, [[7, 60]]),
      // Too few to flag; a feature the package has no baseline for and a bin past the baseline's: another package's.
      bins('2026-12', 'A', 40, [[7, 40]]),
      bins('2026-11', 'A', 100, [[1, 100]], 'savingsRate'),
      bins('2026-10', 'B', 80, [[9, 80]]),
    ];
    const report = monitoringReport(
      {
        scores: [score(1, 'A', 0.5, 'C'), score(2, 'B', 0.5, 'C')],
        decisions: [],
        outcomes: new Map(),
        baselines: new Map([['1.0.0', baseline]]),
        featureBins,
        excluded: {
          scoresWithoutAttachment: 0,
          inconsistentScores: 0,
          decisionsWithoutScore: 0,
          unknownChallengers: 0,
        },
      },
      12,
      new Date('2026-12-03T10:00:00Z'),
    );
    const [all, a, b] = report.models[0]?.segments ?? [];
    expect(a?.featureStability).toEqual([
      {
        feature: 'debtToIncome',
        month: '2026-11',
        scores: 100,
        psi: expect.closeTo(0, 12),
        level: 'stable',
        classes: 7,
      },
      { feature: 'debtToIncome', month: '2026-12', scores: 40, psi: expect.any(Number), level: 'too-few', classes: 7 },
    ]);
    // B against the classes' shares [missing 0, .1, .1, .2, .2, .2, .2], empty classes floored at 1e-4.
    const floor = 1e-4;
    const expected =
      2 * (floor - 0.1) * Math.log(floor / 0.1) + 3 * (floor - 0.2) * Math.log(floor / 0.2) + 0.8 * Math.log(1 / 0.2);
    expect(b?.featureStability).toEqual([
      {
        feature: 'debtToIncome',
        month: '2026-11',
        scores: 60,
        psi: expect.closeTo(expected, 9),
        level: 'act',
        classes: 7,
      },
    ]);
    // All branches: A and B together in November.
    const november = all?.featureStability.find((f) => f.feature === 'debtToIncome' && f.month === '2026-11');
    expect(november?.scores).toBe(160);
    expect(november?.psi).toBeGreaterThan(0);
    expect(november?.psi).toBeLessThan(b?.featureStability[0]?.psi ?? 0);
    expect(report.excluded.inconsistentFeatureCounts).toBe(2);

    const flags = report.flags.filter((f) => f.code === 'feature-psi-act');
    expect(flags.map((f) => [f.branchId, f.feature, f.month])).toEqual(
      expect.arrayContaining([['B', 'debtToIncome', '2026-11']]),
    );
    expect(flags.some((f) => f.branchId === 'A')).toBe(false);
    expect(flags.find((f) => f.branchId === 'B')?.message).toMatch(
      /^debtToIncome: PSI \d+\.\d{3} in 2026-11 \(branch B, 60 scores\)/,
    );
  });
  it('compares a challenger with its champion on the same applicants and, once matured, on the same loans', () => {
    const withChallenger = (i: number, pd: number, challengerPd: number, challengerScore: number): ScoreFact => ({
      ...score(i, 'A', pd, 'C'),
      challenger: {
        modelVersion: '1.1.0',
        score: challengerScore,
        outcome: challengerPd > 0.5 ? 'decline' : 'approve',
        probabilityOfDefault: challengerPd,
      },
    });
    // Champion scores 660, 620, 580, 420; the challenger 650, 380, 460, 340.
    const scores = [
      withChallenger(1, 0.1, 0.2, 650),
      withChallenger(2, 0.2, 0.8, 380),
      withChallenger(3, 0.3, 0.6, 460),
      withChallenger(4, 0.7, 0.9, 340),
      score(5, 'A', 0.1, 'A'),
    ];
    const decisions: DecisionFact[] = scores.map((s, i) => ({
      decisionId: `DC-${i}`,
      branchId: 'A',
      scoreId: s.scoreId,
      decision: s.outcome,
      policyOutcome: s.outcome,
      override: false,
      day: '2026-11-02',
    }));
    const status = ['repaid', 'written_off', 'repaid', 'repaid', 'repaid'] as const;
    const outcomes = new Map(
      decisions.map((d, i) => [d.decisionId, [{ asOf: '2026-12-01', status: status[i] ?? 'repaid' }]]),
    );
    const report = monitoringReport(
      {
        scores,
        decisions,
        outcomes,
        baselines: new Map([['1.0.0', baseline]]),
        featureBins: [],
        excluded: {
          scoresWithoutAttachment: 0,
          inconsistentScores: 0,
          decisionsWithoutScore: 0,
          unknownChallengers: 0,
        },
      },
      12,
      new Date('2026-12-03T10:00:00Z'),
    );
    const [comparison] = report.models[0]?.challengers ?? [];
    expect(report.models[0]?.challengers).toHaveLength(1);
    expect(comparison).toMatchObject({ modelVersion: '1.1.0', scores: 4, agreement: 0.5, matured: 3, bad: 1 });
    expect(comparison?.meanScoreDifference).toBeCloseTo(-450 / 4, 12);
    expect(comparison?.outcomes.filter((o) => o.count > 0)).toEqual([
      { champion: 'approve', challenger: 'approve', count: 1 },
      { champion: 'approve', challenger: 'decline', count: 2 },
      { champion: 'decline', challenger: 'decline', count: 1 },
    ]);
    expect(comparison?.outcomes).toHaveLength(9);
    // The bad loan (0.2) is ranked above one of the champion's two goods (0.1, not 0.3); the challenger's 0.8 above both.
    expect(comparison?.champion.auc).toBeCloseTo(0.5, 12);
    expect(comparison?.challenger.auc).toBeCloseTo(1, 12);
    expect(comparison?.champion.brier).toBeCloseTo((0.01 + 0.64 + 0.09) / 3, 12);
    expect(comparison?.challenger.brier).toBeCloseTo((0.04 + 0.04 + 0.36) / 3, 12);
    // Loans the champion approved and the challenger would have declined: one of the two went bad.
    expect(comparison?.swappedOut).toEqual({ loans: 2, bad: 1, badRate: 0.5 });
  });
});
