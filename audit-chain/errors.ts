/**
 * The audit chain's own error type. The chain is shared by the workstation core and the central API, which each
 * map it to their own errors: the core reports it as an INTERNAL NexisError, the server as a 500.
 */
export type AuditChainErrorCode =
  /** A value has no RFC 8785 form (e.g. `undefined`). */
  | 'NOT_CANONICAL'
  /** A payload key would carry personal data or a secret in clear. */
  | 'PERSONAL_FIELD'
  /** An actor is not a pseudonymous id or a named actor: it may be a username. */
  | 'NOT_PSEUDONYMOUS'
  /** A caller passed an option outside its range. */
  | 'INVALID_ARGUMENT';

export class AuditChainError extends Error {
  readonly code: AuditChainErrorCode;

  constructor(code: AuditChainErrorCode, message: string) {
    super(message);
    this.name = 'AuditChainError';
    this.code = code;
  }
}

export function isAuditChainError(error: unknown): error is AuditChainError {
  return error instanceof AuditChainError;
}
