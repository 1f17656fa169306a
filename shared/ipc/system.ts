import { z } from 'zod';
import { IDLE_TIMEOUT_RULE, numberFieldSchema } from '../rules/number-field';
import { defineChannels } from './define';
import { Empty, IsoTimestamp } from './common';

/**
 * The app update, as the status panel shows it (electron/core/updates/update-service.ts): nothing to install (this
 * build does not update itself, it is current, or the rollout has not reached it), a download under way, an update
 * ready (it installs when the last officer signs out), a refused release with the reason, or an install starting.
 */
export const UpdateStatePart = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('none'), detail: z.string() }),
  z.strictObject({ state: z.literal('downloading'), version: z.string() }),
  z.strictObject({ state: z.literal('ready'), version: z.string() }),
  z.strictObject({ state: z.literal('refused'), version: z.string().nullable(), code: z.string(), reason: z.string() }),
  z.strictObject({ state: z.literal('installing'), version: z.string(), moment: z.enum(['sign-out', 'start']) }),
]);
export type UpdateStatePart = z.infer<typeof UpdateStatePart>;

export const SystemStatus = z.strictObject({
  database: z.strictObject({
    cipher: z.string(),
    schemaVersion: z.string(),
    sizeBytes: z.number().int().nonnegative(),
    journalMode: z.string(),
  }),
  audit: z.strictObject({
    entries: z.number().int().nonnegative(),
    headSeq: z.number().int().nonnegative(),
    headHash: z.string(),
    lastCheckpointSeq: z.number().int().nonnegative(),
    lastVerification: z
      .strictObject({ ok: z.boolean(), at: IsoTimestamp, firstBadSeq: z.number().int().nullable() })
      .nullable(),
  }),
  model: z.strictObject({
    state: z.enum(['not-installed', 'verified', 'refused']),
    detail: z.string(),
  }),
  sync: z.strictObject({
    state: z.enum(['not-configured', 'idle', 'syncing', 'error']),
    detail: z.string(),
  }),
  device: z.strictObject({ deviceId: z.string(), publicKey: z.string() }),
  appVersion: z.string(),
  update: UpdateStatePart,
});
export type SystemStatus = z.infer<typeof SystemStatus>;

export const Settings = z.strictObject({
  idleTimeoutMinutes: numberFieldSchema(IDLE_TIMEOUT_RULE),
});
export type Settings = z.infer<typeof Settings>;

/** The data controller named on consent receipts (Kantara `piiControllers`). Set by an administrator. */
export const Organisation = z.strictObject({
  controllerName: z.string().trim().min(2).max(120),
  contactEmail: z.email().max(254),
  contactPhone: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 ]{7,18}$/, 'a phone number'),
  address: z.string().trim().min(5).max(200),
  jurisdiction: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 country code, e.g. KE'),
  policyUrl: z.url({ protocol: /^https$/ }).max(300),
});
export type Organisation = z.infer<typeof Organisation>;

/** What the renderer's error boundary reports: codes only, never the error message (it may quote personal data). */
export const RendererErrorReport = z.strictObject({
  /** The screen's route name. */
  screen: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[a-z-]+$/, 'a screen name'),
  /** The error's class name, e.g. `TypeError`. */
  errorName: z.string().min(1).max(60),
  /** Where it was caught (component names); the core keeps identifier characters only. */
  where: z.string().max(200),
});
export type RendererErrorReport = z.infer<typeof RendererErrorReport>;

export const systemChannels = defineChannels('system', {
  'system:getOrganisation': {
    input: Empty,
    output: Organisation.nullable(),
    access: 'signedIn',
    summary: 'The controller details printed on consent receipts (null until an administrator sets them)',
  },
  'system:updateOrganisation': {
    input: Organisation,
    output: Organisation,
    access: ['admin'],
    summary: 'Sets the controller details printed on consent receipts',
  },
  'system:status': {
    input: Empty,
    output: SystemStatus,
    access: 'signedIn',
    summary: 'Database, audit chain, model and sync state for the status panel',
  },
  'system:reportError': {
    input: RendererErrorReport,
    output: Empty,
    // Signed out too: the sign-in and setup screens can fail as well. The core rate-limits what it records.
    access: 'public',
    // Not officer activity: a failing screen must not keep an idle session from locking.
    polled: true,
    summary: 'Records a renderer error (screen, error class, where) in the log and the error counters',
  },
  'system:diagnosticsBundle': {
    input: Empty,
    output: z.strictObject({ fileName: z.string(), json: z.string() }),
    access: 'signedIn',
    summary:
      '"Report a problem": versions, states, error counters and the redacted recent log as one JSON file (no personal data; audited)',
  },
  'system:backup': {
    input: Empty,
    output: z.strictObject({ file: z.string(), bytes: z.number().int().nonnegative(), createdAt: IsoTimestamp }),
    access: ['admin'],
    summary: 'Writes an encrypted online backup of the database into the backups folder',
  },
  'system:getSettings': {
    input: Empty,
    output: Settings,
    access: 'signedIn',
    summary: 'Workstation settings',
  },
  'system:updateSettings': {
    input: Settings,
    output: Settings,
    access: ['admin'],
    summary: 'Changes workstation settings (idle auto-lock)',
  },
});
