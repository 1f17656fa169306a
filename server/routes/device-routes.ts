/** Device surface (`/v1/sync`): every route needs a device access token, checked before the body is read. */
import { Transform, type Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ServerKeysResponseSchema } from '../../shared/sync/auth';
import { PullPageSchema, PullQuerySchema } from '../../shared/sync/pull';
import { PushRequestSchema, PushResponseSchema } from '../../shared/sync/push';
import { DEVICE_REPORT_BODY_LIMIT, DeviceReportAnswerSchema, DeviceReportSchema } from '../../shared/sync/fleet';
import { ChainPageSchema, ChainQuerySchema } from '../../shared/sync/recovery';
import { recordReport } from '../sync/fleet';
import { enforceSurface } from '../http/access';
import { authenticateDevice, deviceOf, type ServerContext } from '../http/context';
import { readChainTail } from '../sync/chain-tail';
import { ingestPush } from '../sync/ingest';
import { readFeed } from '../sync/feed';

/** Bytes of each push body as it is parsed, for the ingest metrics (a stream may arrive without a length). */
const bodyBytes = new WeakMap<object, number>();

function countBytes(request: object, payload: Readable): Readable {
  bodyBytes.set(request, 0);
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bodyBytes.set(request, (bodyBytes.get(request) ?? 0) + chunk.length);
      done(null, chunk);
    },
  });
  // Fastify compares the bytes received on the wire with Content-Length: a decoding stream before this one
  // (server/http/compression.ts) counts them as they arrive, so the count is read through, not copied.
  const source = payload as Readable & { receivedEncodedLength?: number };
  payload.on('error', (error) => counted.destroy(error));
  if (source.receivedEncodedLength !== undefined) {
    Object.defineProperty(counted, 'receivedEncodedLength', { get: () => source.receivedEncodedLength });
  }
  return payload.pipe(counted);
}

/** A full batch of 1,000 entries with attachments fits comfortably. */
export const PUSH_BODY_LIMIT = 8 * 1024 * 1024;

export const deviceRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  enforceSurface(app, 'device');
  const db = ctx.database.db;
  app.addHook('onRequest', async (request) => {
    request.device = await authenticateDevice(ctx, request);
  });

  app.post(
    '/push',
    {
      bodyLimit: PUSH_BODY_LIMIT,
      config: { access: 'device' },
      schema: { body: PushRequestSchema, response: { 200: PushResponseSchema } },
      preParsing: async (request, _reply, payload) => countBytes(request, payload),
    },
    async (request) => {
      const device = deviceOf(request);
      try {
        const response = await ingestPush(db, ctx.secrets, device.deviceId, request.body, ctx.now(), {
          countersignFailed: () => ctx.metrics.recordCountersignFailure(),
        });
        const newest = request.body.entries.at(-1);
        const newestAt = newest === undefined ? Number.NaN : Date.parse(newest.ts);
        ctx.metrics.recordIngest({
          branchId: device.branchId,
          stored: response.stored,
          bytes: bodyBytes.get(request) ?? 0,
          newestEventAt: Number.isNaN(newestAt) ? undefined : new Date(newestAt),
        });
        return response;
      } catch (error) {
        ctx.metrics.recordIngestRefused();
        throw error;
      }
    },
  );

  // The device's self-report for the fleet view, sent after each sync round: a few hundred bytes, and the feature bin
  // counts of recent months (shared/sync/fleet.ts; gzipped on the wire, limited here once inflated).
  app.post(
    '/report',
    {
      bodyLimit: DEVICE_REPORT_BODY_LIMIT,
      config: { access: 'device' },
      schema: { body: DeviceReportSchema, response: { 200: DeviceReportAnswerSchema } },
    },
    async (request) => {
      const now = ctx.now();
      await recordReport(db, deviceOf(request), request.body, now);
      return { receivedAt: now.toISOString() };
    },
  );

  app.get(
    '/server-keys',
    { config: { access: 'device' }, schema: { response: { 200: ServerKeysResponseSchema } } },
    () => ({ keys: [...ctx.secrets.signingChain] }),
  );

  app.get(
    '/pull',
    { config: { access: 'device' }, schema: { querystring: PullQuerySchema, response: { 200: PullPageSchema } } },
    async (request) => readFeed(db, deviceOf(request), request.query.after, request.query.limit),
  );

  // A workstation restored from an older recovery bundle fetches what it had pushed since (shared/sync/recovery.ts).
  app.get(
    '/chain',
    { config: { access: 'device' }, schema: { querystring: ChainQuerySchema, response: { 200: ChainPageSchema } } },
    async (request) => readChainTail(db, deviceOf(request).deviceId, request.query.after, request.query.limit),
  );
};
