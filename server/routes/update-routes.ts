/**
 * Update surface (`/v1/sync/updates/<channel>/`, part of the device surface): electron-updater's generic provider reads `latest*.yml` and the files
 * from here, and the workstation reads the signed offer (`release`) first. Device access tokens only, checked in
 * this plugin's own hook before anything is read; the server serves, each workstation verifies (electron/core/updates).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AppUpdateOfferSchema,
  FEED_FILES,
  UpdateChannelParamsSchema,
  UpdateFileParamsSchema,
} from '../../shared/sync/app-updates';
import { enforceSurface } from '../http/access';
import { authenticateDevice, type ServerContext } from '../http/context';
import { ApiError } from '../http/errors';
import { currentAppRelease, feedDocument, offerOf, openReleaseFile } from '../updates/app-releases';

export const updateRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  enforceSurface(app, 'device');
  const db = ctx.database.db;
  app.addHook('onRequest', async (request) => {
    request.device = await authenticateDevice(ctx, request);
  });

  const inForce = async (channel: 'pilot' | 'general') => {
    const row = await currentAppRelease(db, channel);
    if (row === undefined) {
      throw new ApiError(404, 'NOT_FOUND', `No app release is published on the ${channel} channel.`);
    }
    return row;
  };

  app.get(
    '/:channel/release',
    {
      config: { access: 'device' },
      schema: { params: UpdateChannelParamsSchema, response: { 200: AppUpdateOfferSchema } },
    },
    async (request) => offerOf(await inForce(request.params.channel)),
  );

  app.get(
    '/:channel/:file',
    { config: { access: 'device' }, schema: { params: UpdateFileParamsSchema } },
    async (request, reply) => {
      const row = await inForce(request.params.channel);
      const name = request.params.file;
      if ((FEED_FILES as readonly string[]).includes(name)) {
        return reply.type('text/yaml; charset=utf-8').header('cache-control', 'no-store').send(feedDocument(row));
      }
      const file = openReleaseFile(ctx.updatesDir, row, name);
      if (file === null) {
        throw new ApiError(404, 'NOT_FOUND', 'No such file in the release in force.');
      }
      return reply
        .type('application/octet-stream')
        .header('content-length', String(file.size))
        .header('cache-control', 'no-store')
        .send(file.stream);
    },
  );
};
