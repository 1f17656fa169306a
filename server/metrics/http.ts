/**
 * Request metrics from root hooks. The route label is the route's pattern (`/v1/admin/devices/:deviceId`), or
 * `unmatched` when no route matched (404s, requests refused before routing), so neither a raw URL nor an id can
 * become a label; methods outside the fixed list are counted as `other`.
 *
 * Which budget refused a 429 is told by where the request was refused: the per-IP budget is a root `onRequest` hook
 * (server/http/hardening.ts), so a request that reaches the hook added after it has passed that budget; a later 429
 * comes from the route's own budget (public authentication routes: `enrol`) or from the device budget checked when a
 * device authenticates.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiMetrics, RateLimiter } from './metrics';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
export const UNMATCHED = 'unmatched';

export interface HttpInstrumentation {
  /** Call before any route, the not-found handler or the rate limits are registered. */
  measure(app: FastifyInstance): void;
  /** Call right after the per-IP budget's hook is registered (after `harden`), before any route. */
  markPastIpBudget(app: FastifyInstance): void;
}

export function instrumentHttp(metrics: ApiMetrics): HttpInstrumentation {
  const pastIpBudget = new WeakSet<FastifyRequest>();
  const limiterOf = (request: FastifyRequest): RateLimiter => {
    if (!pastIpBudget.has(request)) {
      return 'ip';
    }
    const config = request.routeOptions.config as { rateLimit?: unknown; access?: unknown } | undefined;
    if (typeof config?.rateLimit === 'object' && config.rateLimit !== null) {
      return 'enrol';
    }
    return config?.access === 'device' ? 'device' : 'ip';
  };
  return {
    measure(app) {
      app.addHook('onResponse', async (request, reply) => {
        const route = request.routeOptions.url ?? UNMATCHED;
        const method = METHODS.has(request.method) ? request.method : 'other';
        metrics.recordRequest(method, route, reply.statusCode, reply.elapsedTime / 1000);
        if (reply.statusCode === 429) {
          metrics.recordRateLimited(limiterOf(request));
        }
      });
    },
    markPastIpBudget(app) {
      app.addHook('onRequest', async (request) => {
        pastIpBudget.add(request);
      });
    },
  };
}
