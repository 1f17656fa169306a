/**
 * Push: the workstation sends its audit chain in sequence order, each entry with an optional attachment, plus the
 * checkpoints it signed. The server answers with what it has acknowledged and its countersignatures.
 */
import { z } from 'zod';
import {
  GENESIS_HASH,
  HashSchema,
  SeqSchema,
  SignatureSchema,
  IsoTimeSchema,
  DeviceIdSchema,
  ServerKeyIdSchema,
} from './primitives';

export const MAX_PUSH_ENTRIES = 1000;
export const MAX_PUSH_CHECKPOINTS = 50;

export const ATTACHMENT_KINDS = [
  'consent.receipt',
  /** Applicant personal data: sent only while the applicant's `central-sync` purpose is granted. */
  'applicant.record',
  'behaviour.summary',
  'score.result',
  'decision.record',
] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export const AttachmentSchema = z.strictObject({
  kind: z.enum(ATTACHMENT_KINDS),
  body: z.record(z.string(), z.json()),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

export const PushEntrySchema = z.strictObject({
  seq: SeqSchema,
  ts: z.string().min(1).max(40),
  actor: z.string().min(1).max(64),
  action: z
    .string()
    .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/)
    .max(64),
  subject: z.string().min(1).max(64).nullable(),
  /** RFC 8785 canonical JSON text of the payload, exactly as it was hashed. */
  payload: z.string().min(2).max(16_384),
  prevHash: HashSchema,
  hash: HashSchema,
  attachment: AttachmentSchema.optional(),
});
export type PushEntry = z.infer<typeof PushEntrySchema>;

export const PushCheckpointSchema = z.strictObject({
  seq: SeqSchema,
  headHash: HashSchema,
  /** The device's Ed25519 signature over checkpointMessage (docs/audit-format.md). */
  signature: SignatureSchema,
});
export type PushCheckpoint = z.infer<typeof PushCheckpointSchema>;

export const ChainPointSchema = z.strictObject({ seq: z.number().int().min(0), hash: HashSchema });
export type ChainPoint = z.infer<typeof ChainPointSchema>;

export const PushRequestSchema = z
  .strictObject({
    /**
     * Increases with every push a device makes (persisted, and raised to the server's `lastPushId` when that is
     * higher). A push whose id is not above the last one seen is a late replay: its entries are still checked and
     * deduplicated, but its head and anchor are stale and not judged, so network replays never look like rollbacks.
     */
    pushId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    /** The device's current head: lower than what the server acknowledged means the log was rolled back. */
    head: ChainPointSchema,
    /**
     * The device's own hash at the sequence of the last countersignature it holds (null before the first one): if
     * it no longer matches what the server countersigned, the log was truncated or rewritten.
     */
    anchor: ChainPointSchema.nullable(),
    entries: z.array(PushEntrySchema).max(MAX_PUSH_ENTRIES),
    checkpoints: z.array(PushCheckpointSchema).max(MAX_PUSH_CHECKPOINTS),
  })
  .superRefine((push, ctx) => {
    // Non-consecutive entries are not refused here: the server records them as a gap in the device's chain.
    if (push.head.seq === 0 && push.head.hash !== GENESIS_HASH) {
      ctx.addIssue({ code: 'custom', message: 'an empty chain has the genesis hash', path: ['head'] });
    }
  });
export type PushRequest = z.infer<typeof PushRequestSchema>;

export const CountersignatureSchema = z.strictObject({
  deviceId: DeviceIdSchema,
  seq: SeqSchema,
  headHash: HashSchema,
  /** Server Ed25519 signature over countersignatureMessage(deviceId, seq, headHash). */
  serverSignature: SignatureSchema,
  /** The server signing key that made it (keys rotate; earlier countersignatures keep their key). */
  keyId: ServerKeyIdSchema,
  countersignedAt: IsoTimeSchema,
});
export type Countersignature = z.infer<typeof CountersignatureSchema>;

export const PushResponseSchema = z.strictObject({
  ackedSeq: z.number().int().min(0),
  ackedHash: HashSchema,
  /** Entries of this batch that were new (the rest were already stored: a resend has no second effect). */
  stored: z.number().int().min(0),
  lastPushId: z.number().int().min(0),
  countersignatures: z.array(CountersignatureSchema),
});
export type PushResponse = z.infer<typeof PushResponseSchema>;
