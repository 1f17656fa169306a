/** Value shapes shared by every sync message: identifiers, hashes, keys and signatures. */
import { z } from 'zod';

export const DEVICE_ID = /^DEV-[0-9A-F]{16}$/;
export const DeviceIdSchema = z.string().regex(DEVICE_ID);
export const HashSchema = z.string().regex(/^[0-9a-f]{64}$/);
export const Base64Schema = z
  .string()
  .max(2_000_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/);
export const SignatureSchema = z.string().regex(/^[A-Za-z0-9+/]{86}==$/);
/** Ed25519 SubjectPublicKeyInfo DER is 44 bytes: 60 base64 characters. */
export const PublicKeySchema = z.string().regex(/^[A-Za-z0-9+/]{59}=$/);
export const SeqSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export const IsoTimeSchema = z.iso.datetime({ offset: false, precision: 3 });
export const BranchIdSchema = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/);
export const VersionSchema = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/);
/** Pseudonymous ids: `OFF-…` officers, `NEX-…-…-c` applicants (with their check character). */
export const PseudonymSchema = z.string().regex(/^[A-Z]{3}-[0-9A-Z*~$=-]{4,40}$/);

/** Key ids of the server's signing keys (server/security/keyring.ts). */
export const ServerKeyIdSchema = z.string().regex(/^[a-z]{2,8}-[0-9a-z-]{4,40}$/);

export const GENESIS_HASH = '0'.repeat(64);
