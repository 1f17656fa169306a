import { isAuditChainError } from '../../audit-chain';
import type { ErrorCode } from '../../shared/ipc/result';

/**
 * The core's one error type: a code a program can switch on and a message a person can act on.
 * Messages never carry personal data (see docs/privacy.md); the IPC layer passes them to the UI as they are.
 */
export class NexisError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NexisError';
    this.code = code;
  }
}

export function isNexisError(error: unknown): error is NexisError {
  return error instanceof NexisError;
}

/**
 * Runs audit-chain code (shared with the central API, so it throws its own error class) and reports its refusals as
 * the core always has: an INTERNAL NexisError carrying the same message.
 */
export function withAuditChainErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (isAuditChainError(error)) {
      throw new NexisError('INTERNAL', error.message, { cause: error });
    }
    throw error;
  }
}
