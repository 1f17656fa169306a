/** Every refusal of the central API has this shape and one of these codes; clients switch on the code. */
import { z } from 'zod';

export const SYNC_ERROR_CODES = [
  'INVALID_INPUT',
  'PAYLOAD_TOO_LARGE',
  /** 415: a request body in a Content-Encoding other than gzip (or stacked codings). */
  'UNSUPPORTED_ENCODING',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'FORBIDDEN',
  'ACCOUNT_LOCKED',
  'SECOND_FACTOR_REQUIRED',
  'SESSION_EXPIRED',
  'FOUR_EYES_REQUIRED',
  'DEVICE_REVOKED',
  'ENROLMENT_CODE_INVALID',
  'SIGNATURE_INVALID',
  'CHALLENGE_INVALID',
  'ALREADY_ENROLLED',
  'OUT_OF_ORDER',
  'HASH_MISMATCH',
  'CHAIN_CONFLICT',
  'CONFLICT',
  'RATE_LIMITED',
  'ORIGIN_REFUSED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

export const SyncErrorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(SYNC_ERROR_CODES),
    message: z.string(),
    /** OUT_OF_ORDER: the sequence number the server expects next. */
    expectedSeq: z.number().int().min(1).optional(),
  }),
});
export type SyncErrorBody = z.infer<typeof SyncErrorBodySchema>;
