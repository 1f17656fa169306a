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
