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
});
export type DeviceReport = z.infer<typeof DeviceReportSchema>;

export const DeviceReportAnswerSchema = z.strictObject({ receivedAt: IsoTimeSchema });

/** A device's latest report as the console shows it. */
export const DeviceHealthSchema = DeviceReportSchema.extend({ receivedAt: IsoTimeSchema });
export type DeviceHealth = z.infer<typeof DeviceHealthSchema>;

/** A published model release and whether it was withdrawn. */
export const ModelReleaseSummarySchema = z.strictObject({
  version: VersionSchema,
  publishedAt: IsoTimeSchema,
  withdrawnAt: IsoTimeSchema.nullable(),
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

/** The feed item: every workstation using `version` falls back to its previous release, and never installs it again. */
export const ModelWithdrawalSchema = z.strictObject({ version: VersionSchema });
export type ModelWithdrawal = z.infer<typeof ModelWithdrawalSchema>;
