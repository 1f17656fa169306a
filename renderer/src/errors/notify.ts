/** The one way screens tell the officer that something failed or succeeded. */
import { notifications } from '@mantine/notifications';
import { NexisCallError } from '../api/nexis';
import type { ErrorCode } from '../../../shared/ipc/result';
import { localizeTimestamps } from '../format';

const FALLBACK = 'Something went wrong. Nothing was changed.';

/** The message a person can act on: the core's own message for typed errors, a safe fallback otherwise. */
export function describeError(error: unknown): string {
  if (error instanceof NexisCallError) {
    return localizeTimestamps(error.message);
  }
  return FALLBACK;
}

export function errorCode(error: unknown): ErrorCode | null {
  return error instanceof NexisCallError ? error.code : null;
}

/** Codes after which the signed-in state must be re-read (the session locked, ended or the account went away). */
export const SESSION_ERROR_CODES: ReadonlySet<ErrorCode> = new Set([
  'SESSION_LOCKED',
  'NOT_SIGNED_IN',
  'ACCOUNT_DISABLED',
]);

const TITLES: Partial<Record<ErrorCode, string>> = {
  INVALID_CREDENTIALS: 'Sign-in refused',
  ACCOUNT_LOCKED: 'Account locked',
  ACCOUNT_DISABLED: 'Account disabled',
  PASSWORD_POLICY: 'Password not accepted',
  FORBIDDEN: 'Not allowed',
  SESSION_LOCKED: 'Session locked',
  NOT_SIGNED_IN: 'Signed out',
  CONFLICT: 'Conflict',
  INVALID_INPUT: 'Invalid input',
  IO_ERROR: 'Connection problem',
  CENTRAL_UNREACHABLE: 'Central server unreachable',
  CENTRAL_REFUSED: 'Refused by the central server',
  CONSOLE_NOT_CONNECTED: 'Console not connected',
};

export function notifyError(error: unknown, title?: string): void {
  const code = errorCode(error);
  notifications.show({
    color: 'red',
    title: title ?? (code ? (TITLES[code] ?? 'Error') : 'Error'),
    message: describeError(error),
    autoClose: 8000,
    withBorder: true,
  });
}

export function notifySuccess(message: string, title = 'Done'): void {
  notifications.show({ color: 'teal', title, message, autoClose: 3500, withBorder: true });
}
