/** What a policy release, an officer grant and an app release say; signed by the bank around them (signed-release.ts). */
import { z } from 'zod';
import { ROLES } from '../domain/roles';
import { PseudonymSchema, VersionSchema } from './primitives';

export const OfficerUpsertSchema = z.strictObject({
  officerId: PseudonymSchema,
  username: z.string().regex(/^[a-z0-9._-]{3,32}$/),
  role: z.enum(ROLES),
  status: z.enum(['active', 'disabled']),
});
export type OfficerUpsert = z.infer<typeof OfficerUpsertSchema>;

export const PolicyReleaseSchema = z.strictObject({
  version: VersionSchema,
  /** Score cut-offs by band or outcome, e.g. `{ "approve": 620, "refer": 560 }`. */
  cutoffs: z.record(z.string().max(64), z.number().finite()),
  /** Reason texts by reason code and language. */
  reasonTexts: z.record(z.string().max(64), z.strictObject({ en: z.string().max(500), sw: z.string().max(500) })),
  /**
   * Four eyes on overrides: a decision that raises the policy outcome to approve waits for a second supervisor's
   * approval. Absent means on (releases signed before the option keep the safe behaviour); only a signed `false`
   * turns it off, so switching the control off is itself a bank release that central four eyes approved.
   */
  fourEyesOverrides: z.boolean().optional(),
});
export type PolicyRelease = z.infer<typeof PolicyReleaseSchema>;

export const UPDATE_CHANNELS = ['pilot', 'general'] as const;
export type UpdateChannel = (typeof UPDATE_CHANNELS)[number];

/** Semantic version without build metadata (what electron-builder writes into latest.yml). */
export const SemverSchema = z
  .string()
  .max(64)
  .regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/, 'must be a version such as 1.4.2');

/** A file name in the update feed: no folder, no traversal, no query. */
export const UpdateFileNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,199}$/, 'must be a plain file name');

export const AppReleaseSchema = z.strictObject({
  version: SemverSchema,
  channel: z.enum(UPDATE_CHANNELS),
  files: z
    .array(
      z.strictObject({
        name: UpdateFileNameSchema,
        /** SHA-512 of the file, base64 (as electron-updater's feed writes it). */
        sha512: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'must be a base64 SHA-512'),
        size: z
          .number()
          .int()
          .min(1)
          .max(2 ** 33),
      }),
    )
    .min(1)
    .max(16)
    .refine((files) => new Set(files.map((f) => f.name)).size === files.length, 'file names must be unique'),
  /** What changes for officers, shown with "update ready" (no personal data: it is a release text). */
  notes: z.string().max(2000),
});
export type AppRelease = z.infer<typeof AppReleaseSchema>;
