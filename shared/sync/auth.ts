/** Enrolment and access tokens: a one-time code plus the device's Ed25519 key, then proof-of-possession refresh. */
import { z } from 'zod';
import {
  DeviceIdSchema,
  IsoTimeSchema,
  PublicKeySchema,
  SignatureSchema,
  BranchIdSchema,
  ServerKeyIdSchema,
} from './primitives';

/**
 * The server's signing keys, oldest first; each later key is endorsed by the one before it (serverKeyMessage), so a
 * device that trusts the key it was given at enrolment can follow rotations and nothing else.
 */
export const ServerKeysResponseSchema = z.strictObject({
  keys: z
    .array(
      z.strictObject({
        keyId: ServerKeyIdSchema,
        publicKey: PublicKeySchema,
        endorsedBy: ServerKeyIdSchema.nullable(),
        endorsement: SignatureSchema.nullable(),
      }),
    )
    .min(1)
    .max(100),
});
export type ServerKeysResponse = z.infer<typeof ServerKeysResponseSchema>;

/** Enrolment codes are 4 groups of 5 Crockford base32 characters, e.g. `7KQ2M-…`. */
export const EnrolmentCodeSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);

export const EnrolRequestSchema = z.strictObject({
  code: EnrolmentCodeSchema,
  deviceId: DeviceIdSchema,
  publicKey: PublicKeySchema,
  /** Device signature over enrolmentMessage(code, deviceId, publicKey). */
  signature: SignatureSchema,
});
export type EnrolRequest = z.infer<typeof EnrolRequestSchema>;

export const AccessTokenSchema = z.strictObject({
  token: z.string().min(20).max(1000),
  expiresAt: IsoTimeSchema,
});
export type AccessToken = z.infer<typeof AccessTokenSchema>;

export const EnrolResponseSchema = z.strictObject({
  deviceId: DeviceIdSchema,
  branchId: BranchIdSchema,
  /** The server's current Ed25519 key (SPKI DER base64): verifies countersignatures. */
  serverPublicKey: PublicKeySchema,
  serverKeyId: ServerKeyIdSchema,
  accessToken: AccessTokenSchema,
});
export type EnrolResponse = z.infer<typeof EnrolResponseSchema>;

export const ChallengeRequestSchema = z.strictObject({ deviceId: DeviceIdSchema });
export const ChallengeResponseSchema = z.strictObject({
  nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  expiresAt: IsoTimeSchema,
});
export type ChallengeResponse = z.infer<typeof ChallengeResponseSchema>;

export const TokenRequestSchema = z.strictObject({
  deviceId: DeviceIdSchema,
  nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  /** Device signature over tokenRequestMessage(deviceId, nonce). */
  signature: SignatureSchema,
});
export type TokenRequest = z.infer<typeof TokenRequestSchema>;
