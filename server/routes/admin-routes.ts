/**
 * Administrator surface (`/v1/admin`): the sync console's reads, and every change an administrator makes. The
 * session is checked in this plugin's `onRequest` hook, before the body is read, and the route's declared roles
 * right after; changes that reach every branch are four-eyes proposals (server/admin/proposals.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ActivityQuerySchema,
  BranchActivitySchema,
  ChainIssueSchema,
  CreateEnrolmentCodeSchema,
  DeviceSummarySchema,
  EnrolmentCodeCreatedSchema,
  ErasureInputSchema,
  FailureSchema,
  WithdrawalInputSchema,
} from '../../shared/sync/admin';
import {
  ADMIN_ROLES,
  AdminAccountSchema,
  AdminPrincipalSchema,
  AdminRolesSchema,
  AdminUsernameSchema,
  type AdminRole,
} from '../../shared/sync/admin-auth';
import { ServerAuditQuerySchema, ServerAuditPageSchema } from '../../shared/sync/server-audit';
import { DeviceIdSchema } from '../../shared/sync/primitives';
import {
  ProposalAnswerSchema,
  ProposalDecisionSchema,
  ProposalIdParamsSchema,
  ProposalListQuerySchema,
  ProposalViewSchema,
} from '../../shared/sync/proposals';
import { ModelReleaseSchema } from '../../shared/sync/pull';
import { CreateRecoveryCodeSchema, RecoveryCodeCreatedSchema } from '../../shared/sync/recovery';
import { SignedOfficerGrantSchema, SignedPolicyReleaseSchema } from '../../shared/sync/signed-release';
import { authenticateAdmin, listAdmins, signOut } from '../admin/accounts';
import { decide, listProposals, propose } from '../admin/proposals';
import { appendServerAudit, listServerAudit } from '../audit/server-audit';
import { enforceSurface } from '../http/access';
import { adminOf, bearer, type ServerContext } from '../http/context';
import { ApiError } from '../http/errors';
import { branchActivity, listChainIssues, listDevices, listFailures } from '../sync/console';
import { createEnrolmentCode, createRecoveryCode } from '../sync/enrolment';
import { publishOfficer, publishRequest } from '../sync/publish';
import { registerReleaseRoutes } from './admin-release-routes';
import { monitoringRoutes } from './monitoring-routes';
import { outcomeRoutes } from './outcome-routes';

/** Model packages are a few megabytes, base64-encoded. */
export const MODEL_BODY_LIMIT = 64 * 1024 * 1024;
const DeviceParamsSchema = z.strictObject({ deviceId: DeviceIdSchema });
const IssuesQuerySchema = z.strictObject({ deviceId: DeviceIdSchema.optional() });
const FailuresQuerySchema = z.strictObject({ before: z.coerce.number().int().min(1).optional() });
const ELEVATED_OFFICER_ROLES = new Set(['supervisor', 'admin']);

const reading = { access: 'admin', roles: ADMIN_ROLES } as const;
const as = (...roles: AdminRole[]) => ({ access: 'admin', roles }) as const;
const Proposed = ProposalAnswerSchema;
const FeedItem = z.strictObject({ feedItemId: z.number().int() });

export const adminRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  enforceSurface(app, 'admin');
  const db = ctx.database.db;
  app.addHook('onRequest', async (request) => {
    const admin = await authenticateAdmin(db, bearer(request), ctx.adminPolicy, ctx.now());
    const allowed = request.routeOptions.config.roles ?? [];
    if (!admin.roles.some((role) => allowed.includes(role))) {
      throw new ApiError(403, 'FORBIDDEN', `This needs one of the roles: ${allowed.join(', ')}.`);
    }
    request.admin = admin;
  });

  registerReleaseRoutes(app, ctx);
  // Its own scope: the CSV body parser and the larger body limit stay with the outcome routes.
  await app.register(outcomeRoutes, { ctx });
  await app.register(monitoringRoutes, { ctx });

  app.get('/session', { config: reading, schema: { response: { 200: AdminPrincipalSchema } } }, async (request) => {
    const { adminId, username, roles } = adminOf(request);
    return { adminId, username, roles };
  });

  app.post('/session/sign-out', { config: reading }, async (request, reply) => {
    await signOut(db, ctx.secrets, adminOf(request), ctx.now());
    return reply.code(204).send();
  });

  app.get(
    '/devices',
    { config: reading, schema: { response: { 200: z.strictObject({ devices: z.array(DeviceSummarySchema) }) } } },
    async () => ({ devices: await listDevices(db) }),
  );

  app.get(
    '/chain-issues',
    {
      config: reading,
      schema: {
        querystring: IssuesQuerySchema,
        response: { 200: z.strictObject({ issues: z.array(ChainIssueSchema) }) },
      },
    },
    async (request) => ({ issues: await listChainIssues(db, request.query.deviceId) }),
  );

  app.get(
    '/failures',
    {
      config: reading,
      schema: {
        querystring: FailuresQuerySchema,
        response: { 200: z.strictObject({ failures: z.array(FailureSchema) }) },
      },
    },
    async (request) => ({ failures: await listFailures(db, request.query.before) }),
  );

  app.get(
    '/activity',
    {
      config: reading,
      schema: {
        querystring: ActivityQuerySchema,
        response: { 200: z.strictObject({ since: z.string(), branches: z.array(BranchActivitySchema) }) },
      },
    },
    async (request) => {
      const since =
        request.query.since === undefined ? new Date(ctx.now().getTime() - 86_400_000) : new Date(request.query.since);
      return { since: since.toISOString(), branches: await branchActivity(db, since) };
    },
  );

  app.get(
    '/audit',
    { config: reading, schema: { querystring: ServerAuditQuerySchema, response: { 200: ServerAuditPageSchema } } },
    async (request) => ({ entries: await listServerAudit(db, request.query) }),
  );

  app.get(
    '/administrators',
    { config: reading, schema: { response: { 200: z.strictObject({ administrators: z.array(AdminAccountSchema) }) } } },
    async () => ({ administrators: await listAdmins(db) }),
  );

  app.get(
    '/proposals',
    {
      config: reading,
      schema: {
        querystring: ProposalListQuerySchema,
        response: { 200: z.strictObject({ proposals: z.array(ProposalViewSchema) }) },
      },
    },
    async (request) => ({ proposals: await listProposals(db, request.query.status) }),
  );

  app.post(
    '/proposals/:proposalId/approve',
    {
      // May carry a new administrator's one-time password next to the approver's reason: never compressed (BREACH).
      compress: false,
      config: as('security-admin', 'release-manager', 'privacy-officer'),
      schema: {
        params: ProposalIdParamsSchema,
        body: ProposalDecisionSchema,
        response: {
          200: ProposalAnswerSchema.extend({
            createdAdmin: z
              .strictObject({ adminId: z.string(), username: z.string(), oneTimePassword: z.string() })
              .optional(),
          }),
        },
      },
    },
    async (request) => {
      const outcome = await decide(ctx, adminOf(request), request.params.proposalId, 'approve', request.body.reason);
      const created = outcome.createdAdmin;
      return {
        proposal: outcome.proposal,
        ...(created === undefined
          ? {}
          : {
              createdAdmin: {
                adminId: created.adminId,
                username: created.username,
                oneTimePassword: created.oneTimePassword,
              },
            }),
      };
    },
  );

  app.post(
    '/proposals/:proposalId/reject',
    {
      config: as('security-admin', 'release-manager', 'privacy-officer'),
      schema: { params: ProposalIdParamsSchema, body: ProposalDecisionSchema, response: { 200: Proposed } },
    },
    async (request) => ({
      proposal: (await decide(ctx, adminOf(request), request.params.proposalId, 'reject', request.body.reason))
        .proposal,
    }),
  );

  // Security administrator: enrolment and recovery codes (direct), revocations and new administrators (four eyes).
  app.post(
    '/enrolment-codes',
    {
      // The answer is a one-time enrolment code: never compressed (BREACH).
      compress: false,
      config: as('security-admin'),
      schema: { body: CreateEnrolmentCodeSchema, response: { 201: EnrolmentCodeCreatedSchema } },
    },
    async (request, reply) => {
      const admin = adminOf(request);
      const now = ctx.now();
      const created = await db.transaction(async (tx) => {
        const code = await createEnrolmentCode(tx, request.body.branchId, request.body.ttlMinutes, now);
        await appendServerAudit(
          tx,
          ctx.secrets.signing,
          {
            actor: admin.adminId,
            action: 'enrolment.code_created',
            subject: request.body.branchId,
            payload: { expiresAt: code.expiresAt },
          },
          now,
        );
        return code;
      });
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/devices/:deviceId/recovery-code',
    {
      // The answer is a one-time recovery code: never compressed (BREACH).
      compress: false,
      config: as('security-admin'),
      schema: {
        params: DeviceParamsSchema,
        body: CreateRecoveryCodeSchema,
        response: { 201: RecoveryCodeCreatedSchema },
      },
    },
    async (request, reply) => {
      const admin = adminOf(request);
      const now = ctx.now();
      const created = await db.transaction(async (tx) => {
        const code = await createRecoveryCode(tx, request.params.deviceId, request.body.ttlMinutes, now);
        await appendServerAudit(
          tx,
          ctx.secrets.signing,
          {
            actor: admin.adminId,
            action: 'device.recovery_code_created',
            subject: code.deviceId,
            payload: { branchId: code.branchId, expiresAt: code.expiresAt },
          },
          now,
        );
        return code;
      });
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/devices/:deviceId/revoke',
    { config: as('security-admin'), schema: { params: DeviceParamsSchema, response: { 202: Proposed } } },
    async (request, reply) =>
      reply.code(202).send({
        proposal: await propose(ctx, adminOf(request), {
          kind: 'device.revoke',
          body: { deviceId: request.params.deviceId },
        }),
      }),
  );

  app.post(
    '/administrators',
    {
      config: as('security-admin'),
      schema: {
        body: z.strictObject({ username: AdminUsernameSchema, roles: AdminRolesSchema }),
        response: { 202: Proposed },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send({ proposal: await propose(ctx, adminOf(request), { kind: 'admin.create', body: request.body }) }),
  );

  // Release manager: policy and model releases (four eyes), officers (four eyes for supervisor and admin grants).
  app.post(
    '/policy-releases',
    { config: as('release-manager'), schema: { body: SignedPolicyReleaseSchema, response: { 202: Proposed } } },
    async (request, reply) =>
      reply
        .code(202)
        .send({ proposal: await propose(ctx, adminOf(request), { kind: 'policy.release', body: request.body }) }),
  );

  app.post(
    '/model-releases',
    {
      bodyLimit: MODEL_BODY_LIMIT,
      config: as('release-manager'),
      schema: { body: ModelReleaseSchema, response: { 202: Proposed } },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send({ proposal: await propose(ctx, adminOf(request), { kind: 'model.release', body: request.body }) }),
  );

  app.post(
    '/officers',
    {
      config: as('release-manager'),
      schema: { body: SignedOfficerGrantSchema, response: { 201: FeedItem, 202: Proposed } },
    },
    async (request, reply) => {
      const admin = adminOf(request);
      if (ELEVATED_OFFICER_ROLES.has(request.body.release.role)) {
        return reply
          .code(202)
          .send({ proposal: await propose(ctx, admin, { kind: 'officer.grant', body: request.body }) });
      }
      const now = ctx.now();
      const published = await db.transaction(async (tx) => {
        const item = await publishOfficer(tx, request.body, now);
        await appendServerAudit(
          tx,
          ctx.secrets.signing,
          {
            actor: admin.adminId,
            action: 'officer.published',
            subject: request.body.release.officerId,
            payload: {
              role: request.body.release.role,
              status: request.body.release.status,
              serial: request.body.serial,
            },
          },
          now,
        );
        return item;
      });
      return reply.code(201).send(published);
    },
  );

  // Privacy officer: bank-wide erasures (four eyes) and consent withdrawals (direct: they only stop processing).
  app.post(
    '/erasure-requests',
    { config: as('privacy-officer'), schema: { body: ErasureInputSchema, response: { 202: Proposed } } },
    async (request, reply) =>
      reply
        .code(202)
        .send({ proposal: await propose(ctx, adminOf(request), { kind: 'applicant.erasure', body: request.body }) }),
  );

  app.post(
    '/consent-withdrawals',
    { config: as('privacy-officer'), schema: { body: WithdrawalInputSchema, response: { 201: FeedItem } } },
    async (request, reply) => {
      const admin = adminOf(request);
      const now = ctx.now();
      const item = await db.transaction(async (tx) => {
        const published = await publishRequest(tx, { kind: 'consent.withdrawal', input: request.body }, now);
        await appendServerAudit(
          tx,
          ctx.secrets.signing,
          {
            actor: admin.adminId,
            action: 'consent.withdrawal_published',
            subject: request.body.applicantId,
            payload: { purpose: request.body.purpose },
          },
          now,
        );
        return published;
      });
      return reply.code(201).send(item);
    },
  );
};
