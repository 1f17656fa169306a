/**
 * Public surface: liveness answers from memory; readiness asks the database and checks the migrations, and says
 * not-ready while the instance drains before a stop.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { enforceSurface } from '../http/access';
import type { ServerContext } from '../http/context';

const Liveness = z.strictObject({ status: z.literal('ok') });
const Readiness = z.strictObject({ status: z.enum(['ready', 'not-ready']), detail: z.string() });
const open = { access: 'public', rateLimit: false } as const;

export const healthRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  enforceSurface(app, 'public');
  app.get('/health', { config: open, schema: { response: { 200: Liveness } } }, () => ({ status: 'ok' as const }));
  app.get(
    '/health/ready',
    { config: open, schema: { response: { 200: Readiness, 503: Readiness } } },
    async (_request, reply) => {
      if (ctx.lifecycle.draining) {
        return reply.code(503).send({ status: 'not-ready' as const, detail: 'draining: this instance is stopping' });
      }
      const ready = await ctx.database.ready();
      return reply
        .code(ready.ok ? 200 : 503)
        .send({ status: ready.ok ? ('ready' as const) : ('not-ready' as const), detail: ready.detail });
    },
  );
};
