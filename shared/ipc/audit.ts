import { z } from 'zod';
import { defineChannels } from './define';
import { Empty, IsoTimestamp } from './common';

export const AuditEntryView = z.strictObject({
  seq: z.number().int().positive(),
  ts: IsoTimestamp,
  actor: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditVerification = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    entries: z.number().int().nonnegative(),
    headSeq: z.number().int().nonnegative(),
    headHash: z.string(),
    checkpoints: z.number().int().nonnegative(),
    verifiedAt: IsoTimestamp,
    durationMs: z.number().nonnegative(),
  }),
  z.strictObject({
    ok: z.literal(false),
    firstBadSeq: z.number().int().nonnegative(),
    reason: z.string(),
    entries: z.number().int().nonnegative(),
    verifiedAt: IsoTimestamp,
    durationMs: z.number().nonnegative(),
  }),
]);
export type AuditVerification = z.infer<typeof AuditVerification>;

export const AuditQuery = z.strictObject({
  page: z.number().int().min(1).max(1_000_000),
  pageSize: z.number().int().min(1).max(200),
  action: z.string().max(64).optional(),
  actor: z.string().max(64).optional(),
  from: IsoTimestamp.optional(),
  to: IsoTimestamp.optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const auditChannels = defineChannels('audit', {
  'audit:list': {
    input: AuditQuery,
    output: z.strictObject({
      entries: z.array(AuditEntryView),
      total: z.number().int().nonnegative(),
      actions: z.array(z.string()),
    }),
    access: ['admin', 'auditor', 'supervisor'],
    summary: 'Pages through the audit trail, newest first, with filters',
  },
  'audit:verify': {
    input: Empty,
    output: AuditVerification,
    access: ['admin', 'auditor'],
    summary: 'Recomputes the hash chain and checks every signed checkpoint',
  },
});
