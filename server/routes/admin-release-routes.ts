/**
 * Release manager routes (app updates and model releases), registered inside the admin plugin (its hook has authenticated the
 * administrator and checked the route's roles): propose a signed app release or a rollout change (four eyes), and
 * read what each channel offers now; list the published model releases, propose withdrawing one fleet-wide or
 * promoting the challenger one carries.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ADMIN_ROLES } from '../../shared/sync/admin-auth';
import {
  AppReleaseProposalSchema,
  AppRolloutProposalSchema,
  AppUpdateOfferSchema,
} from '../../shared/sync/app-updates';
import { ProposalAnswerSchema } from '../../shared/sync/proposals';
import { UPDATE_CHANNELS } from '../../shared/sync/release-bodies';
import { propose } from '../admin/proposals';
import { adminOf, type ServerContext } from '../http/context';
import { currentAppRelease, offerOf } from '../updates/app-releases';
import {
  ChallengerPromotionSchema,
  ModelReleaseSummarySchema,
  ModelWithdrawalInputSchema,
} from '../../shared/sync/fleet';
import { challengerOf, listModelReleases } from '../sync/fleet';

const ChannelOffers = z.strictObject({
  channels: z.array(z.strictObject({ channel: z.enum(UPDATE_CHANNELS), offer: AppUpdateOfferSchema.nullable() })),
});

export function registerReleaseRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const releaseManager = { access: 'admin', roles: ['release-manager'] } as const;

  routes.get(
    '/app-releases',
    { config: { access: 'admin', roles: ADMIN_ROLES }, schema: { response: { 200: ChannelOffers } } },
    async () => ({
      channels: await Promise.all(
        UPDATE_CHANNELS.map(async (channel) => {
          const row = await currentAppRelease(ctx.database.db, channel);
          return { channel, offer: row === undefined ? null : offerOf(row) };
        }),
      ),
    }),
  );

  routes.post(
    '/app-releases',
    { config: releaseManager, schema: { body: AppReleaseProposalSchema, response: { 202: ProposalAnswerSchema } } },
    async (request, reply) =>
      reply
        .code(202)
        .send({ proposal: await propose(ctx, adminOf(request), { kind: 'app.release', body: request.body }) }),
  );

  routes.post(
    '/app-releases/rollout',
    { config: releaseManager, schema: { body: AppRolloutProposalSchema, response: { 202: ProposalAnswerSchema } } },
    async (request, reply) =>
      reply
        .code(202)
        .send({ proposal: await propose(ctx, adminOf(request), { kind: 'app.rollout', body: request.body }) }),
  );

  routes.get(
    '/model-releases',
    {
      config: { access: 'admin', roles: ADMIN_ROLES },
      schema: { response: { 200: z.strictObject({ releases: z.array(ModelReleaseSummarySchema) }) } },
    },
    async () => ({ releases: await listModelReleases(ctx.database.db) }),
  );

  // Fleet-wide withdrawal of a model release: a proposal until a second release manager approves it.
  routes.post(
    '/model-releases/withdraw',
    { config: releaseManager, schema: { body: ModelWithdrawalInputSchema, response: { 202: ProposalAnswerSchema } } },
    async (request, reply) =>
      reply
        .code(202)
        .send({ proposal: await propose(ctx, adminOf(request), { kind: 'model.withdrawal', body: request.body }) }),
  );

  // Promoting a challenger: a model release of the challenger's package as champion, four eyes like any other.
  routes.post(
    '/model-releases/promote',
    { config: releaseManager, schema: { body: ChallengerPromotionSchema, response: { 202: ProposalAnswerSchema } } },
    async (request, reply) => {
      const files = await challengerOf(ctx.database.db, request.body.from);
      const body = { version: request.body.version, files };
      return reply.code(202).send({ proposal: await propose(ctx, adminOf(request), { kind: 'model.release', body }) });
    },
  );
}
