/** What a policy release and an officer grant say; signed by the bank around them (signed-release.ts). */
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
});
export type PolicyRelease = z.infer<typeof PolicyReleaseSchema>;
