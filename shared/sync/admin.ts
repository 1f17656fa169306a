/** Admin endpoints behind the sync console (docs/server.md): requests the console sends and what it gets back. */
import { z } from 'zod';
import { DeviceHealthSchema } from './fleet';
import { CONSENT_PURPOSES } from '../domain/consent';
import { BranchIdSchema, DeviceIdSchema, HashSchema, IsoTimeSchema, PseudonymSchema } from './primitives';
import { CountersignatureSchema } from './push';

export const CreateEnrolmentCodeSchema = z.strictObject({
  branchId: BranchIdSchema,
  /** Minutes until the code expires (default 60, at most 7 days). */
  ttlMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
});
export const EnrolmentCodeCreatedSchema = z.strictObject({
  code: z.string(),
  branchId: BranchIdSchema,
  expiresAt: IsoTimeSchema,
});

export const CHAIN_ISSUE_KINDS = ['gap', 'fork', 'rollback', 'truncation', 'bad_signature'] as const;
export type ChainIssueKind = (typeof CHAIN_ISSUE_KINDS)[number];

export const ChainIssueSchema = z.strictObject({
  id: z.number().int(),
  deviceId: DeviceIdSchema,
  kind: z.enum(CHAIN_ISSUE_KINDS),
  seq: z.number().int().min(0),
  detail: z.string(),
  at: IsoTimeSchema,
});
export type ChainIssue = z.infer<typeof ChainIssueSchema>;

export const DeviceSummarySchema = z.strictObject({
  deviceId: DeviceIdSchema,
  branchId: BranchIdSchema,
  status: z.enum(['active', 'revoked']),
  enrolledAt: IsoTimeSchema,
  revokedAt: IsoTimeSchema.nullable(),
  lastContactAt: IsoTimeSchema.nullable(),
  ackedSeq: z.number().int().min(0),
  ackedHash: HashSchema,
  /** Head the device last reported; backlog = reportedHeadSeq − ackedSeq. */
  reportedHeadSeq: z.number().int().min(0),
  backlog: z.number().int().min(0),
  chainStatus: z.enum(['ok', 'flagged']),
  openIssues: z.number().int().min(0),
  lastError: z.strictObject({ code: z.string(), at: IsoTimeSchema }).nullable(),
  lastCountersigned: CountersignatureSchema.nullable(),
  /** What the device said about itself after its latest sync (fleet view); null before its first report. */
  health: DeviceHealthSchema.nullable(),
});
export type DeviceSummary = z.infer<typeof DeviceSummarySchema>;

export const FailureSchema = z.strictObject({
  id: z.number().int(),
  deviceId: DeviceIdSchema.nullable(),
  route: z.string(),
  code: z.string(),
  detail: z.string(),
  at: IsoTimeSchema,
});
export type Failure = z.infer<typeof FailureSchema>;

export const ErasureInputSchema = z.strictObject({ applicantId: PseudonymSchema });
export const WithdrawalInputSchema = z.strictObject({
  applicantId: PseudonymSchema,
  purpose: z.enum(CONSENT_PURPOSES),
});

export const ActivityQuerySchema = z.strictObject({
  /** Start of the window (default: 24 hours ago). */
  since: IsoTimeSchema.optional(),
});
export const BranchActivitySchema = z.strictObject({
  branchId: BranchIdSchema,
  devices: z.number().int(),
  /** Stored audit entries in the window by action family (`consent`, `applicant`, `auth`, …). */
  counts: z.record(z.string(), z.number().int()),
});
export type BranchActivity = z.infer<typeof BranchActivitySchema>;
