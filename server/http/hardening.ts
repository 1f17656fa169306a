/**
 * Transport hardening shared by every route: security headers, per-IP rate limit, no CORS (the desktop app sends no
 * Origin; a browser page that does is refused), no caching, typed errors for everything Fastify itself refuses.
 */
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ApiError, isApiError, sendError } from './errors';

export async function harden(
  app: FastifyInstance,
  options: { perIpPerMinute: number; onRefused: (request: FastifyRequest, error: ApiError) => Promise<void> },
): Promise<void> {
  await app.register(helmet, { global: true });
  await app.register(rateLimit, {
    // Not per route: route-level hooks run after the surfaces' authentication hooks, and an unauthenticated flood
    // must be counted before it costs a database read. The per-IP budget is a root hook (below), ahead of every
    // plugin's hooks; routes may add a tighter one of their own (`config.rateLimit`, public auth endpoints).
    global: false,
    keyGenerator: (request) => request.ip,
    errorResponseBuilder: (_request, context) =>
      Object.assign(new ApiError(429, 'RATE_LIMITED', `Too many requests; retry in ${context.after}.`), {
        statusCode: 429,
      }),
  });
  const perIp = app.rateLimit({ max: options.perIpPerMinute, timeWindow: 60_000 });
  app.addHook('onRequest', async function limitPerIp(request, reply) {
    // Liveness and readiness are exempt: a load balancer must always get an answer.
    if (request.routeOptions.config.rateLimit === false) {
      return;
    }
    await perIp.call(this, request, reply);
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
    if (hasZodFastifySchemaValidationErrors(error)) {
      // Field names and issue codes only, never values: they may be personal data or secrets.
      const where = error.validation
        .slice(0, 5)
        .map(
          (issue) => `${error.validationContext ?? 'body'}${issue.instancePath.replaceAll('/', '.')}: ${issue.keyword}`,
        )
        .join('; ');
      const refusal = new ApiError(400, 'INVALID_INPUT', `Invalid request: ${where}`);
      await options.onRefused(request, refusal).catch(() => undefined);
      return sendError(reply, refusal);
    }
    if (error.statusCode === 413) {
      return sendError(reply, new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.'));
    }
    if (
      !isResponseSerializationError(error) &&
      error.statusCode !== undefined &&
      error.statusCode >= 400 &&
      error.statusCode < 500
    ) {
      return sendError(reply, new ApiError(400, 'INVALID_INPUT', 'The request is malformed.'));
    }
    request.log.error({ errorCode: error.code }, 'request failed');
    return sendError(reply, new ApiError(500, 'INTERNAL', 'The server failed; nothing was changed.'));
  });
}
