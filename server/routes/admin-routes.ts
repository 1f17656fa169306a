/** Admin endpoints for the sync console (docs/server.md), behind the admin API token. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ActivityQuerySchema,
  CreateEnrolmentCodeSchema,
  ErasureInputSchema,
  OfficerInputSchema,
  WithdrawalInputSchema,
} from '../../shared/sync/admin';
import { DeviceIdSchema } from '../../shared/sync/primitives';
import { ModelReleaseSchema, PolicyReleaseSchema } from '../../shared/sync/pull';
import { requireAdmin, type ServerContext } from '../http/context';
import { parseOr400 } from '../http/errors';
import { branchActivity, listChainIssues, listDevices, listFailures } from '../sync/console';
import { createEnrolmentCode, revokeDevice } from '../sync/enrolment';
import { publishOfficer, publishRelease, publishRequest } from '../sync/publish';

/** Model packages are a few megabytes, base64-encoded. */
export const MODEL_BODY_LIMIT = 64 * 1024 * 1024;
const DeviceParamsSchema = z.strictObject({ deviceId: DeviceIdSchema });
const IssuesQuerySchema = z.strictObject({ deviceId: DeviceIdSchema.optional() });
const FailuresQuerySchema = z.strictObject({ before: z.coerce.number().int().min(1).optional() });

export function adminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const db = ctx.database.db;
  app.addHook('preHandler', async (request) => {
    if (request.url.startsWith('/v1/admin/')) {
      requireAdmin(ctx, request);
    }
  });

  app.post('/v1/admin/enrolment-codes', async (request, reply) => {
    const input = parseOr400(CreateEnrolmentCodeSchema, request.body);
    return reply.code(201).send(await createEnrolmentCode(db, input.branchId, input.ttlMinutes, ctx.now()));
  });

  app.get('/v1/admin/devices', async () => ({ devices: await listDevices(db) }));

  app.post('/v1/admin/devices/:deviceId/revoke', async (request) => {
    const { deviceId } = parseOr400(DeviceParamsSchema, request.params);
    return { deviceId, ...(await revokeDevice(db, deviceId, ctx.now())) };
  });

  app.get('/v1/admin/chain-issues', async (request) => {
    const query = parseOr400(IssuesQuerySchema, request.query);
    return { issues: await listChainIssues(db, query.deviceId) };
  });

  app.get('/v1/admin/failures', async (request) => {
    const query = parseOr400(FailuresQuerySchema, request.query);
    return { failures: await listFailures(db, query.before) };
  });

  app.get('/v1/admin/activity', async (request) => {
    const query = parseOr400(ActivityQuerySchema, request.query);
    const since = query.since === undefined ? new Date(ctx.now().getTime() - 86_400_000) : new Date(query.since);
    return { since: since.toISOString(), branches: await branchActivity(db, since) };
  });

  app.post('/v1/admin/policy-releases', async (request, reply) => {
    const body = parseOr400(PolicyReleaseSchema, request.body);
    return reply.code(201).send(await publishRelease(db, { kind: 'policy', body }, ctx.now()));
  });

  app.post('/v1/admin/model-releases', { bodyLimit: MODEL_BODY_LIMIT }, async (request, reply) => {
    const body = parseOr400(ModelReleaseSchema, request.body);
    return reply.code(201).send(await publishRelease(db, { kind: 'model', body }, ctx.now()));
  });

  app.post('/v1/admin/officers', async (request, reply) => {
    const input = parseOr400(OfficerInputSchema, request.body);
    return reply.code(201).send(await publishOfficer(db, input, ctx.now()));
  });

  app.post('/v1/admin/erasure-requests', async (request, reply) => {
    const input = parseOr400(ErasureInputSchema, request.body);
    return reply.code(201).send(await publishRequest(db, { kind: 'applicant.erasure', input }, ctx.now()));
  });

  app.post('/v1/admin/consent-withdrawals', async (request, reply) => {
    const input = parseOr400(WithdrawalInputSchema, request.body);
    return reply.code(201).send(await publishRequest(db, { kind: 'consent.withdrawal', input }, ctx.now()));
  });
}
