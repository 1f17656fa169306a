/**
 * Pull: a per-device feed of what the centre publishes (officers, policy, model releases) and what other branches
 * raised (consent withdrawals, erasure requests), read after a cursor so a retry never applies an item twice.
 */
import { z } from 'zod';
import { CONSENT_PURPOSES } from '../domain/consent';
import { Base64Schema, DeviceIdSchema, IsoTimeSchema, PseudonymSchema, VersionSchema } from './primitives';
import { ModelWithdrawalSchema } from './fleet';
import { SignedOfficerGrantSchema, SignedPolicyReleaseSchema } from './signed-release';

export { OfficerUpsertSchema, PolicyReleaseSchema, type OfficerUpsert, type PolicyRelease } from './release-bodies';

export const MAX_PULL_ITEMS = 200;

/** A signed model package as files (base64): verified by the workstation before anything is installed. */
export const ModelPackageFilesSchema = z.strictObject({
  'manifest.json': Base64Schema,
  'model.onnx': Base64Schema,
  'signature.json': Base64Schema,
});

/**
 * A model release: the champion package every score, reason, plan and decision comes from, and optionally a
 * challenger scored beside it in shadow (docs/monitoring.md, "Champion and challenger"): signed by the bank like the
 * champion, on the same feature specification, its score only recorded. Promoting a challenger is a release of its
 * package as the champion, four-eyes like any other.
 */
export const ModelReleaseSchema = z.strictObject({
  version: VersionSchema,
  files: ModelPackageFilesSchema,
  challenger: z.strictObject({ files: ModelPackageFilesSchema }).optional(),
});
export type ModelRelease = z.infer<typeof ModelReleaseSchema>;

export const ConsentWithdrawalSchema = z.strictObject({
  applicantId: PseudonymSchema,
  purpose: z.enum(CONSENT_PURPOSES),
  originDeviceId: DeviceIdSchema.nullable(),
});
export const ErasureRequestSchema = z.strictObject({
  applicantId: PseudonymSchema,
  originDeviceId: DeviceIdSchema.nullable(),
});

export const PullItemSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    id: z.number().int().min(1),
    at: IsoTimeSchema,
    kind: z.literal('officer.upsert'),
    body: SignedOfficerGrantSchema,
  }),
  z.strictObject({
    id: z.number().int().min(1),
    at: IsoTimeSchema,
    kind: z.literal('policy.release'),
    body: SignedPolicyReleaseSchema,
  }),
  z.strictObject({
    id: z.number().int().min(1),
    at: IsoTimeSchema,
    kind: z.literal('model.release'),
    body: ModelReleaseSchema,
  }),
  z.strictObject({
    id: z.number().int().min(1),
    at: IsoTimeSchema,
    kind: z.literal('model.withdrawal'),
    body: ModelWithdrawalSchema,
  }),
  z.strictObject({
    id: z.number().int().min(1),
    at: IsoTimeSchema,
    kind: z.literal('consent.withdrawal'),
    body: ConsentWithdrawalSchema,
  }),
  z.strictObject({
    id: z.number().int().min(1),
    at: IsoTimeSchema,
    kind: z.literal('applicant.erasure'),
    body: ErasureRequestSchema,
  }),
]);
export type PullItem = z.infer<typeof PullItemSchema>;
export type PullItemKind = PullItem['kind'];

export const PullQuerySchema = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_ITEMS).default(50),
});

/** The page envelope: items are validated one by one, so one bad item is reported and passed, not a stuck feed. */
export const PullPageSchema = z.strictObject({
  items: z.array(z.looseObject({ id: z.number().int().min(1), kind: z.string() })),
  cursor: z.number().int().min(0),
  more: z.boolean(),
});

export const PullResponseSchema = z.strictObject({
  items: z.array(PullItemSchema),
  /** Pass as `after` next time. */
  cursor: z.number().int().min(0),
  more: z.boolean(),
});
export type PullResponse = z.infer<typeof PullResponseSchema>;
