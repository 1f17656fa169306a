/**
 * Public surface for administrators (`/v1/auth/admin`): password sign-in, then the TOTP code, or at first sign-in the
 * enrolment of the second factor with a new password. Everything else an administrator does is in admin-routes.ts.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AdminSignInResponseSchema, AdminSignInSchema, AdminTotpEnrolSchema } from '../../shared/sync/admin-auth';
import { completeTotpEnrolment, signIn } from '../admin/accounts';
import { enforceSurface } from '../http/access';
import type { ServerContext } from '../http/context';
import { publicAuthRoute } from './device-auth-routes';

export const adminAuthRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  enforceSurface(app, 'public');
  const db = ctx.database.db;
  const route = publicAuthRoute(ctx);

  app.post(
    '/sign-in',
    { ...route, schema: { body: AdminSignInSchema, response: { 200: AdminSignInResponseSchema } } },
    async (request) => signIn(db, ctx.secrets, request.body, ctx.adminPolicy, ctx.now()),
  );

  app.post(
    '/totp',
    { ...route, schema: { body: AdminTotpEnrolSchema, response: { 200: AdminSignInResponseSchema } } },
    async (request) => completeTotpEnrolment(db, ctx.secrets, request.body, ctx.adminPolicy, ctx.now()),
  );
};
