/**
 * While an instance drains before a stop (SIGTERM, `CentralApi.startDraining`), every request but the health routes
 * is answered 503 `UNAVAILABLE` before any hook or handler touches it, with `Connection: close` and `Retry-After`.
 *
 * Why refuse rather than serve: nginx (open source) cannot poll `/health/ready`; what takes an instance out of its
 * rotation is a failed request (deployment/nginx/nexis.conf.template: `proxy_next_upstream … http_503`,
 * `max_fails=1`). Because the refusal comes before anything runs, a refused request was not processed, so the proxy
 * may send it to the other instance whatever its method; and `Connection: close` retires the proxy's keep-alive
 * connections to this instance before its listener closes, so none is cut with a request on it. A client without a
 * proxy (a development server) sees a retryable 503 for the drain's few seconds; the workstation's sync backs off
 * and retries. Orchestrators that do poll readiness (Kubernetes, HAProxy) see `/health/ready` say not-ready.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from './context';
import { ApiError } from './errors';

/** Route patterns (not raw URLs, so no spelling of a path changes the answer) that keep answering while draining. */
const HEALTH_ROUTES = new Set(['/health', '/health/ready']);

export function refuseWhileDraining(app: FastifyInstance, ctx: ServerContext): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!ctx.lifecycle.draining || HEALTH_ROUTES.has(request.routeOptions.url ?? '')) {
      return;
    }
    const refusal = new ApiError(503, 'UNAVAILABLE', 'This instance is stopping: retry the request.');
    return reply.code(503).header('connection', 'close').header('retry-after', '1').send(refusal.body());
  });
}
