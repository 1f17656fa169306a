/**
 * Recovering a dead workstation at the centre (docs/data-lifecycle.md, "Recovery drill"). The bank's IT restores the
 * device's latest recovery bundle on a new machine; the restored workstation then
 *  1. re-enrols with a one-time recovery code an administrator issued for that device id (POST /v1/enrol with the
 *     code: the centre checks the key is the device's own, lifts a revocation and records `device.recovered`), and
 *  2. fetches the tail of its own chain that it pushed after the bundle was written (GET /v1/sync/chain), verifies it
 *     continues its restored head and inserts it verbatim, so its next entry follows the centre's head: no fork.
 */
import { z } from 'zod';
import { ChainPointSchema, CountersignatureSchema, PushEntrySchema } from './push';
import { BranchIdSchema, DeviceIdSchema, IsoTimeSchema, SeqSchema, SignatureSchema } from './primitives';

/** Answer to POST /v1/admin/devices/:deviceId/recovery-code (security-admin). The code is bound to that device. */
export const RecoveryCodeCreatedSchema = z.strictObject({
  code: z.string(),
  deviceId: DeviceIdSchema,
  branchId: BranchIdSchema,
  expiresAt: IsoTimeSchema,
});
export type RecoveryCodeCreated = z.infer<typeof RecoveryCodeCreatedSchema>;

export const CreateRecoveryCodeSchema = z.strictObject({
  /** Minutes until the code expires (default 60, at most one day). */
  ttlMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
});

export const MAX_CHAIN_PAGE = 1000;

export const ChainQuerySchema = z.strictObject({
  /** Entries with seq above this one (the restored head's seq). */
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  limit: z.coerce.number().int().min(1).max(MAX_CHAIN_PAGE).default(MAX_CHAIN_PAGE),
});

/** An entry exactly as the device pushed it, without its attachment (the device keeps no copy of those). */
export const ChainTailEntrySchema = PushEntrySchema.omit({ attachment: true });
export type ChainTailEntry = z.infer<typeof ChainTailEntrySchema>;

/** A checkpoint the device signed and the centre countersigned, inside the page's range of entries. */
export const ChainTailCheckpointSchema = z.strictObject({
  seq: SeqSchema,
  headHash: ChainPointSchema.shape.hash,
  /** The device's own signature over checkpointMessage(deviceId, seq, headHash). */
  signature: SignatureSchema,
  countersignature: CountersignatureSchema,
});
export type ChainTailCheckpoint = z.infer<typeof ChainTailCheckpointSchema>;

/** GET /v1/sync/chain: only ever the calling device's own chain. */
export const ChainPageSchema = z.strictObject({
  /** Consecutive entries after `after`, in seq order (at most `limit`). */
  entries: z.array(ChainTailEntrySchema).max(MAX_CHAIN_PAGE),
  checkpoints: z.array(ChainTailCheckpointSchema).max(MAX_CHAIN_PAGE),
  /** What the centre has acknowledged of this device's chain (devices.acked_seq / acked_hash). */
  head: ChainPointSchema,
  /** The highest push id the centre has seen from this device. */
  lastPushId: z.number().int().min(0),
  /** True when entries beyond this page exist up to `head`. */
  more: z.boolean(),
});
export type ChainPage = z.infer<typeof ChainPageSchema>;
