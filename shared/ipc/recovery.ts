import { z } from 'zod';
import { defineChannels } from './define';
import { Empty, IsoTimestamp } from './common';

/**
 * An absolute folder path as typed by an administrator: POSIX (`/media/usb/nexis`), a Windows drive (`E:\nexis`) or a
 * UNC share (`\\server\share`). Whether it exists and lies outside the data folder is the core's check.
 */
export const FolderPath = z
  .string()
  .trim()
  .min(1, 'required')
  .max(1024, 'at most 1024 characters')
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  .refine((path) => !/[\u0000-\u001f]/.test(path), 'no control characters')
  .refine(
    (path) => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || /^\\\\[^\\]+\\[^\\]+/.test(path),
    'an absolute path, such as /media/usb/nexis or E:\\nexis',
  );

/** A failure's code: a NexisError code or a recovery reason (electron/core/recovery/errors.ts); never a message. */
export const RecoveryFailureCode = z.string().regex(/^[A-Z][A-Z_]{1,39}$/);

export const RecoveryStatus = z.strictObject({
  /** The build carries the bank's recovery recipients (trust file `recoveryRecipients`). */
  enabled: z.boolean(),
  /** The folder the administrator picked; null until one is set. */
  folder: z.string().nullable(),
  lastSuccess: z.strictObject({ at: IsoTimestamp, bytes: z.number().int().nonnegative() }).nullable(),
  lastFailure: z.strictObject({ at: IsoTimestamp, code: RecoveryFailureCode }).nullable(),
  /** When the schedule writes the next bundle; null while disabled or no folder is set. */
  nextDue: IsoTimestamp.nullable(),
  /** A bundle is being written now. */
  running: z.boolean(),
});
export type RecoveryStatus = z.infer<typeof RecoveryStatus>;

export const WrittenBundle = z.strictObject({
  /** The bundle's file name in the folder (device id and time: no personal data). */
  fileName: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: IsoTimestamp,
});
export type WrittenBundle = z.infer<typeof WrittenBundle>;

export const recoveryChannels = defineChannels('recovery', {
  'recovery:status': {
    input: Empty,
    output: RecoveryStatus,
    access: ['admin'],
    summary: 'Whether recovery bundles are on, the chosen folder, the last success and failure, the next run',
  },
  'recovery:setFolder': {
    input: z.strictObject({ folder: FolderPath }),
    output: RecoveryStatus,
    access: ['admin'],
    summary:
      'Chooses the removable-drive folder recovery bundles are copied to (it must exist, outside the data folder)',
  },
  'recovery:clearFolder': {
    input: Empty,
    output: RecoveryStatus,
    access: ['admin'],
    summary: 'Forgets the recovery folder: no more recovery bundles until another is chosen',
  },
  'recovery:runNow': {
    input: Empty,
    output: WrittenBundle,
    access: ['admin'],
    summary: 'Writes a recovery bundle (encrypted to the bank recovery key) to the chosen folder now',
  },
});
