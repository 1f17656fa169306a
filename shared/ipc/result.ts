/** The one shape every IPC answer takes: nothing throws across the bridge. */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN_SENDER',
  'NOT_SIGNED_IN',
  'SESSION_LOCKED',
  'FORBIDDEN',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'ACCOUNT_DISABLED',
  'PASSWORD_POLICY',
  'SETUP_REQUIRED',
  'SETUP_DONE',
  'CONFLICT',
  'CONSENT_REQUIRED',
  'IMPORT_INVALID',
  'MODEL_UNAVAILABLE',
  /** The central API could not be reached or failed; work goes on offline and sync retries. */
  'CENTRAL_UNREACHABLE',
  /** The central API refused (wrong code or admin token, revoked device, invalid release). */
  'CENTRAL_REFUSED',
  /** The sync console needs an admin API token for this session first. */
  'CONSOLE_NOT_CONNECTED',
  'NOT_FOUND',
  'DB_KEY_INVALID',
  'DB_CORRUPT',
  'AUDIT_CHAIN_BROKEN',
  'IO_ERROR',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface IpcError {
  readonly code: ErrorCode;
  readonly message: string;
}

export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string): IpcResult<T> {
  return { ok: false, error: { code, message } };
}
