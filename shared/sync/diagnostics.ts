/**
 * The workstation's error counters and last crash (electron/core/diagnostics): sent with each sync for the console's
 * fleet view and included in the "Report a problem" bundle. Codes and counts only: a crash `detail` is an error name
 * or a reason code (identifier characters), never an error message, so no personal data can ride along.
 */
import { z } from 'zod';
import { IsoTimeSchema } from './primitives';

export const CRASH_KINDS = [
  'main-uncaught',
  'main-rejection',
  'renderer-gone',
  'child-gone',
  'renderer-error',
] as const;
export type CrashKind = (typeof CRASH_KINDS)[number];

/** An error name (`TypeError`) or reason code (`oom`, `GPU:crashed`): no spaces, so no sentence fits. */
export const CrashDetailSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,60}$/);

const Count = z.number().int().nonnegative();

export const ErrorCountsSchema = z.strictObject({
  /** `log.error` calls in the core (failed IPC calls, model load failures, …). */
  coreErrors: Count,
  /** Errors the renderer reported (`system:reportError`: an error boundary caught a render error). */
  rendererErrors: Count,
  /** The renderer process died (`render-process-gone`). */
  rendererCrashes: Count,
  /** An uncaught exception or unhandled rejection in the main process. */
  mainCrashes: Count,
  /** A helper process (GPU, utility) died (`child-process-gone`). */
  childCrashes: Count,
});
export type ErrorCounts = z.infer<typeof ErrorCountsSchema>;

export const LastCrashSchema = z.strictObject({
  at: IsoTimeSchema,
  kind: z.enum(CRASH_KINDS),
  detail: CrashDetailSchema,
});
export type LastCrash = z.infer<typeof LastCrashSchema>;

export const DiagnosticsSummary = z.strictObject({
  /** Since the last successful sync (`markSynced`); all zero right after one. */
  sinceSync: ErrorCountsSchema,
  /** Since `countingSince` (the first start with diagnostics, or the last reset of an unreadable counters file). */
  total: ErrorCountsSchema,
  countingSince: IsoTimeSchema,
  lastSyncAt: IsoTimeSchema.nullable(),
  lastCrash: LastCrashSchema.nullable(),
});
export type DiagnosticsSummary = z.infer<typeof DiagnosticsSummary>;
