/**
 * Loan outcomes (issue 14), inside the administrator surface: its `onRequest` hook has authenticated the
 * administrator and checked the route's roles before any of this runs. The import takes the core-banking file as it
 * is (`text/csv`, UTF-8); this plugin is its own scope so the CSV parser and the larger body limit apply here only.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ADMIN_ROLES } from '../../shared/sync/admin-auth';
import {
  OUTCOME_BODY_LIMIT,
  OutcomeImportRefusalSchema,
  OutcomeImportResultSchema,
  OutcomeListSchema,
  OutcomeQuerySchema,
} from '../../shared/sync/outcomes';
import { enforceSurface } from '../http/access';
import { adminOf, type ServerContext } from '../http/context';
import { ApiError } from '../http/errors';
import { importOutcomeCsv } from '../outcomes/import';
import { currentOutcomes, outcomeHistory } from '../outcomes/read';

/**
 * The release manager looks after the models in production, and outcomes are what those models are judged by; no
 * model-risk role exists yet (shared/sync/admin-auth.ts).
 */
export const OUTCOME_IMPORT_ROLES = ['release-manager'] as const;

/** `text/csv`, with no charset or UTF-8: ids, codes and dates are ASCII, and a Latin-1 export is refused as such. */
function isUtf8Csv(header: string | undefined): boolean {
  if (header === undefined) {
    return false;
  }
  const [type, ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'text/csv') {
    return false;
  }
  return params.every((p) => !p.startsWith('charset=') || p === 'charset=utf-8' || p === 'charset="utf-8"');
}

export const outcomeRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  enforceSurface(app, 'admin');
  const db = ctx.database.db;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => {
    done(null, body);
  });

  app.post(
    '/outcomes/import',
    {
      bodyLimit: OUTCOME_BODY_LIMIT,
      config: { access: 'admin', roles: OUTCOME_IMPORT_ROLES },
      schema: { response: { 200: OutcomeImportResultSchema, 422: OutcomeImportRefusalSchema } },
      // Before the body is read: anything but a UTF-8 CSV is refused by name rather than as a malformed request.
      preParsing: async (request) => {
        if (!isUtf8Csv(request.headers['content-type'])) {
          throw new ApiError(
            415,
            'INVALID_INPUT',
            'The body must be the CSV file itself: Content-Type text/csv (UTF-8).',
          );
        }
      },
    },
    async (request, reply) => {
      const body: unknown = request.body;
      const outcome = await importOutcomeCsv(db, ctx.secrets.signing, {
        body: typeof body === 'string' ? body : '',
        adminId: adminOf(request).adminId,
        now: ctx.now(),
      });
      if (!outcome.ok) {
        return reply.code(422).send({
          error: {
            code: 'INVALID_INPUT',
            message: `${outcome.errorCount} problem(s) in the file; nothing was imported.`,
          },
          errorCount: outcome.errorCount,
          errors: [...outcome.errors],
        });
      }
      return outcome.result;
    },
  );

  app.get(
    '/outcomes',
    {
      config: { access: 'admin', roles: ADMIN_ROLES },
      schema: { querystring: OutcomeQuerySchema, response: { 200: OutcomeListSchema } },
    },
    async (request) => ({
      outcomes:
        request.query.decisionId === undefined
          ? await currentOutcomes(db, { after: request.query.after, limit: request.query.limit })
          : await outcomeHistory(db, request.query.decisionId),
    }),
  );
};
