import { z } from 'zod';

/** Events pushed from the core to the renderer (never requests). */
export const eventSchemas = {
  'session:locked': z.strictObject({ reason: z.enum(['idle', 'manual']) }),
  'session:ended': z.strictObject({ reason: z.enum(['signed-out', 'account-disabled']) }),
  /** Rows scored so far by the connection's running batch (scoring:batch). */
  'scoring:batchProgress': z.strictObject({
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
} as const;

export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = z.infer<(typeof eventSchemas)[E]>;
export const EVENT_NAMES = Object.keys(eventSchemas) as EventName[];

/** The single Electron IPC channel that carries pushed events to the renderer. */
export const EVENT_CHANNEL = 'nexis:event';
