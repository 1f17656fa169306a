/** Device-facing endpoints: enrolment, token refresh, push and pull. */
import type { FastifyInstance } from 'fastify';
import { ChallengeRequestSchema, EnrolRequestSchema, TokenRequestSchema } from '../../shared/sync/auth';
import type { EnrolResponse } from '../../shared/sync/auth';
import { PullQuerySchema } from '../../shared/sync/pull';
import { PushRequestSchema } from '../../shared/sync/push';
import { requireDevice, type ServerContext } from '../http/context';
import { parseOr400 } from '../http/errors';
import { createChallenge, enrolDevice, exchangeChallenge } from '../sync/enrolment';
import { readFeed } from '../sync/feed';
import { ingestPush } from '../sync/ingest';

/** A full batch of 1,000 entries with attachments fits comfortably. */
export const PUSH_BODY_LIMIT = 8 * 1024 * 1024;

export function deviceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const db = ctx.database.db;
  /** Enrolment and token endpoints are unauthenticated: a tighter per-IP budget against guessing and floods. */
  const enrolLimit = { rateLimit: { max: ctx.enrolPerIpPerMinute, timeWindow: 60_000 } };

  app.post('/v1/enrol', { config: enrolLimit }, async (request, reply) => {
    const input = parseOr400(EnrolRequestSchema, request.body);
    const now = ctx.now();
    const enrolled = await enrolDevice(db, input, now);
    const body: EnrolResponse = {
      ...enrolled,
      serverPublicKey: ctx.secrets.publicKey,
      accessToken: ctx.tokens.issue(enrolled.deviceId, now),
    };
    return reply.code(201).send(body);
  });

  app.post('/v1/auth/challenge', { config: enrolLimit }, async (request) => {
    const input = parseOr400(ChallengeRequestSchema, request.body);
    return createChallenge(db, input.deviceId, ctx.now());
  });

  app.post('/v1/auth/token', { config: enrolLimit }, async (request) => {
    const input = parseOr400(TokenRequestSchema, request.body);
    return exchangeChallenge(db, ctx.tokens, input, ctx.now());
  });

  app.post('/v1/sync/push', { bodyLimit: PUSH_BODY_LIMIT }, async (request) => {
    const device = await requireDevice(ctx, request);
    const input = parseOr400(PushRequestSchema, request.body);
    return ingestPush(db, ctx.secrets, device.deviceId, input, ctx.now());
  });

  app.get('/v1/sync/pull', async (request) => {
    const device = await requireDevice(ctx, request);
    const query = parseOr400(PullQuerySchema, request.query);
    return readFeed(db, device, query.after, query.limit);
  });
}
