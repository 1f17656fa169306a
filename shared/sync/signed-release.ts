/**
 * Bank-signed releases: policy releases, officer grants and app updates are signed offline with the bank's release key (Ed25519,
 * the key that signs model packages; `npm run release:sign`), so that no one who controls the central API or the
 * network can change a branch's cut-offs or grant a role. Each workstation verifies the signature against the release
 * key it trusts before applying anything, and refuses an older serial than the one in force.
 *
 * The signature covers the RFC 8785 canonical JSON of every field but `signature` (models/package/release-signing.ts).
 */
import { z } from 'zod';
import { AppReleaseSchema, OfficerUpsertSchema, PolicyReleaseSchema } from './release-bodies';
import { BranchIdSchema, IsoTimeSchema, SignatureSchema } from './primitives';

export const RELEASE_FORMAT = 'nexis.release.v1';

const envelope = {
  format: z.literal(RELEASE_FORMAT),
  /** Increases with every release of the kind (per officer for grants): a lower or equal serial is refused. */
  serial: z.number().int().min(1).max(1_000_000_000),
  issuedAt: IsoTimeSchema,
  /** First 16 hex digits of the SHA-256 of the signing key's SPKI DER (as for model packages). */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  signature: SignatureSchema,
};

export const SignedPolicyReleaseSchema = z.strictObject({
  ...envelope,
  kind: z.literal('policy'),
  release: PolicyReleaseSchema.extend({
    /**
     * Declares a cut-off move larger than the workstations' step limit (default 50 points) as intended; without it,
     * such a release is refused as a likely mistake.
     */
    largeMove: z.boolean().optional(),
  }),
});
export type SignedPolicyRelease = z.infer<typeof SignedPolicyReleaseSchema>;

export const SignedOfficerGrantSchema = z.strictObject({
  ...envelope,
  kind: z.literal('officer'),
  release: OfficerUpsertSchema.extend({
    /** Limit to one branch; omitted: every branch. Workstations of other branches refuse it. */
    branchId: BranchIdSchema.optional(),
  }),
});
export type SignedOfficerGrant = z.infer<typeof SignedOfficerGrantSchema>;

/**
 * An application update: names the version, the channel and every file electron-updater may download with its
 * SHA-512, so that a workstation installs only bytes the bank released (on top of electron-updater's own checks
 * against the feed, which whoever controls the server or the network could rewrite).
 */
export const SignedAppReleaseSchema = z.strictObject({
  ...envelope,
  kind: z.literal('app'),
  release: AppReleaseSchema,
});
export type SignedAppRelease = z.infer<typeof SignedAppReleaseSchema>;

export type SignedRelease = SignedPolicyRelease | SignedOfficerGrant | SignedAppRelease;
export type UnsignedRelease<R extends SignedRelease = SignedRelease> = Omit<R, 'keyId' | 'signature'>;

/** What `release:sign` reads: the kind, the serial and the release; it adds format, issuedAt, keyId and signature. */
export const ReleaseToSignSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('policy'),
    serial: envelope.serial,
    release: SignedPolicyReleaseSchema.shape.release,
  }),
  z.strictObject({
    kind: z.literal('officer'),
    serial: envelope.serial,
    release: SignedOfficerGrantSchema.shape.release,
  }),
  z.strictObject({
    kind: z.literal('app'),
    serial: envelope.serial,
    release: AppReleaseSchema,
  }),
]);
