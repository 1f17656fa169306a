/**
 * Sync with the central API (this workstation's enrolment, status, sync now, model rollback) and the admin sync
 * console (the bank-wide picture, fetched from the central admin API by the core: the renderer never talks to the
 * network, and the admin API token lives only in the core's memory for the signed-in admin's session).
 */
import { z } from 'zod';
import { CONSENT_PURPOSES } from '../domain/consent';
import {
  BranchActivitySchema,
  ChainIssueSchema,
  CreateEnrolmentCodeSchema,
  DeviceSummarySchema,
  EnrolmentCodeCreatedSchema,
  FailureSchema,
} from '../sync/admin';
import { DeviceIdSchema, PseudonymSchema, VersionSchema } from '../sync/primitives';
import { PolicyReleaseSchema } from '../sync/pull';
import { Empty, IsoTimestamp } from './common';
import { defineChannels } from './define';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * https, or http to this machine only (development, the demo, tests): tokens and personal data never cross a network
 * in clear. No credentials in the URL: the admin token and device tokens travel in headers.
 */
export const ServerUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(200)
  .refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url), 'The address must not contain a user name or password.')
  .refine((url) => {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || LOOPBACK.has(parsed.hostname);
  }, 'Use https:// (plain http only to this machine, 127.0.0.1 or localhost).');

export const SyncStatusView = z.strictObject({
  enrolled: z.boolean(),
  serverUrl: z.string().nullable(),
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

export const ConsoleOverview = z.strictObject({
  serverUrl: z.string(),
  fetchedAt: IsoTimestamp,
  devices: z.array(DeviceSummarySchema),
  issues: z.array(ChainIssueSchema),
  failures: z.array(FailureSchema),
  activity: z.strictObject({ since: z.string(), branches: z.array(BranchActivitySchema) }),
});
export type ConsoleOverview = z.infer<typeof ConsoleOverview>;

export const ConsoleConnection = z.strictObject({ connected: z.boolean(), serverUrl: z.string().nullable() });
export type ConsoleConnection = z.infer<typeof ConsoleConnection>;

const FeedItem = z.strictObject({ feedItemId: z.number().int() });

export const consoleChannels = defineChannels('console', {
  'console:connection': {
    input: Empty,
    output: ConsoleConnection,
    access: ['admin'],
    summary: 'Whether this admin session holds an admin API token, and for which server',
  },
  'console:connect': {
    input: z.strictObject({
      adminToken: z.string().trim().min(32).max(256),
      /** Omitted: the server this workstation is enrolled with. */
      serverUrl: ServerUrlSchema.optional(),
    }),
    output: ConsoleConnection,
    access: ['admin'],
    summary: 'Checks an admin API token against the central API and keeps it in memory for this session only',
  },
  'console:disconnect': {
    input: Empty,
    output: ConsoleConnection,
    access: ['admin'],
    summary: 'Forgets the admin API token',
  },
  'console:overview': {
    input: Empty,
    output: ConsoleOverview,
    access: ['admin'],
    summary: 'Every device with last contact, backlog, chain status and countersignature; issues, failures, activity',
    polled: true,
  },
  'console:createEnrolmentCode': {
    input: CreateEnrolmentCodeSchema,
    output: EnrolmentCodeCreatedSchema,
    access: ['admin'],
    summary: 'Creates a one-time enrolment code for a branch (shown once)',
  },
  'console:revokeDevice': {
    input: z.strictObject({ deviceId: DeviceIdSchema }),
    output: z.strictObject({ deviceId: z.string(), revokedAt: z.string() }),
    access: ['admin'],
    summary: 'Revokes a device: the central API refuses it from its next request',
  },
  'console:publishPolicy': {
    input: PolicyReleaseSchema,
    output: z.strictObject({ feedItemId: z.number().int(), version: z.string() }),
    access: ['admin'],
    summary: 'Publishes a policy release (cut-offs, reason texts) to every branch',
  },
  'console:publishModel': {
    input: z.strictObject({
      version: VersionSchema,
      /** A signed model package folder on this workstation (absolute path); verified here before it is sent. */
      packageDir: z
        .string()
        .trim()
        .min(1)
        .max(1024)
        .refine((path) => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path), 'Give the full path of the folder.'),
    }),
    output: z.strictObject({ feedItemId: z.number().int(), version: z.string(), modelHash: z.string() }),
    access: ['admin'],
    summary: 'Verifies a signed model package and publishes it as a release to every branch',
  },
  'console:requestErasure': {
    input: z.strictObject({ applicantId: PseudonymSchema }),
    output: FeedItem,
    access: ['admin'],
    summary: 'Asks every branch to erase an applicant (and removes the central copy of their personal data)',
  },
  'console:requestWithdrawal': {
    input: z.strictObject({ applicantId: PseudonymSchema, purpose: z.enum(CONSENT_PURPOSES) }),
    output: FeedItem,
    access: ['admin'],
    summary: "Passes an applicant's consent withdrawal to every branch",
  },
});
