/**
 * The monitoring report from plain facts (load.ts reads them): scores as the branches pushed them, the decisions in
 * force, the loan outcomes and each model's hold-out figures. Pure, so the statistics are tested on hand-checked
 * examples (compute.test.ts) apart from the database.
 */
import {
  BAD_STATUSES,
  INDETERMINATE_STATUSES,
  MONITORING_THRESHOLDS,
  type ChallengerComparison,
  type FeatureStability,
  type ModelMonitoring,
  type MonitoringFlag,
  type MonitoringReport,
  type MonitoringSegment,
} from '../../shared/sync/monitoring';
import { LOAN_OUTCOME_STATUSES, type LoanOutcomeStatus } from '../../shared/sync/outcomes';
import { POLICY_OUTCOMES, type PolicyOutcome } from '../../shared/domain/decisions';
import {
  auc,
  aucInterval,
  brier,
  ks,
  populationStabilityIndex,
  wilsonInterval,
} from '../../shared/stats/discrimination';

/** A challenger's shadow score of the same applicant, as the score's attachment and chained entry agree on it. */
export interface ChallengerFact {
  readonly modelVersion: string;
  readonly score: number;
  readonly outcome: PolicyOutcome;
  readonly probabilityOfDefault: number;
}

export interface ScoreFact {
  readonly scoreId: string;
  readonly branchId: string;
  /** `YYYY-MM` of the score. */
  readonly month: string;
  readonly modelVersion: string;
  readonly probabilityOfDefault: number;
  readonly band: string;
  readonly score: number;
  readonly outcome: PolicyOutcome;
  readonly challenger: ChallengerFact | null;
}

export interface DecisionFact {
  readonly decisionId: string;
  readonly branchId: string;
  readonly scoreId: string;
  readonly decision: string;
  readonly policyOutcome: string;
  readonly override: boolean;
  /** `YYYY-MM-DD` the branch recorded it. */
  readonly day: string;
}

export interface OutcomeFact {
  readonly asOf: string;
  readonly status: LoanOutcomeStatus;
}

export interface BaselineFact {
  readonly release: string;
  readonly holdoutAuc: number;
  readonly holdoutRows: number;
  /** The hold-out's probability-of-default deciles: upper bound and rows of each, in order. */
  readonly bins: readonly { readonly upper: number; readonly count: number }[];
  /** The package's drift baseline: each feature's share of training rows per bin (bin 0: missing). */
  readonly features: ReadonlyMap<string, readonly number[]>;
}

/** One device's latest counts for a model version and month (feature_bin_counts). */
export interface FeatureBinFact {
  readonly branchId: string;
  readonly modelVersion: string;
  readonly month: string;
  readonly scores: number;
  readonly features: readonly { readonly feature: string; readonly bins: readonly (readonly [number, number])[] }[];
}

export interface MonitoringFacts {
  readonly scores: readonly ScoreFact[];
  /** Decisions in force only (load.ts drops superseded ones and overrides still pending). */
  readonly decisions: readonly DecisionFact[];
  /** Per decision id, its outcomes in as-of order. */
  readonly outcomes: ReadonlyMap<string, readonly OutcomeFact[]>;
  readonly baselines: ReadonlyMap<string, BaselineFact>;
  readonly featureBins: readonly FeatureBinFact[];
  /** Device months of feature counts load.ts did not believe (more scores than the device pushed). */
  readonly unbackedFeatureCounts?: number;
  readonly excluded: Omit<MonitoringReport['excluded'], 'inconsistentFeatureCounts'>;
}

type LoanState = 'bad' | 'good' | 'indeterminate' | 'immature' | 'no-outcome';

/** Adds whole calendar months to a `YYYY-MM-DD` day (the 31st rolls into the next month, as core banking does). */
export function addMonths(day: string, months: number): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
}

export function loanState(day: string, history: readonly OutcomeFact[] | undefined, months: number): LoanState {
  if (history === undefined || history.length === 0) {
    return 'no-outcome';
  }
  if (history.some((o) => BAD_STATUSES.includes(o.status))) {
    return 'bad';
  }
  const latest = history[history.length - 1] as OutcomeFact;
  if (latest.status === 'repaid') {
    return 'good';
  }
  if (latest.asOf < addMonths(day, months)) {
    return 'immature';
  }
  return INDETERMINATE_STATUSES.includes(latest.status) ? 'indeterminate' : 'good';
}

const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The hold-out decile a probability falls in: the first whose upper bound reaches it, else the last. */
function binOf(bins: BaselineFact['bins'], p: number): number {
  const at = bins.findIndex((b) => p <= b.upper);
  return at < 0 ? bins.length - 1 : at;
}

const levelOf = (psi: number, n: number): 'stable' | 'watch' | 'act' | 'too-few' =>
  n < MONITORING_THRESHOLDS.minScoresForPsi
    ? 'too-few'
    : psi > MONITORING_THRESHOLDS.psiAct
      ? 'act'
      : psi > MONITORING_THRESHOLDS.psiWatch
        ? 'watch'
        : 'stable';

/**
 * The coarse class of each baseline bin: the missing bin alone, then consecutive value bins merged until a class
 * holds at least `share` of the training rows; a last class short of it joins the one before.
 */
export function coarseClasses(proportions: readonly number[], share: number): number[] {
  const classes = proportions.map(() => 0);
  let current = 1;
  let filled = 0;
  for (let b = 1; b < proportions.length; b++) {
    if (filled >= share) {
      current += 1;
      filled = 0;
    }
    classes[b] = current;
    filled += proportions[b] ?? 0;
  }
  if (filled < share && current > 1) {
    for (let b = 1; b < classes.length; b++) {
      classes[b] = classes[b] === current ? current - 1 : (classes[b] ?? 0);
    }
  }
  return classes;
}

/**
 * Characteristic stability: per feature and month, the PSI of the counted scores against the training baseline over
 * its coarse classes. Counts with a bin the baseline does not have are another package's and are left out (counted).
 */
function featureStability(
  facts: readonly FeatureBinFact[],
  baseline: BaselineFact | undefined,
): { rows: FeatureStability[]; inconsistent: number } {
  const months = new Map<string, { scores: number; bins: Map<number, number> }>();
  let inconsistent = 0;
  for (const fact of facts) {
    for (const f of fact.features) {
      const proportions = baseline?.features.get(f.feature);
      // With a baseline, a feature it lacks or a bin past its last is another package's counts.
      const foreign =
        baseline !== undefined &&
        (proportions === undefined || proportions.length === 0 || f.bins.some(([bin]) => bin >= proportions.length));
      if (foreign) {
        inconsistent += 1;
        continue;
      }
      const key = `${f.feature}\u0000${fact.month}`;
      const month = months.get(key) ?? { scores: 0, bins: new Map<number, number>() };
      month.scores += fact.scores;
      for (const [bin, count] of f.bins) {
        month.bins.set(bin, (month.bins.get(bin) ?? 0) + count);
      }
      months.set(key, month);
    }
  }
  const rows = [...months.entries()]
    .map(([key, m]): FeatureStability => {
      const [feature = '', month = ''] = key.split('\u0000');
      const proportions = baseline?.features.get(feature);
      if (proportions === undefined) {
        return { feature, month, scores: m.scores, psi: null, level: 'no-baseline', classes: 0 };
      }
      const classes = coarseClasses(proportions, MONITORING_THRESHOLDS.featureClassShare);
      const size = Math.max(...classes) + 1;
      const expected = new Array<number>(size).fill(0);
      const observed = new Array<number>(size).fill(0);
      proportions.forEach((p, b) => {
        expected[classes[b] ?? 0] = (expected[classes[b] ?? 0] ?? 0) + p;
      });
      for (const [bin, count] of m.bins) {
        observed[classes[bin] ?? 0] = (observed[classes[bin] ?? 0] ?? 0) + count;
      }
      const psi = populationStabilityIndex(expected, observed);
      return { feature, month, scores: m.scores, psi, level: levelOf(psi, m.scores), classes: size };
    })
    .sort((a, b) => a.feature.localeCompare(b.feature) || a.month.localeCompare(b.month));
  return { rows, inconsistent };
}

function segment(
  branchId: string | null,
  scores: readonly ScoreFact[],
  decisions: readonly DecisionFact[],
  scoreById: ReadonlyMap<string, ScoreFact>,
  facts: MonitoringFacts,
  months: number,
  baseline: BaselineFact | undefined,
  featureBins: readonly FeatureBinFact[],
): MonitoringSegment {
  const approved = decisions.filter((d) => d.decision === 'approve');
  const overrides = decisions.filter((d) => d.override);
  const raised = overrides.filter((d) => d.decision === 'approve');

  const labels: number[] = [];
  const predicted: number[] = [];
  const bands = new Map<string, { matured: number; bad: number; sumP: number }>();
  let withOutcome = 0;
  let indeterminate = 0;
  for (const loan of approved) {
    const score = scoreById.get(loan.scoreId) as ScoreFact;
    const state = loanState(loan.day, facts.outcomes.get(loan.decisionId), months);
    withOutcome += state === 'no-outcome' ? 0 : 1;
    indeterminate += state === 'indeterminate' ? 1 : 0;
    if (state !== 'bad' && state !== 'good') {
      continue;
    }
    const y = state === 'bad' ? 1 : 0;
    labels.push(y);
    predicted.push(score.probabilityOfDefault);
    const band = bands.get(score.band) ?? { matured: 0, bad: 0, sumP: 0 };
    band.matured += 1;
    band.bad += y;
    band.sumP += score.probabilityOfDefault;
    bands.set(score.band, band);
  }
  const bad = labels.reduce((s, y) => s + y, 0);
  const area = finiteOrNull(auc(labels, predicted));

  const statuses = Object.fromEntries(LOAN_OUTCOME_STATUSES.map((s) => [s, 0])) as Record<LoanOutcomeStatus, number>;
  let overrideMatured = 0;
  let overrideBad = 0;
  for (const loan of raised) {
    const history = facts.outcomes.get(loan.decisionId);
    const latest = history?.[history.length - 1];
    if (latest !== undefined) {
      statuses[latest.status] += 1;
    }
    const state = loanState(loan.day, history, months);
    overrideMatured += state === 'bad' || state === 'good' ? 1 : 0;
    overrideBad += state === 'bad' ? 1 : 0;
  }

  const byMonth = new Map<string, number[]>();
  for (const score of scores) {
    const counts = byMonth.get(score.month) ?? new Array<number>(baseline?.bins.length ?? 0).fill(0);
    if (baseline !== undefined) {
      const at = binOf(baseline.bins, score.probabilityOfDefault);
      counts[at] = (counts[at] ?? 0) + 1;
    } else {
      counts.push(1);
    }
    byMonth.set(score.month, counts);
  }
  const stability = [...byMonth.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, counts]) => {
      const n = counts.reduce((s, c) => s + c, 0);
      if (baseline === undefined || baseline.bins.length === 0) {
        return { month, scores: n, psi: null, level: 'no-baseline' as const };
      }
      const psi = populationStabilityIndex(
        baseline.bins.map((b) => b.count),
        counts,
      );
      return { month, scores: n, psi, level: levelOf(psi, n) };
    });

  return {
    branchId,
    decisions: {
      total: decisions.length,
      approved: approved.length,
      declined: decisions.filter((d) => d.decision === 'decline').length,
      referred: decisions.filter((d) => d.decision === 'refer').length,
      policyReferrals: decisions.filter((d) => d.policyOutcome === 'refer').length,
      overrides: overrides.length,
      approvalRate: rate(approved.length, decisions.length),
      referralRate: rate(decisions.filter((d) => d.decision === 'refer').length, decisions.length),
      overrideRate: rate(overrides.length, decisions.length),
    },
    overrides: {
      raisedToApproval: raised.length,
      lowered: overrides.length - raised.length,
      statuses,
      matured: overrideMatured,
      bad: overrideBad,
      badRate: rate(overrideBad, overrideMatured),
      badRateInterval: wilsonInterval(overrideBad, overrideMatured),
    },
    performance: {
      loans: approved.length,
      withOutcome,
      matured: labels.length,
      bad,
      indeterminate,
      auc: area,
      aucInterval: area === null ? null : aucInterval(area, bad, labels.length - bad),
      ks: area === null ? null : ks(labels, predicted),
      brier: finiteOrNull(brier(labels, predicted)),
      expectedBadRate: rate(
        predicted.reduce((s, p) => s + p, 0),
        predicted.length,
      ),
      observedBadRate: rate(bad, labels.length),
    },
    calibration: [...bands.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([band, b]) => {
        const expected = b.sumP / b.matured;
        const interval = wilsonInterval(b.bad, b.matured);
        return {
          band,
          matured: b.matured,
          bad: b.bad,
          expectedBadRate: expected,
          observedBadRate: b.bad / b.matured,
          observedInterval: interval,
          miscalibrated:
            b.matured >= MONITORING_THRESHOLDS.minLoansForCalibration &&
            interval !== null &&
            (expected < interval.low || expected > interval.high),
        };
      }),
    stability,
    featureStability: featureStability(featureBins, baseline).rows,
  };
}

const realised = (labels: readonly number[], predicted: readonly number[]): ChallengerComparison['champion'] => {
  const bad = labels.reduce((sum, y) => sum + y, 0);
  const area = finiteOrNull(auc(labels, predicted));
  return {
    auc: area,
    aucInterval: area === null ? null : aucInterval(area, bad, labels.length - bad),
    brier: finiteOrNull(brier(labels, predicted)),
  };
};

/**
 * Each challenger scored beside `scores` (one model version's, all branches): agreement of the policy outcomes, the
 * score difference, and on the approved loans in force that matured, both models' realised figures on exactly the
 * same loans and the bad rate of those the challenger would have declined.
 */
function challengerComparisons(
  scores: readonly ScoreFact[],
  decisions: readonly DecisionFact[],
  facts: MonitoringFacts,
  months: number,
): ChallengerComparison[] {
  // One pass to group (load.ts believes only challengers a release carried, so the groups are few).
  const byVersion = new Map<string, Map<string, ScoreFact & { readonly challenger: ChallengerFact }>>();
  for (const s of scores) {
    if (s.challenger !== null) {
      const group = byVersion.get(s.challenger.modelVersion) ?? new Map();
      group.set(s.scoreId, { ...s, challenger: s.challenger });
      byVersion.set(s.challenger.modelVersion, group);
    }
  }
  const approved = decisions.filter((d) => d.decision === 'approve');
  return [...byVersion.keys()].sort().map((modelVersion) => {
    const paired =
      byVersion.get(modelVersion) ?? new Map<string, ScoreFact & { readonly challenger: ChallengerFact }>();
    const matrix = new Map<string, number>();
    let same = 0;
    let difference = 0;
    for (const s of paired.values()) {
      const key = `${s.outcome} ${s.challenger.outcome}`;
      matrix.set(key, (matrix.get(key) ?? 0) + 1);
      same += s.outcome === s.challenger.outcome ? 1 : 0;
      difference += s.challenger.score - s.score;
    }
    const labels: number[] = [];
    const champion: number[] = [];
    const challenger: number[] = [];
    let swapped = 0;
    let swappedBad = 0;
    for (const loan of approved) {
      const s = paired.get(loan.scoreId);
      if (s === undefined) {
        continue;
      }
      const state = loanState(loan.day, facts.outcomes.get(loan.decisionId), months);
      if (state !== 'bad' && state !== 'good') {
        continue;
      }
      const y = state === 'bad' ? 1 : 0;
      labels.push(y);
      champion.push(s.probabilityOfDefault);
      challenger.push(s.challenger.probabilityOfDefault);
      if (s.challenger.outcome === 'decline') {
        swapped += 1;
        swappedBad += y;
      }
    }
    return {
      modelVersion,
      scores: paired.size,
      agreement: rate(same, paired.size),
      outcomes: POLICY_OUTCOMES.flatMap((a) =>
        POLICY_OUTCOMES.map((b) => ({ champion: a, challenger: b, count: matrix.get(`${a} ${b}`) ?? 0 })),
      ),
      meanScoreDifference: paired.size > 0 ? difference / paired.size : null,
      matured: labels.length,
      bad: labels.reduce((sum, y) => sum + y, 0),
      champion: realised(labels, champion),
      challenger: realised(labels, challenger),
      swappedOut: { loans: swapped, bad: swappedBad, badRate: rate(swappedBad, swapped) },
    };
  });
}

function flagsOf(model: ModelMonitoring): MonitoringFlag[] {
  const flags: MonitoringFlag[] = [];
  for (const s of model.segments) {
    const where = s.branchId === null ? 'all branches' : `branch ${s.branchId}`;
    for (const m of s.stability) {
      if (m.level === 'act' && m.psi !== null) {
        flags.push({
          code: 'psi-act',
          modelVersion: model.modelVersion,
          branchId: s.branchId,
          month: m.month,
          band: null,
          feature: null,
          value: m.psi,
          threshold: MONITORING_THRESHOLDS.psiAct,
          message: `Score PSI ${m.psi.toFixed(3)} in ${m.month} (${where}, ${m.scores} scores) is above ${MONITORING_THRESHOLDS.psiAct}.`,
        });
      }
    }
    for (const f of s.featureStability) {
      if (f.level === 'act' && f.psi !== null) {
        flags.push({
          code: 'feature-psi-act',
          modelVersion: model.modelVersion,
          branchId: s.branchId,
          month: f.month,
          band: null,
          feature: f.feature,
          value: f.psi,
          threshold: MONITORING_THRESHOLDS.psiAct,
          message: `${f.feature}: PSI ${f.psi.toFixed(3)} in ${f.month} (${where}, ${f.scores} scores) is above ${MONITORING_THRESHOLDS.psiAct}.`,
        });
      }
    }
    const interval = s.performance.aucInterval;
    if (model.baseline !== null && interval !== null && interval.high < model.baseline.holdoutAuc) {
      flags.push({
        code: 'auc-below-holdout',
        modelVersion: model.modelVersion,
        branchId: s.branchId,
        month: null,
        band: null,
        feature: null,
        value: s.performance.auc ?? 0,
        threshold: model.baseline.holdoutAuc,
        message: `Realised AUC ${(s.performance.auc ?? 0).toFixed(3)} (95 % up to ${interval.high.toFixed(3)}, ${s.performance.matured} matured loans, ${where}) is below the hold-out AUC ${model.baseline.holdoutAuc.toFixed(3)}.`,
      });
    }
    for (const band of s.calibration) {
      if (band.miscalibrated && band.expectedBadRate !== null && band.observedBadRate !== null) {
        flags.push({
          code: 'miscalibrated-band',
          modelVersion: model.modelVersion,
          branchId: s.branchId,
          month: null,
          band: band.band,
          feature: null,
          value: band.observedBadRate,
          threshold: band.expectedBadRate,
          message: `Band ${band.band} (${where}): ${band.bad} of ${band.matured} matured loans went bad (${(100 * band.observedBadRate).toFixed(1)} %), the model expected ${(100 * band.expectedBadRate).toFixed(1)} %.`,
        });
      }
    }
  }
  return flags;
}

export function monitoringReport(facts: MonitoringFacts, months: number, now: Date): MonitoringReport {
  const scoreById = new Map(facts.scores.map((s) => [s.scoreId, s]));
  // One pass each to group by model version: the versions come from the branches' attachments.
  const scoresOf = new Map<string, ScoreFact[]>();
  for (const s of facts.scores) {
    const list = scoresOf.get(s.modelVersion) ?? [];
    list.push(s);
    scoresOf.set(s.modelVersion, list);
  }
  const decisionsOf = new Map<string, DecisionFact[]>();
  for (const d of facts.decisions) {
    const version = scoreById.get(d.scoreId)?.modelVersion;
    if (version !== undefined) {
      const list = decisionsOf.get(version) ?? [];
      list.push(d);
      decisionsOf.set(version, list);
    }
  }
  const versions = [...scoresOf.keys()].sort();
  let inconsistentFeatureCounts = 0;
  const models: ModelMonitoring[] = versions.map((modelVersion) => {
    const scores = scoresOf.get(modelVersion) ?? [];
    const decisions = decisionsOf.get(modelVersion) ?? [];
    const baseline = facts.baselines.get(modelVersion);
    const counted = facts.featureBins.filter((f) => f.modelVersion === modelVersion);
    inconsistentFeatureCounts += featureStability(counted, baseline).inconsistent;
    const branches = [
      ...new Set([
        ...scores.map((s) => s.branchId),
        ...decisions.map((d) => d.branchId),
        ...counted.map((f) => f.branchId),
      ]),
    ].sort();
    return {
      modelVersion,
      baseline:
        baseline === undefined
          ? null
          : { release: baseline.release, holdoutAuc: baseline.holdoutAuc, holdoutRows: baseline.holdoutRows },
      segments: [
        segment(null, scores, decisions, scoreById, facts, months, baseline, counted),
        ...branches.map((b) =>
          segment(
            b,
            scores.filter((s) => s.branchId === b),
            decisions.filter((d) => d.branchId === b),
            scoreById,
            facts,
            months,
            baseline,
            counted.filter((f) => f.branchId === b),
          ),
        ),
      ],
      challengers: challengerComparisons(scores, decisions, facts, months),
    };
  });
  return {
    generatedAt: now.toISOString(),
    performanceMonths: months,
    models,
    flags: models.flatMap(flagsOf),
    excluded: {
      ...facts.excluded,
      inconsistentFeatureCounts: inconsistentFeatureCounts + (facts.unbackedFeatureCounts ?? 0),
    },
  };
}
