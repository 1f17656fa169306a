/** Refusals as values: an HTTP status, a code from shared/sync/errors.ts and a message without personal data. */
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { SyncErrorBody, SyncErrorCode } from '../../shared/sync/errors';

export class ApiError extends Error {
  readonly status: number;
  readonly code: SyncErrorCode;
  readonly expectedSeq: number | undefined;

  constructor(status: number, code: SyncErrorCode, message: string, expectedSeq?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.expectedSeq = expectedSeq;
  }

  body(): SyncErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.expectedSeq === undefined ? {} : { expectedSeq: this.expectedSeq }),
      },
    };
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.status).send(error.body());
}

/** Parses strictly; the message names the offending fields, never their values (they may be personal data). */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const where = result.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.code}`)
      .join('; ');
    throw new ApiError(400, 'INVALID_INPUT', `Invalid request: ${where}`);
  }
  return result.data;
}
