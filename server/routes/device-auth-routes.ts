/**
 * Public surface for devices: enrolment with a one-time code and token refresh by proof of possession. No identity
 * yet, so bodies are small, the per-IP budget is tight, and nothing is written unless the request proves something
 * (a valid code, a known device).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AccessTokenSchema,
  ChallengeRequestSchema,
  ChallengeResponseSchema,
  EnrolRequestSchema,
  EnrolResponseSchema,
  TokenRequestSchema,
} from '../../shared/sync/auth';
import { enforceSurface } from '../http/access';
import type { ServerContext } from '../http/context';
import { createChallenge, enrolDevice, exchangeChallenge } from '../sync/enrolment';

/** The largest of these bodies (an enrolment) is about 300 bytes. */
export const PUBLIC_BODY_LIMIT = 4 * 1024;

/**
 * Options of every unauthenticated authentication route: a small body, a tight per-IP budget of its own, and answers
 * that are never compressed.
 */
export function publicAuthRoute(ctx: ServerContext) {
  return {
    bodyLimit: PUBLIC_BODY_LIMIT,
    // Their answers carry credentials: never compressed, so their length says nothing about them (BREACH).
    compress: false,
    config: { access: 'public', rateLimit: { max: ctx.enrolPerIpPerMinute, timeWindow: 60_000 } },
  } as const;
}

export const deviceAuthRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  enforceSurface(app, 'public');
  const db = ctx.database.db;
  const route = publicAuthRoute(ctx);

  app.post(
    '/enrol',
    { ...route, schema: { body: EnrolRequestSchema, response: { 201: EnrolResponseSchema } } },
    async (request, reply) => {
      const now = ctx.now();
      const enrolled = await enrolDevice(db, ctx.secrets, request.body, now);
      return reply.code(201).send({
        ...enrolled,
        serverPublicKey: ctx.secrets.publicKey,
        serverKeyId: ctx.secrets.signing.keyId,
        accessToken: ctx.tokens.issue(enrolled.deviceId, now),
      });
    },
  );

  app.post(
    '/auth/challenge',
    { ...route, schema: { body: ChallengeRequestSchema, response: { 200: ChallengeResponseSchema } } },
    async (request) => createChallenge(db, request.body.deviceId, ctx.now()),
  );

  app.post(
    '/auth/token',
    { ...route, schema: { body: TokenRequestSchema, response: { 200: AccessTokenSchema } } },
    async (request) => exchangeChallenge(db, ctx.tokens, request.body, ctx.now()),
  );
};
