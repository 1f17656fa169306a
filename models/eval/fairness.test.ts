/**
 * The per-cut-off fairness figures on a small example worked out by hand: AIR, TPR and the equal-opportunity gap at
 * both policy cut-offs, the SMD of scores, small groups flagged and kept out of every comparison, age bucketed.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FairnessSchema, ModelManifestSchema, type ModelManifest } from '../package/manifest';
import { DEFAULT_POLICY } from '../scoring/scaling';
import {
  fairnessAtCutoffs,
  groupEdgesOf,
  groupOf,
  policyCutoffs,
  worstDisparity,
  type CutoffFairness,
  type FairnessReport,
} from './fairness';
import { buildModelCard, modelCardMarkdown } from './model-card';

/** The manifest of the package in resources/model (built before the per-cut-off report): a real older manifest. */
function shippedManifest(): ModelManifest {
  return ModelManifestSchema.parse(
    JSON.parse(readFileSync(new URL('../../resources/model/manifest.json', import.meta.url), 'utf8')),
  );
}

// Group A: scores 600, 580, 520, 450 (the 520 defaulted); group B: 590, 510, 505, 400 (the 400 defaulted);
// group C: one row, 700, good payer.
const groups = ['A', 'A', 'A', 'A', 'B', 'B', 'B', 'B', 'C'];
const scores = [600, 580, 520, 450, 590, 510, 505, 400, 700];
const label = Uint8Array.from([0, 0, 1, 0, 0, 0, 0, 1, 0]);
const cutoffs = [
  { name: 'approve', score: 560 },
  { name: 'approve-or-refer', score: 500 },
] as const;

function report(minGroupRows = 2): FairnessReport {
  return fairnessAtCutoffs({ column: 'g', attribute: 'sex' }, groups, label, scores, cutoffs, minGroupRows);
}

function at(r: FairnessReport, name: string): CutoffFairness {
  const found = r.cutoffs.find((c) => c.name === name);
  if (found === undefined) {
    throw new Error(`no cut-off ${name}`);
  }
  return found;
}

describe('fairness at the policy cut-offs', () => {
  it('uses the approve and the approve-or-refer cut-offs of the policy', () => {
    expect(policyCutoffs(DEFAULT_POLICY)).toEqual([
      { name: 'approve', score: DEFAULT_POLICY.approveAtOrAbove },
      { name: 'approve-or-refer', score: DEFAULT_POLICY.declineBelow },
    ]);
  });

  it('computes AIR, TPR and the equal-opportunity gap at the approve cut-off by hand', () => {
    const approve = at(report(), 'approve');
    // A approves 600 and 580 of four: 0.5; B approves 590: 0.25. A is the most-favoured reliable group.
    expect(approve.mostFavouredGroup).toBe('A');
    const [a, b] = approve.groups;
    expect(a).toMatchObject({ group: 'A', rows: 4, goods: 3, approvalRate: 0.5, adverseImpactRatio: 1 });
    expect(b).toMatchObject({ group: 'B', rows: 4, goods: 3, approvalRate: 0.25, adverseImpactRatio: 0.5 });
    // Good payers: A 600, 580, 450 → 2 of 3 approved; B 590, 510, 505 → 1 of 3.
    expect(a?.truePositiveRate).toBeCloseTo(2 / 3, 12);
    expect(b?.truePositiveRate).toBeCloseTo(1 / 3, 12);
    expect(b?.equalOpportunityGap).toBeCloseTo(1 / 3, 12);
    expect(approve.worstAdverseImpactRatio).toBe(0.5);
    expect(approve.worstGroup).toBe('B');
    expect(approve.maxEqualOpportunityGap).toBeCloseTo(1 / 3, 12);
    expect(approve.fourFifthsRuleMet).toBe(false);
  });

  it('computes them at the approve-or-refer cut-off, where the gap reverses', () => {
    const refer = at(report(), 'approve-or-refer');
    // Both approve 3 of 4 at ≥ 500: AIR 1. Good payers: A 2 of 3 (450 is below), B 3 of 3.
    expect(refer.groups.map((g) => g.approvalRate)).toEqual([0.75, 0.75, 1]);
    expect(refer.worstAdverseImpactRatio).toBe(1);
    expect(refer.fourFifthsRuleMet).toBe(true);
    expect(refer.groups[0]?.equalOpportunityGap).toBeCloseTo(1 / 3, 12);
    expect(refer.groups[1]?.equalOpportunityGap).toBeCloseTo(0, 12);
  });

  it('computes the standardized mean difference of scores against the highest-scoring group', () => {
    const r = report();
    // Means 537.5 and 501.25; sample variances 13675/3 and 18218.75/3; pooled variance their mean, 5315.625.
    expect(r.scoreReferenceGroup).toBe('A');
    const [a, b] = r.groups;
    expect(a?.meanScore).toBeCloseTo(537.5, 12);
    expect(b?.meanScore).toBeCloseTo(501.25, 12);
    expect(a?.standardizedMeanDifference).toBe(0);
    expect(b?.standardizedMeanDifference).toBeCloseTo(-36.25 / Math.sqrt(5315.625), 10);
    expect(r.worstStandardizedMeanDifference).toBeCloseTo(-36.25 / Math.sqrt(5315.625), 10);
    // The summary fields describe the approve cut-off.
    expect(r.approvalRateRatio).toBe(0.5);
    expect(r.truePositiveRateDifference).toBeCloseTo(1 / 3, 12);
  });

  it('flags a group under the minimum size and keeps it out of every comparison', () => {
    const approve = at(report(), 'approve');
    const c = approve.groups[2];
    // C approves its one row (rate 1), which would make it the most-favoured group if it counted.
    expect(c).toMatchObject({ group: 'C', rows: 1, reliable: false, approvalRate: 1 });
    expect(c?.adverseImpactRatio).toBe(2);
    expect(approve.mostFavouredGroup).toBe('A');
    expect(report().groups[2]?.reliable).toBe(false);
    // With a minimum of 5 rows nobody is compared: the ratio is 1 and there is no worst group.
    const none = at(report(5), 'approve');
    expect(none.groups.every((g) => !g.reliable)).toBe(true);
    expect(none.worstAdverseImpactRatio).toBe(1);
    expect(none.worstGroup).toBeNull();
    expect(none.mostFavouredGroup).toBeNull();
  });

  it('buckets age at the specification edges, or at <25, 25–39, 40–59, ≥60 when it has none', () => {
    expect(groupEdgesOf({ column: 'age', attribute: 'age' })).toEqual([25, 40, 60]);
    expect(groupEdgesOf({ column: 'age', attribute: 'age', groupEdges: [30] })).toEqual([30]);
    expect(groupEdgesOf({ column: 'sex', attribute: 'sex' })).toBeUndefined();
    const edges = groupEdgesOf({ column: 'age', attribute: 'age' });
    expect(['24', '25', '39', '40', '59', '60', '81', ''].map((v) => groupOf(v, edges))).toEqual([
      '<25',
      '25–39',
      '25–39',
      '40–59',
      '40–59',
      '≥60',
      '≥60',
      '(missing)',
    ]);
    const ages = ['22', '23', '45', '47', '61', '62'];
    const r = fairnessAtCutoffs(
      { column: 'age', attribute: 'age' },
      ages,
      new Uint8Array(6),
      [500, 500, 600, 600, 600, 500],
      cutoffs,
      1,
    );
    expect(r.groups.map((g) => [g.group, g.rows])).toEqual([
      ['<25', 2],
      ['40–59', 2],
      ['≥60', 2],
    ]);
    expect(r.edges).toEqual([25, 40, 60]);
    expect(at(r, 'approve').groups.map((g) => g.adverseImpactRatio)).toEqual([0, 1, 0.5]);
  });

  it('names the worst disparity over every attribute', () => {
    const sex = report();
    const other = fairnessAtCutoffs(
      { column: 'h', attribute: 'location' },
      ['x', 'x', 'y', 'y'],
      new Uint8Array(4),
      [600, 600, 600, 500],
      cutoffs,
      2,
    );
    expect(worstDisparity([sex, other])).toEqual({
      attribute: 'sex',
      column: 'g',
      group: 'B',
      reference: 'A',
      ratio: 0.5,
    });
    expect(worstDisparity([other])).toMatchObject({ attribute: 'location', group: 'y', reference: 'x', ratio: 0.5 });
    expect(worstDisparity([report(5)])).toBeNull();
  });

  it('says in the card when an attribute has fewer than two groups large enough to compare', () => {
    const lone = fairnessAtCutoffs({ column: 'fw', attribute: 'nationality' }, groups, label, scores, cutoffs, 5);
    const sex = report();
    const card = buildModelCard({ ...shippedManifest(), fairness: [lone, sex].map((f) => FairnessSchema.parse(f)) });
    const markdown = modelCardMarkdown(card);
    const loneSection = markdown.slice(markdown.indexOf('### nationality'), markdown.indexOf('### sex'));
    expect(loneSection).toContain('NOT compared');
    expect(loneSection).not.toContain('four-fifths rule met');
    expect(loneSection).toContain('| A (small) | 4 |');
    const sexSection = markdown.slice(markdown.indexOf('### sex'));
    expect(sexSection).toContain('approve (≥ 560): worst AIR 0.500 (B vs A), four-fifths rule NOT met');
    expect(sexSection).toContain(
      '| B | 4 | 25.0% | 501.3 | -0.497 | 25.0% | 0.500 | 33.3% | 0.333 | 75.0% | 1.000 | 100.0% | 0.000 |',
    );
  });
});
