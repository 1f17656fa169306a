/**
 * Sync with the central API (this workstation's enrolment, status, sync now, model rollback) and the admin sync
 * console (the bank-wide picture, fetched from the central admin API by the core: the renderer never talks to the
 * network, and the admin API token lives only in the core's memory for the signed-in admin's session).
 */
import { z } from 'zod';
import { ChallengerPromotionSchema, ModelReleaseSummarySchema, ModelWithdrawalInputSchema } from '../sync/fleet';
import { CONSENT_PURPOSES } from '../domain/consent';
import {
  BranchActivitySchema,
  ChainIssueSchema,
  CreateEnrolmentCodeSchema,
  DeviceSummarySchema,
  EnrolmentCodeCreatedSchema,
  FailureSchema,
} from '../sync/admin';
import {
  ADMIN_PASSWORD_MAX,
  ADMIN_ROLES,
  AdminPasswordSchema,
  AdminUsernameSchema,
  TotpCodeSchema,
} from '../sync/admin-auth';
import { DeviceIdSchema, PseudonymSchema, VersionSchema } from '../sync/primitives';
import { ProposalDecisionSchema, ProposalViewSchema } from '../sync/proposals';
import { ServerAuditEntrySchema } from '../sync/server-audit';
import { SignedPolicyReleaseSchema } from '../sync/signed-release';
import { AppReleaseProposalSchema, AppRolloutProposalSchema, AppUpdateOfferSchema } from '../sync/app-updates';
import { UPDATE_CHANNELS } from '../sync/release-bodies';
import { DEFAULT_PERFORMANCE_MONTHS, MonitoringReportSchema } from '../sync/monitoring';
import { OUTCOME_BODY_LIMIT, OutcomeImportAnswerSchema } from '../sync/outcomes';
import { Empty, IsoTimestamp } from './common';
import { defineChannels } from './define';
import { serverAddressProblem } from '../rules/server-address';

/** A folder on this workstation, by its full path. */
const PackageDirSchema = z
  .string()
  .trim()
  .min(1)
  .max(1024)
  .refine((path) => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path), 'Give the full path of the folder.');

/** The rule and its messages: shared/rules/server-address.ts (the console's forms use the same function). */
export const ServerUrlSchema = z
  .string()
  .trim()
  .superRefine((url, ctx) => {
    const problem = serverAddressProblem(url);
    if (problem !== null) {
      ctx.addIssue({ code: 'custom', message: problem });
    }
  });

export const SyncStatusView = z.strictObject({
  enrolled: z.boolean(),
  serverUrl: z.string().nullable(),
  /** The central server a bank build is bound to (its baked trust file); null in development. */
  trustedServerUrl: z.string().nullable(),
  branchId: z.string().nullable(),
  deviceId: z.string(),
  revoked: z.boolean(),
  state: z.enum(['not-configured', 'idle', 'syncing', 'error']),
  detail: z.string(),
  headSeq: z.number().int().nonnegative(),
  ackedSeq: z.number().int().nonnegative(),
  backlog: z.number().int().nonnegative(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.strictObject({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
  nextRunInMs: z.number().int().nonnegative().nullable(),
  countersigned: z
    .strictObject({ seq: z.number().int(), headHash: z.string(), countersignedAt: z.string() })
    .nullable(),
  model: z.strictObject({
    current: z.string().nullable(),
    previous: z.string().nullable(),
    lastRejected: z.strictObject({ version: z.string(), reason: z.string() }).nullable(),
  }),
  policy: z.strictObject({ current: z.string().nullable() }),
  lastPullRejected: z.strictObject({ itemId: z.number().int(), kind: z.string(), reason: z.string() }).nullable(),
  /** Restored from a recovery bundle and not yet re-enrolled: sync waits (it would fork the chain). */
  recoveryPending: z
    .strictObject({ bundleCreatedAt: z.string(), bundleHeadSeq: z.number().int().nonnegative() })
    .nullable(),
});
export type SyncStatusView = z.infer<typeof SyncStatusView>;

export const syncChannels = defineChannels('sync', {
  'sync:status': {
    input: Empty,
    output: SyncStatusView,
    access: 'signedIn',
    summary: "This workstation's enrolment, backlog, last sync, countersigned checkpoint and installed releases",
    polled: true,
  },
  'sync:enrol': {
    input: z.strictObject({
      serverUrl: ServerUrlSchema,
      code: z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/, 'An enrolment code looks like XXXXX-XXXXX-XXXXX-XXXXX.'),
    }),
    output: SyncStatusView,
    access: ['admin'],
    summary: 'Enrols this workstation with the central API using a one-time code, then starts background sync',
  },
  'sync:now': {
    input: Empty,
    output: SyncStatusView,
    access: ['admin', 'supervisor'],
    summary: 'Pushes the audit chain and pulls the feed now; the answer carries the outcome',
  },
  'sync:rollbackModel': {
    input: Empty,
    output: SyncStatusView,
    access: ['admin'],
    summary: 'Makes the previously installed model release current again and reloads it',
  },
});

export const ConsoleAdmin = z.strictObject({ username: z.string(), roles: z.array(z.enum(ADMIN_ROLES)) });

export const ConsoleOverview = z.strictObject({
  serverUrl: z.string(),
  fetchedAt: IsoTimestamp,
  admin: z.strictObject({ adminId: z.string(), username: z.string(), roles: z.array(z.enum(ADMIN_ROLES)) }),
  devices: z.array(DeviceSummarySchema),
  issues: z.array(ChainIssueSchema),
  failures: z.array(FailureSchema),
  activity: z.strictObject({ since: z.string(), branches: z.array(BranchActivitySchema) }),
  /** Four-eyes proposals waiting for a second administrator. */
  proposals: z.array(ProposalViewSchema),
  /** Published model releases, newest first, with their fleet-wide withdrawal if any. */
  modelReleases: z.array(ModelReleaseSummarySchema),
});
export type ConsoleOverview = z.infer<typeof ConsoleOverview>;

export const ConsoleConnection = z.strictObject({
  connected: z.boolean(),
  serverUrl: z.string().nullable(),
  /** The central administrator signed in, when connected. */
  admin: ConsoleAdmin.nullable(),
});
export type ConsoleConnection = z.infer<typeof ConsoleConnection>;

export const ConsoleSignIn = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('connected'), connection: ConsoleConnection }),
  z.strictObject({
    status: z.literal('totp-enrolment'),
    /** Base32 secret and otpauth:// URI for the authenticator app; shown once. */
    secret: z.string(),
    otpauthUri: z.string(),
    expiresAt: z.string(),
  }),
]);
export type ConsoleSignIn = z.infer<typeof ConsoleSignIn>;

/** What each update channel offers now (GET /v1/admin/app-releases): the release in force and its rollout, or null. */
export const ConsoleAppReleases = z.strictObject({
  channels: z.array(z.strictObject({ channel: z.enum(UPDATE_CHANNELS), offer: AppUpdateOfferSchema.nullable() })),
});
export type ConsoleAppReleases = z.infer<typeof ConsoleAppReleases>;

const FeedItem = z.strictObject({ feedItemId: z.number().int() });
const Proposal = z.strictObject({ proposal: ProposalViewSchema });
const CONSOLE_PASSWORD = z.string().min(1, 'Enter the password.').max(ADMIN_PASSWORD_MAX);

export const consoleChannels = defineChannels('console', {
  'console:connection': {
    input: Empty,
    output: ConsoleConnection,
    access: ['admin'],
    summary: 'Whether this admin session is signed in to the central API, as whom, and to which server',
  },
  'console:signIn': {
    input: z.strictObject({
      username: AdminUsernameSchema,
      password: CONSOLE_PASSWORD,
      /** The authenticator code; omitted at the very first sign-in (the answer then starts TOTP enrolment). */
      totp: z.union([TotpCodeSchema, z.literal('')]).optional(),
      /** Omitted: the server this workstation is enrolled with. */
      serverUrl: ServerUrlSchema.optional(),
    }),
    output: ConsoleSignIn,
    access: ['admin'],
    summary: 'Signs in to the central API as a named administrator (password and TOTP); the session stays in memory',
  },
  'console:enrolTotp': {
    input: z.strictObject({ totp: TotpCodeSchema, newPassword: AdminPasswordSchema }),
    output: ConsoleConnection,
    access: ['admin'],
    summary: "First central sign-in: confirms the authenticator app's first code and replaces the one-time password",
  },
  'console:disconnect': {
    input: Empty,
    output: ConsoleConnection,
    access: ['admin'],
    summary: 'Signs out of the central API and forgets the session',
  },
  'console:overview': {
    input: Empty,
    output: ConsoleOverview,
    access: ['admin'],
    summary: 'Every device with last contact, backlog, chain status and countersignature; issues, failures, activity',
    polled: true,
  },
  'console:proposals': {
    input: z.strictObject({ status: z.enum(['pending', 'approved', 'rejected']).optional() }),
    output: z.array(ProposalViewSchema),
    access: ['admin'],
    summary: 'Four-eyes proposals with their diffs',
  },
  'console:decide': {
    input: z.strictObject({
      proposalId: z.number().int().min(1),
      decision: z.enum(['approve', 'reject']),
      reason: ProposalDecisionSchema.shape.reason,
    }),
    output: ProposalViewSchema,
    access: ['admin'],
    summary: "Approves or rejects another administrator's proposal, with a reason",
  },
  'console:serverAudit': {
    input: z.strictObject({
      before: z.number().int().min(1).optional(),
      action: z
        .string()
        .regex(/^[a-z_.]{0,64}$/)
        .optional(),
    }),
    output: z.array(ServerAuditEntrySchema),
    access: ['admin'],
    summary: "The central API's own audit chain, newest first, 50 a page",
  },
  'console:createEnrolmentCode': {
    input: CreateEnrolmentCodeSchema,
    output: EnrolmentCodeCreatedSchema,
    access: ['admin'],
    summary: 'Creates a one-time enrolment code for a branch (shown once)',
  },
  'console:revokeDevice': {
    input: z.strictObject({ deviceId: DeviceIdSchema }),
    output: Proposal,
    access: ['admin'],
    summary: 'Proposes revoking a device; a second security administrator approves it',
  },
  'console:publishPolicy': {
    /** A policy release signed offline with the bank's release key (`npm run release:sign`). */
    input: SignedPolicyReleaseSchema,
    output: Proposal,
    access: ['admin'],
    summary: 'Verifies a bank-signed policy release and proposes it; a second release manager approves it',
  },
  'console:publishModel': {
    input: z.strictObject({
      version: VersionSchema,
      /** A signed model package folder on this workstation (absolute path); verified here before it is sent. */
      packageDir: PackageDirSchema,
      /** Optional: a second signed package scored in shadow beside it (champion/challenger), verified here too. */
      challengerDir: PackageDirSchema.optional(),
    }),
    output: z.strictObject({ proposal: ProposalViewSchema, modelHash: z.string() }),
    access: ['admin'],
    summary: 'Verifies a signed model package and proposes it as a release; a second release manager approves it',
  },
  'console:monitoring': {
    input: z.strictObject({
      /** Months after the decision at which a loan still current counts as good (docs/monitoring.md). */
      performanceMonths: z.number().int().min(1).max(60).default(DEFAULT_PERFORMANCE_MONTHS),
    }),
    output: MonitoringReportSchema,
    access: ['admin'],
    summary:
      'Model monitoring from the central API: realised AUC and calibration on matured loans, rates, override outcomes and score stability, per model version and branch',
  },
  'console:importOutcomes': {
    input: z.strictObject({
      /** The core-banking file's text (decision_id,status,as_of); the central API validates every row. */
      csv: z.string().min(1, 'Choose a file with at least a header row.').max(OUTCOME_BODY_LIMIT),
    }),
    output: OutcomeImportAnswerSchema,
    access: ['admin'],
    summary:
      'Imports a core-banking file of loan outcomes at the central API: all rows or none, each refused row reported by line',
  },
  'console:appReleases': {
    input: Empty,
    output: ConsoleAppReleases,
    access: ['admin'],
    summary: 'The app release each update channel offers now, with its rollout percentage',
  },
  'console:publishAppRelease': {
    /** An app release signed offline with the bank's release key (`npm run release:app`), and its first rollout. */
    input: AppReleaseProposalSchema,
    output: Proposal,
    access: ['admin'],
    summary: 'Verifies a bank-signed app release and proposes it for its channel; a second release manager approves it',
  },
  'console:changeRollout': {
    input: AppRolloutProposalSchema,
    output: Proposal,
    access: ['admin'],
    summary: "Proposes a new rollout percentage for a channel's app release; a second release manager approves it",
  },
  'console:requestErasure': {
    input: z.strictObject({ applicantId: PseudonymSchema }),
    output: Proposal,
    access: ['admin'],
    summary: 'Proposes erasing an applicant at every branch; a second privacy officer approves it',
  },
  'console:promoteChallenger': {
    input: ChallengerPromotionSchema,
    output: Proposal,
    access: ['admin'],
    summary:
      'Proposes a model release whose champion is the challenger another release carries; a second release manager approves it',
  },
  'console:withdrawModel': {
    input: ModelWithdrawalInputSchema,
    output: Proposal,
    access: ['admin'],
    summary: 'Proposes withdrawing a model release from every branch; a second release manager approves it',
  },
  'console:requestWithdrawal': {
    input: z.strictObject({ applicantId: PseudonymSchema, purpose: z.enum(CONSENT_PURPOSES) }),
    output: FeedItem,
    access: ['admin'],
    summary: "Passes an applicant's consent withdrawal to every branch",
  },
});
