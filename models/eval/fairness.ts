/**
 * Fairness on held-out rows for protected attributes that are in the data but never model inputs.
 * At the policy cut-off (approve at or above), per group: approval rate, and the true-positive rate
 * where "positive" is a creditworthy applicant (did not default) who is approved (equal opportunity).
 * Reported: the approval-rate ratio (lowest / highest group; the four-fifths rule asks ≥ 0.8) and the
 * true-positive-rate difference (highest − lowest). Groups smaller than `minGroupRows` are listed
 * but left out of the ratio and difference, whose noise would otherwise dominate.
 */
import type { ProtectedColumn } from '../../shared/features';

export interface GroupOutcome {
  readonly group: string;
  readonly rows: number;
  readonly defaultRate: number;
  readonly approvalRate: number;
  readonly truePositiveRate: number | null;
}

export interface FairnessReport {
  readonly attribute: string;
  readonly column: string;
  readonly cutoffScore: number;
  readonly groups: readonly GroupOutcome[];
  readonly approvalRateRatio: number;
  readonly truePositiveRateDifference: number;
  readonly fourFifthsRuleMet: boolean;
  readonly minGroupRows: number;
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

export function fairnessReport(
  column: ProtectedColumn,
  values: readonly string[],
  label: Uint8Array,
  scores: ArrayLike<number>,
  cutoffScore: number,
  minGroupRows = 30,
): FairnessReport {
  const tally = new Map<
    string,
    { rows: number; defaults: number; approved: number; goods: number; goodsApproved: number }
  >();
  values.forEach((raw, i) => {
    const group = groupOf(raw, column.groupEdges);
    const t = tally.get(group) ?? { rows: 0, defaults: 0, approved: 0, goods: 0, goodsApproved: 0 };
    const approved = (scores[i] ?? 0) >= cutoffScore ? 1 : 0;
    t.rows++;
    t.approved += approved;
    if (label[i] === 1) {
      t.defaults++;
    } else {
      t.goods++;
      t.goodsApproved += approved;
    }
    tally.set(group, t);
  });
  // Numeric groups in the order of their edges, categories alphabetically, missing last.
  const rank = (group: string): number => {
    if (group === '(missing)') {
      return Infinity;
    }
    const edges = column.groupEdges ?? [];
    const sorted = [...edges].sort((a, b) => a - b);
    const samples = [(sorted[0] ?? 0) - 1, ...sorted].map((e) => groupOf(String(e), edges));
    const index = samples.indexOf(group);
    return index < 0 ? 0 : index;
  };
  const groups: GroupOutcome[] = [...tally.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([group, t]) => ({
      group,
      rows: t.rows,
      defaultRate: t.defaults / t.rows,
      approvalRate: t.approved / t.rows,
      truePositiveRate: t.goods > 0 ? t.goodsApproved / t.goods : null,
    }));
  const large = groups.filter((g) => g.rows >= minGroupRows);
  const approval = large.map((g) => g.approvalRate);
  const tpr = large.map((g) => g.truePositiveRate).filter((v): v is number => v !== null);
  const maxApproval = Math.max(...approval);
  const ratio = large.length < 2 ? 1 : maxApproval > 0 ? Math.min(...approval) / maxApproval : 1;
  const difference = tpr.length < 2 ? 0 : Math.max(...tpr) - Math.min(...tpr);
  return {
    attribute: column.attribute,
    column: column.column,
    cutoffScore,
    groups,
    approvalRateRatio: ratio,
    truePositiveRateDifference: difference,
    fourFifthsRuleMet: ratio >= 0.8,
    minGroupRows,
  };
}
