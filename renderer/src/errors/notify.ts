/** The one way screens tell the officer that something failed or succeeded. */
import { notifications } from '@mantine/notifications';
import { NexisCallError } from '../api/nexis';
import type { ErrorCode } from '../../../shared/ipc/result';
import { localizeTimestamps } from '../format';

const FALLBACK = 'Something went wrong. Nothing was changed.';

/**
 * The message a person can act on: the core's own message for typed errors, a safe fallback otherwise. A screen asks
 * for it to show it beside its form, so asking counts as showing it inline: the toast for the same error is dropped.
 */
export function describeError(error: unknown): string {
  showInline(error);
  return messageOf(error);
}

function messageOf(error: unknown): string {
  if (error instanceof NexisCallError) {
    return localizeTimestamps(plainInvalidInput(error.message));
  }
  return FALLBACK;
}

/**
 * The core's refusal split by field ("Invalid input — savingsRate: …; termMonths: …" → {savingsRate: "…"}), for a
 * form that puts each message under its field; asking claims the error as shown inline.
 */
export function fieldMessages(error: unknown): Record<string, string> {
  showInline(error);
  const out: Record<string, string> = {};
  if (!(error instanceof NexisCallError) || !error.message.startsWith('Invalid input — ')) {
    return out;
  }
  for (const part of error.message.slice('Invalid input — '.length).split('; ')) {
    const match = /^([A-Za-z0-9_.]+): (.*)$/s.exec(part);
    if (match?.[1] && match[2]) {
      out[match[1]] = match[2];
    }
  }
  return out;
}

/** Field names the core's schemas use, as the forms label them. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  csv: 'Statement file',
  serverUrl: 'Central server address',
  url: 'Central server address',
  username: 'User name',
  password: 'Password',
  newPassword: 'New password',
  idleTimeoutMinutes: 'Lock after (minutes)',
  fullName: 'Full name',
  phone: 'Phone',
  email: 'Email',
  nationalId: 'National id',
  address: 'Address',
  dateOfBirth: 'Date of birth',
};

/**
 * "Invalid input — csv: The statement file is empty…" becomes "The statement file is empty…": a message that already
 * names its field (a capital first letter) is shown as it is, a bare one gets the field's label in front.
 */
export function plainInvalidInput(message: string): string {
  const prefix = 'Invalid input — ';
  if (!message.startsWith(prefix)) {
    return message;
  }
  return message
    .slice(prefix.length)
    .split('; ')
    .map((part) => {
      const match = /^([A-Za-z0-9_.]+): (.*)$/s.exec(part);
      if (!match?.[1] || match[2] === undefined) {
        return part;
      }
      const text = match[2];
      if (/^\p{Lu}/u.test(text)) {
        return text;
      }
      const leaf = match[1].split('.').at(-1) ?? match[1];
      return `${FIELD_LABELS[leaf] ?? FIELD_LABELS[match[1]] ?? leaf}: ${text}`;
    })
    .join(' ');
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
  CONFLICT: 'Not possible now',
  INVALID_INPUT: 'Please check the form',
  IO_ERROR: 'Connection problem',
  CENTRAL_UNREACHABLE: 'Central server unreachable',
  CENTRAL_REFUSED: 'Refused by the central server',
  CONSOLE_NOT_CONNECTED: 'Console not connected',
};

const shownInline = new WeakSet<object>();

/**
 * A form that shows a refusal beside its fields claims it here, so the same message is not toasted as well.
 * `useNexisMutation` reports an error and then, in the same task, calls the screen's `onError`: the toast waits one
 * task for that claim. Errors show once.
 */
export function showInline(error: unknown): void {
  if (typeof error === 'object' && error !== null) {
    shownInline.add(error);
  }
}

/** Toasts sit at the top, under the header, where they never cover a form's buttons. */
const POSITION = 'top-center';

export function notifyError(error: unknown, title?: string): void {
  const code = errorCode(error);
  setTimeout(() => {
    if (typeof error === 'object' && error !== null && shownInline.has(error)) {
      return;
    }
    notifications.show({
      color: 'red',
      title: title ?? (code ? (TITLES[code] ?? 'Error') : 'Error'),
      message: messageOf(error),
      autoClose: 8000,
      withBorder: true,
      position: POSITION,
    });
  }, 0);
}

export function notifySuccess(message: string, title = 'Done'): void {
  notifications.show({ color: 'teal', title, message, autoClose: 3500, withBorder: true, position: POSITION });
}
