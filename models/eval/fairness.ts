/**
 * Fairness on held-out rows for protected attributes that are in the data but never model inputs.
 *
 * For each protected attribute, its groups are compared at each policy cut-off the package uses: "approve" (score ≥
 * `approveAtOrAbove`) and "approve or refer" (score ≥ `declineBelow`, i.e. not declined). Per group and cut-off:
 * - the approval rate and the adverse impact ratio (AIR): approval rate ÷ the approval rate of the most-favoured
 *   group (the four-fifths rule asks ≥ 0.8);
 * - the true-positive rate (TPR): share of the group's good payers (did not default) who are approved, and the
 *   equal-opportunity gap: the best group's TPR − this group's TPR;
 * and, independent of any cut-off, the standardized mean difference (SMD) of scores: (group mean − reference mean) ÷
 * the pooled standard deviation, the reference being the group with the highest mean score.
 *
 * Groups smaller than `minGroupRows` are listed with their figures but flagged `reliable: false` and left out of
 * every comparison (most-favoured group, worst AIR, gaps): with a handful of rows their noise would dominate.
 * Numeric attributes are grouped at the specification's `groupEdges`; age without edges falls back to
 * {@link DEFAULT_AGE_EDGES} so a raw age is never compared year by year.
 */
import type { ProtectedColumn } from '../../shared/features';
import type { PolicyDefaults } from '../scoring/scaling';

/** Age buckets when a specification lists age without edges: <25, 25–39, 40–59, ≥60. */
export const DEFAULT_AGE_EDGES: readonly number[] = [25, 40, 60];

/** Groups below this many held-out rows are flagged and not compared. */
export const DEFAULT_MIN_GROUP_ROWS = 30;

export type CutoffName = 'approve' | 'approve-or-refer';

export interface PolicyCutoff {
  readonly name: CutoffName;
  /** Approved (for this comparison) at or above this score. */
  readonly score: number;
}

/** The cut-offs the package's policy uses: approve, and not-declined (approve or refer). */
export function policyCutoffs(policy: PolicyDefaults): PolicyCutoff[] {
  return [
    { name: 'approve', score: policy.approveAtOrAbove },
    { name: 'approve-or-refer', score: policy.declineBelow },
  ];
}

export interface GroupOutcome {
  readonly group: string;
  readonly rows: number;
  readonly defaultRate: number;
  /** At the first cut-off (approve). */
  readonly approvalRate: number;
  readonly truePositiveRate: number | null;
  /** rows ≥ minGroupRows: only reliable groups are compared. */
  readonly reliable: boolean;
  readonly meanScore: number;
  readonly scoreStandardDeviation: number;
  /** (mean − reference mean) / pooled SD; null when undefined (fewer than 2 rows in either, or no spread). */
  readonly standardizedMeanDifference: number | null;
}

export interface CutoffGroup {
  readonly group: string;
  readonly rows: number;
  /** Good payers (did not default): the TPR's denominator. */
  readonly goods: number;
  readonly reliable: boolean;
  readonly approvalRate: number;
  /** Approval rate ÷ the most-favoured reliable group's; null when that rate is 0. */
  readonly adverseImpactRatio: number | null;
  readonly truePositiveRate: number | null;
  /** Highest reliable TPR − this group's; null without good payers or reliable comparison. */
  readonly equalOpportunityGap: number | null;
}

export interface CutoffFairness {
  readonly name: CutoffName;
  readonly score: number;
  readonly mostFavouredGroup: string | null;
  readonly groups: readonly CutoffGroup[];
  /** Lowest AIR among reliable groups; 1 with fewer than two reliable groups. */
  readonly worstAdverseImpactRatio: number;
  readonly worstGroup: string | null;
  /** Highest − lowest TPR among reliable groups. */
  readonly maxEqualOpportunityGap: number;
  readonly fourFifthsRuleMet: boolean;
}

export interface FairnessReport {
  readonly attribute: string;
  readonly column: string;
  /** The approve cut-off, which the summary fields below describe. */
  readonly cutoffScore: number;
  readonly groups: readonly GroupOutcome[];
  readonly approvalRateRatio: number;
  readonly truePositiveRateDifference: number;
  readonly fourFifthsRuleMet: boolean;
  readonly minGroupRows: number;
  readonly edges?: readonly number[];
  readonly scoreReferenceGroup: string | null;
  /** Most negative SMD among reliable groups (0 with fewer than two). */
  readonly worstStandardizedMeanDifference: number;
  readonly cutoffs: readonly CutoffFairness[];
}

/** The edges a protected column is grouped at: its own, or the default age buckets for age. */
export function groupEdgesOf(column: ProtectedColumn): readonly number[] | undefined {
  if (column.groupEdges !== undefined && column.groupEdges.length > 0) {
    return column.groupEdges;
  }
  return column.attribute === 'age' ? DEFAULT_AGE_EDGES : undefined;
}

/** Group name of a raw protected value: the value itself, or an interval for numeric columns with edges. */
export function groupOf(raw: string, edges: readonly number[] | undefined): string {
  if (edges === undefined || edges.length === 0) {
    return raw === '' ? '(missing)' : raw;
  }
  const x = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(x)) {
    return '(missing)';
  }
  const sorted = [...edges].sort((a, b) => a - b);
  const first = sorted[0] as number;
  if (x < first) {
    return `<${first}`;
  }
  for (let k = 1; k < sorted.length; k++) {
    if (x < (sorted[k] as number)) {
      return `${sorted[k - 1]}–${(sorted[k] as number) - 1}`;
    }
  }
  return `≥${sorted[sorted.length - 1]}`;
}

interface Tally {
  rows: number;
  defaults: number;
  sum: number;
  sumSquares: number;
  /** Per cut-off. */
  approved: number[];
  goodsApproved: number[];
}

const smd = (a: Tally, ref: Tally): number | null => {
  if (a.rows < 2 || ref.rows < 2) {
    return null;
  }
  const variance = (t: Tally): number => (t.sumSquares - (t.sum * t.sum) / t.rows) / (t.rows - 1);
  const pooled = Math.sqrt(((a.rows - 1) * variance(a) + (ref.rows - 1) * variance(ref)) / (a.rows + ref.rows - 2));
  return pooled > 0 ? (a.sum / a.rows - ref.sum / ref.rows) / pooled : null;
};

/**
 * Per group of one protected column, every figure at every cut-off (the first cut-off fills the summary fields).
 * `values`, `label` and `scores` are aligned by row; label 1 = defaulted.
 */
export function fairnessAtCutoffs(
  column: ProtectedColumn,
  values: readonly string[],
  label: Uint8Array,
  scores: ArrayLike<number>,
  cutoffs: readonly PolicyCutoff[],
  minGroupRows = DEFAULT_MIN_GROUP_ROWS,
): FairnessReport {
  const first = cutoffs[0];
  if (first === undefined) {
    throw new RangeError('fairness needs at least one cut-off');
  }
  const edges = groupEdgesOf(column);
  const tally = new Map<string, Tally>();
  values.forEach((raw, i) => {
    const group = groupOf(raw, edges);
    let t = tally.get(group);
    if (t === undefined) {
      t = {
        rows: 0,
        defaults: 0,
        sum: 0,
        sumSquares: 0,
        approved: cutoffs.map(() => 0),
        goodsApproved: cutoffs.map(() => 0),
      };
      tally.set(group, t);
    }
    const score = scores[i] ?? 0;
    t.rows++;
    t.sum += score;
    t.sumSquares += score * score;
    const good = label[i] !== 1;
    if (!good) {
      t.defaults++;
    }
    cutoffs.forEach((cutoff, c) => {
      if (score >= cutoff.score) {
        t.approved[c] = (t.approved[c] ?? 0) + 1;
        if (good) {
          t.goodsApproved[c] = (t.goodsApproved[c] ?? 0) + 1;
        }
      }
    });
  });
  // Numeric groups in the order of their edges, categories alphabetically, missing last.
  const rank = (group: string): number => {
    if (group === '(missing)') {
      return Infinity;
    }
    const sorted = [...(edges ?? [])].sort((a, b) => a - b);
    const samples = [(sorted[0] ?? 0) - 1, ...sorted].map((e) => groupOf(String(e), edges));
    const index = samples.indexOf(group);
    return index < 0 ? 0 : index;
  };
  const ordered = [...tally.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  const reliable = ordered.filter(([, t]) => t.rows >= minGroupRows);

  // The score reference: the reliable group with the highest mean score.
  let reference: [string, Tally] | undefined;
  for (const entry of reliable) {
    if (reference === undefined || entry[1].sum / entry[1].rows > reference[1].sum / reference[1].rows) {
      reference = entry;
    }
  }
  const cutoffReports: CutoffFairness[] = cutoffs.map((cutoff, c) => {
    const rate = (t: Tally): number => (t.approved[c] ?? 0) / t.rows;
    const tpr = (t: Tally): number | null =>
      t.rows - t.defaults > 0 ? (t.goodsApproved[c] ?? 0) / (t.rows - t.defaults) : null;
    let favoured: [string, Tally] | undefined;
    for (const entry of reliable) {
      if (favoured === undefined || rate(entry[1]) > rate(favoured[1])) {
        favoured = entry;
      }
    }
    const topRate = favoured === undefined ? 0 : rate(favoured[1]);
    const reliableTprs = reliable.map(([, t]) => tpr(t)).filter((v): v is number => v !== null);
    const topTpr = reliableTprs.length > 0 ? Math.max(...reliableTprs) : null;
    const groups: CutoffGroup[] = ordered.map(([group, t]) => {
      const groupTpr = tpr(t);
      return {
        group,
        rows: t.rows,
        goods: t.rows - t.defaults,
        reliable: t.rows >= minGroupRows,
        approvalRate: rate(t),
        adverseImpactRatio: favoured !== undefined && topRate > 0 ? rate(t) / topRate : null,
        truePositiveRate: groupTpr,
        equalOpportunityGap: groupTpr !== null && topTpr !== null ? topTpr - groupTpr : null,
      };
    });
    let worstAdverseImpactRatio = 1;
    let worstGroup: string | null = null;
    if (reliable.length >= 2) {
      for (const g of groups) {
        if (g.reliable && g.adverseImpactRatio !== null && g.adverseImpactRatio < worstAdverseImpactRatio) {
          worstAdverseImpactRatio = g.adverseImpactRatio;
          worstGroup = g.group;
        }
      }
    }
    const maxEqualOpportunityGap = reliableTprs.length < 2 ? 0 : Math.max(...reliableTprs) - Math.min(...reliableTprs);
    return {
      name: cutoff.name,
      score: cutoff.score,
      mostFavouredGroup: favoured?.[0] ?? null,
      groups,
      worstAdverseImpactRatio,
      worstGroup,
      maxEqualOpportunityGap,
      fourFifthsRuleMet: worstAdverseImpactRatio >= 0.8,
    };
  });

  const firstReport = cutoffReports[0] as CutoffFairness;
  const groups: GroupOutcome[] = ordered.map(([group, t], k) => {
    const atFirst = firstReport.groups[k] as CutoffGroup;
    const mean = t.sum / t.rows;
    const variance = t.rows > 1 ? Math.max(0, (t.sumSquares - t.sum * mean) / (t.rows - 1)) : 0;
    return {
      group,
      rows: t.rows,
      defaultRate: t.defaults / t.rows,
      approvalRate: atFirst.approvalRate,
      truePositiveRate: atFirst.truePositiveRate,
      reliable: atFirst.reliable,
      meanScore: mean,
      scoreStandardDeviation: Math.sqrt(variance),
      standardizedMeanDifference: reference === undefined ? null : smd(t, reference[1]),
    };
  });
  const reliableSmds =
    reliable.length < 2 ? [] : groups.filter((g) => g.reliable).map((g) => g.standardizedMeanDifference ?? 0);
  return {
    attribute: column.attribute,
    column: column.column,
    cutoffScore: first.score,
    groups,
    approvalRateRatio: firstReport.worstAdverseImpactRatio,
    truePositiveRateDifference: firstReport.maxEqualOpportunityGap,
    fourFifthsRuleMet: firstReport.fourFifthsRuleMet,
    minGroupRows,
    ...(edges === undefined ? {} : { edges: [...edges] }),
    scoreReferenceGroup: reference?.[0] ?? null,
    worstStandardizedMeanDifference: reliableSmds.length > 0 ? Math.min(0, ...reliableSmds) : 0,
    cutoffs: cutoffReports,
  };
}

/** Fairness at one cut-off (approve at or above `cutoffScore`); see {@link fairnessAtCutoffs}. */
export function fairnessReport(
  column: ProtectedColumn,
  values: readonly string[],
  label: Uint8Array,
  scores: ArrayLike<number>,
  cutoffScore: number,
  minGroupRows = DEFAULT_MIN_GROUP_ROWS,
): FairnessReport {
  return fairnessAtCutoffs(column, values, label, scores, [{ name: 'approve', score: cutoffScore }], minGroupRows);
}

/** The lowest AIR at the approve cut-off over every attribute's reliable groups, with where it is. */
export function worstDisparity(
  reports: readonly FairnessReport[],
): { attribute: string; column: string; group: string; reference: string; ratio: number } | null {
  let worst: { attribute: string; column: string; group: string; reference: string; ratio: number } | null = null;
  for (const r of reports) {
    const at = r.cutoffs[0];
    if (
      at !== undefined &&
      at.worstGroup !== null &&
      at.mostFavouredGroup !== null &&
      (worst === null || at.worstAdverseImpactRatio < worst.ratio)
    ) {
      worst = {
        attribute: r.attribute,
        column: r.column,
        group: at.worstGroup,
        reference: at.mostFavouredGroup,
        ratio: at.worstAdverseImpactRatio,
      };
    }
  }
  return worst;
}
