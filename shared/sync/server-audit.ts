/** The central API's own audit chain as the console reads it: newest first, paged by sequence, filtered. */
import { z } from 'zod';

export const ServerAuditQuerySchema = z.strictObject({
  /** Entries below this sequence number (the next page). */
  before: z.coerce.number().int().min(1).optional(),
  /** Action prefix, e.g. `admin.` or `proposal.`. */
  action: z
    .string()
    .regex(/^[a-z_.]{1,64}$/)
    .optional(),
  /** Administrator or device id. */
  actor: z
    .string()
    .regex(/^[A-Za-z0-9-]{3,40}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ServerAuditQuery = z.infer<typeof ServerAuditQuerySchema>;

export const ServerAuditEntrySchema = z.strictObject({
  seq: z.number().int().min(1),
  ts: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
});
export type ServerAuditEntry = z.infer<typeof ServerAuditEntrySchema>;

export const ServerAuditPageSchema = z.strictObject({ entries: z.array(ServerAuditEntrySchema) });
