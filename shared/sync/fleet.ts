/**
 * The fleet view (docs/sync-protocol.md §9): what each workstation reports about itself after every sync round, and
 * the fleet-wide withdrawal of a model release. Versions, hashes, sizes and counts only: nothing about applicants.
 */
import { z } from 'zod';
import { DiagnosticsSummary } from './diagnostics';
import { HashSchema, IsoTimeSchema, VersionSchema } from './primitives';
import { SemverSchema, UPDATE_CHANNELS } from './release-bodies';

const Bytes = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** Ten minutes: no single score takes longer, so a larger figure is a broken clock or a forged report. */
const Millis = z.number().finite().nonnegative().max(600_000);

/**
 * Scoring performance since the last report the server stored (the workstation resets these figures then). Optional:
 * workstations built before it do not send it, and the strict report must still accept theirs.
 */
export const DevicePerformanceSchema = z.strictObject({
  scoresSinceSync: Count,
  /** Latency of an applicant's score; null when nothing was scored since the last stored report. */
  scoreP50Ms: Millis.nullable(),
  scoreP95Ms: Millis.nullable(),
  /** Model packages refused or failing to load since the last stored report. */
  modelLoadFailures: Count,
});
export type DevicePerformance = z.infer<typeof DevicePerformanceSchema>;

/**
 * Months of feature bin counts a workstation reports: the thirteen closed months before the current one. The month in
 * progress is never sent: as running totals, two reports a sync round apart would differ by one applicant's bins.
 */
export const FEATURE_BIN_MONTHS = 13;

const monthOf = (date: Date, back: number): string =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - back, 1)).toISOString().slice(0, 7);

/** The `YYYY-MM` months (UTC) a report made at `now` may carry: `first` to `last`, both included. */
export function featureBinWindow(now: Date): { readonly first: string; readonly last: string } {
  return { first: monthOf(now, FEATURE_BIN_MONTHS), last: monthOf(now, 1) };
}
/**
 * A model version's month is reported only from this many scores on (small-cell suppression): a histogram over a
 * handful of applicants says too much about each of them and nothing about the population. The centre's PSI needs
 * more than this anyway before it flags (MONITORING_THRESHOLDS.minScoresForPsi).
 */
export const FEATURE_BINS_MIN_SCORES = 20;
/** Model version–months in one report: the window's months for up to four model versions used in it. */
export const MAX_FEATURE_BIN_MONTHS = FEATURE_BIN_MONTHS * 4;
/** Most bins a feature can have: the trainer's 255 value bins, the missing bin and the open top bin. */
const MAX_FEATURE_BINS = 258;
/** What the feature bins of one report may weigh as JSON; the workstation drops its oldest months to stay under. */
export const FEATURE_BINS_BUDGET_BYTES = 192 * 1024;
/** The report route's body limit: the budget and the rest of the report (inflated; the wire carries it gzipped). */
export const DEVICE_REPORT_BODY_LIMIT = 256 * 1024;

/**
 * One feature's scores per bin of its drift baseline (bin 0: missing), sparse: [bin, count] pairs in ascending bin
 * order, bins with no score left out.
 */
export const FeatureBinCountsSchema = z
  .strictObject({
    feature: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/),
    bins: z
      .array(
        z.tuple([
          z
            .number()
            .int()
            .min(0)
            .max(MAX_FEATURE_BINS - 1),
          z.number().int().positive().max(1e9),
        ]),
      )
      .min(1)
      .max(MAX_FEATURE_BINS),
  })
  .refine((f) => f.bins.every(([bin], i) => i === 0 || bin > (f.bins[i - 1]?.[0] ?? -1)), {
    message: 'Bins must be in ascending order, each once.',
  });
export type FeatureBinCounts = z.infer<typeof FeatureBinCountsSchema>;

/**
 * Characteristic stability input (docs/monitoring.md): for one model version and UTC month, the workstation's stored
 * scores per bin of each feature. Cumulative: the centre keeps the latest figures a device sent for each month, so a
 * lost report costs nothing. Anonymous counts; every feature's bins add up to the month's scores.
 */
export const FeatureBinMonthSchema = z
  .strictObject({
    modelVersion: VersionSchema,
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
    scores: z.number().int().min(FEATURE_BINS_MIN_SCORES).max(1e9),
    features: z.array(FeatureBinCountsSchema).min(1).max(200),
  })
  .refine((m) => m.features.every((f) => f.bins.reduce((sum, [, count]) => sum + count, 0) === m.scores), {
    message: "Every feature's bins must add up to the month's scores.",
  })
  .refine((m) => new Set(m.features.map((f) => f.feature)).size === m.features.length, {
    message: 'Each feature once per month.',
  });
export type FeatureBinMonth = z.infer<typeof FeatureBinMonthSchema>;

export const DeviceReportSchema = z.strictObject({
  appVersion: SemverSchema,
  /** The update channel a packaged build follows; null in a development build (it never updates itself). */
  channel: z.enum(UPDATE_CHANNELS).nullable(),
  model: z.strictObject({
    /** The installed central release in use; null: the package shipped with the app. */
    release: VersionSchema.nullable(),
    /** The model package's own version and SHA-256 (manifest), or null when no model is loaded. */
    modelVersion: VersionSchema.nullable(),
    modelHash: HashSchema.nullable(),
    state: z.enum(['not-installed', 'verified', 'refused']),
  }),
  /** The central policy release in force; null: the model's own cut-offs. */
  policyVersion: VersionSchema.nullable(),
  databaseBytes: Bytes,
  /** Free space on the data folder's disk; null where the platform cannot say. */
  freeDiskBytes: Bytes.nullable(),
  diagnostics: DiagnosticsSummary.nullable(),
  performance: DevicePerformanceSchema.optional(),
  /**
   * Feature bin counts of the last FEATURE_BIN_MONTHS months (optional: older workstations do not send them). The
   * centre stores them apart from the report (feature_bin_counts), so the fleet view's body stays small.
   */
  featureBins: z
    .array(FeatureBinMonthSchema)
    .max(MAX_FEATURE_BIN_MONTHS)
    .refine((ms) => new Set(ms.map((m) => `${m.modelVersion} ${m.month}`)).size === ms.length, {
      message: 'Each model version and month once.',
    })
    .optional(),
});
export type DeviceReport = z.infer<typeof DeviceReportSchema>;

export const DeviceReportAnswerSchema = z.strictObject({ receivedAt: IsoTimeSchema });

/** A device's latest report as the console shows it. */
export const DeviceHealthSchema = DeviceReportSchema.omit({ featureBins: true }).extend({ receivedAt: IsoTimeSchema });
export type DeviceHealth = z.infer<typeof DeviceHealthSchema>;

/** A published model release and whether it was withdrawn. */
export const ModelReleaseSummarySchema = z.strictObject({
  version: VersionSchema,
  publishedAt: IsoTimeSchema,
  withdrawnAt: IsoTimeSchema.nullable(),
  /** The model version of the challenger it carries in shadow; null: none (or unreadable). */
  challengerVersion: VersionSchema.nullable(),
});
export type ModelReleaseSummary = z.infer<typeof ModelReleaseSummarySchema>;

/**
 * Proposing a withdrawal (release manager; a second one approves). The reason stays in the proposal and the server
 * audit chain; only the version goes to the branches.
 */
export const ModelWithdrawalInputSchema = z.strictObject({
  version: VersionSchema,
  reason: z.string().trim().min(3, 'Give a reason of at least 3 characters.').max(500),
});
export type ModelWithdrawalInput = z.infer<typeof ModelWithdrawalInputSchema>;

/**
 * Promoting a challenger (release manager; a second one approves): proposes a model release `version` whose champion
 * is the challenger package that release `from` carries, bytes unchanged (the bank's signature on them included).
 */
export const ChallengerPromotionSchema = z.strictObject({ version: VersionSchema, from: VersionSchema });
export type ChallengerPromotion = z.infer<typeof ChallengerPromotionSchema>;

/** The feed item: every workstation using `version` falls back to its previous release, and never installs it again. */
export const ModelWithdrawalSchema = z.strictObject({ version: VersionSchema });
export type ModelWithdrawal = z.infer<typeof ModelWithdrawalSchema>;
