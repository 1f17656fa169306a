import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../http/context';

/** Liveness answers from memory; readiness asks the database and checks the migrations. Neither is rate limited. */
export function healthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/health', { config: { rateLimit: false } }, () => ({ status: 'ok' }));
  app.get('/health/ready', { config: { rateLimit: false } }, async (_request, reply) => {
    const ready = await ctx.database.ready();
    return reply.code(ready.ok ? 200 : 503).send({ status: ready.ok ? 'ready' : 'not-ready', detail: ready.detail });
  });
}
