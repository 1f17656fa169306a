/**
 * Every figure of the monitoring report as one long CSV (one figure per row, with its interval and the count behind
 * it), so a model validator can take any of them into a spreadsheet. papaparse writes it: every field quoted, and
 * a field that a spreadsheet would run as a formula (=, +, -, @ …) escaped, since band names come from branches.
 */
import Papa from 'papaparse';
import type { ChallengerComparison, MonitoringReport, MonitoringSegment } from './monitoring';

export const MONITORING_CSV_COLUMNS = [
  'model_version',
  'branch',
  'month',
  'band',
  'feature',
  'metric',
  'value',
  'low',
  'high',
  'n',
  'note',
] as const;

type Row = Record<(typeof MONITORING_CSV_COLUMNS)[number], string | number | null>;

function segmentRows(modelVersion: string, s: MonitoringSegment): Row[] {
  const branch = s.branchId ?? 'ALL';
  const row = (
    metric: string,
    value: number | null,
    n: number | null,
    extra: Partial<Pick<Row, 'month' | 'band' | 'feature' | 'low' | 'high' | 'note'>> = {},
  ): Row => ({
    model_version: modelVersion,
    branch,
    month: extra.month ?? null,
    band: extra.band ?? null,
    feature: extra.feature ?? null,
    metric,
    value,
    low: extra.low ?? null,
    high: extra.high ?? null,
    n,
    note: extra.note ?? null,
  });
  const d = s.decisions;
  const p = s.performance;
  const o = s.overrides;
  return [
    row('decisions', d.total, d.total),
    row('approval_rate', d.approvalRate, d.total),
    row('referral_rate', d.referralRate, d.total),
    row('policy_referrals', d.policyReferrals, d.total),
    row('override_rate', d.overrideRate, d.total),
    row('loans', p.loans, p.loans),
    row('loans_with_outcome', p.withOutcome, p.loans),
    row('matured_loans', p.matured, p.loans),
    row('bad_loans', p.bad, p.matured),
    row('indeterminate_loans', p.indeterminate, p.loans),
    row('auc', p.auc, p.matured, { low: p.aucInterval?.low ?? null, high: p.aucInterval?.high ?? null }),
    row('ks', p.ks, p.matured),
    row('brier', p.brier, p.matured),
    row('expected_bad_rate', p.expectedBadRate, p.matured),
    row('observed_bad_rate', p.observedBadRate, p.matured),
    row('overrides_raised_to_approval', o.raisedToApproval, d.overrides),
    row('overrides_lowered', o.lowered, d.overrides),
    row('override_bad_rate', o.badRate, o.matured, {
      low: o.badRateInterval?.low ?? null,
      high: o.badRateInterval?.high ?? null,
    }),
    ...Object.entries(o.statuses).map(([status, count]) =>
      row(`override_outcome_${status}`, count, o.raisedToApproval),
    ),
    ...s.calibration.flatMap((b) => [
      row('band_expected_bad_rate', b.expectedBadRate, b.matured, { band: b.band }),
      row('band_observed_bad_rate', b.observedBadRate, b.matured, {
        band: b.band,
        low: b.observedInterval?.low ?? null,
        high: b.observedInterval?.high ?? null,
        note: b.miscalibrated ? 'miscalibrated' : null,
      }),
    ]),
    ...s.stability.map((m) => row('score_psi', m.psi, m.scores, { month: m.month, note: m.level })),
    ...s.featureStability.map((f) =>
      row('feature_psi', f.psi, f.scores, { month: f.month, feature: f.feature, note: f.level }),
    ),
  ];
}

/** A challenger's comparison with its champion, all branches; `note` names the challenger's model version. */
function challengerRows(modelVersion: string, c: ChallengerComparison): Row[] {
  const row = (
    metric: string,
    value: number | null,
    n: number | null,
    range: { low: number; high: number } | null = null,
  ): Row => ({
    model_version: modelVersion,
    branch: 'ALL',
    month: null,
    band: null,
    feature: null,
    metric,
    value,
    low: range?.low ?? null,
    high: range?.high ?? null,
    n,
    note: `challenger ${c.modelVersion}`,
  });
  return [
    row('challenger_scores', c.scores, c.scores),
    row('challenger_agreement', c.agreement, c.scores),
    row('challenger_mean_score_difference', c.meanScoreDifference, c.scores),
    ...c.outcomes.map((o) => row(`challenger_outcome_${o.champion}_${o.challenger}`, o.count, c.scores)),
    row('champion_auc_same_loans', c.champion.auc, c.matured, c.champion.aucInterval),
    row('challenger_auc_same_loans', c.challenger.auc, c.matured, c.challenger.aucInterval),
    row('champion_brier_same_loans', c.champion.brier, c.matured),
    row('challenger_brier_same_loans', c.challenger.brier, c.matured),
    row('challenger_swapped_out_bad_rate', c.swappedOut.badRate, c.swappedOut.loans),
  ];
}

export function monitoringCsv(report: MonitoringReport): string {
  const rows: Row[] = report.models.flatMap((model) => [
    ...(model.baseline === null
      ? []
      : [
          {
            model_version: model.modelVersion,
            branch: 'ALL',
            month: null,
            band: null,
            feature: null,
            metric: 'holdout_auc',
            value: model.baseline.holdoutAuc,
            low: null,
            high: null,
            n: model.baseline.holdoutRows,
            note: `release ${model.baseline.release}`,
          },
        ]),
    ...model.segments.flatMap((s) => segmentRows(model.modelVersion, s)),
    ...model.challengers.flatMap((c) => challengerRows(model.modelVersion, c)),
  ]);
  return `${Papa.unparse(
    { fields: [...MONITORING_CSV_COLUMNS], data: rows.map((r) => MONITORING_CSV_COLUMNS.map((c) => r[c] ?? '')) },
    { quotes: true, escapeFormulae: true, newline: '\r\n' },
  )}\r\n`;
}
