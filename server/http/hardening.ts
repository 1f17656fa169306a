/**
 * Transport hardening shared by every route: security headers, per-IP rate limit, no CORS (the desktop app sends no
 * Origin; a browser page that does is refused), no caching, typed errors for everything Fastify itself refuses.
 */
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, isApiError, sendError } from './errors';

export async function harden(
  app: FastifyInstance,
  options: { perIpPerMinute: number; onRefused: (request: FastifyRequest, error: ApiError) => Promise<void> },
): Promise<void> {
  await app.register(helmet, { global: true });
  await app.register(rateLimit, {
    global: true,
    max: options.perIpPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => request.ip,
    errorResponseBuilder: (_request, context) =>
      Object.assign(new ApiError(429, 'RATE_LIMITED', `Too many requests; retry in ${context.after}.`), {
        statusCode: 429,
      }),
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (request.headers.origin !== undefined) {
      return sendError(reply, new ApiError(403, 'ORIGIN_REFUSED', 'Cross-origin requests are not served.'));
    }
    return undefined;
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, new ApiError(404, 'NOT_FOUND', 'No such endpoint.')));
  app.setErrorHandler(async (error: FastifyError | ApiError, request, reply) => {
    if (isApiError(error)) {
      await options.onRefused(request, error).catch(() => undefined);
      return sendError(reply, error);
    }
    if (error.statusCode === 413) {
      return sendError(reply, new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.'));
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, new ApiError(400, 'INVALID_INPUT', 'The request is malformed.'));
    }
    request.log.error({ errorCode: error.code }, 'request failed');
    return sendError(reply, new ApiError(500, 'INTERNAL', 'The server failed; nothing was changed.'));
  });
}
