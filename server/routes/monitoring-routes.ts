/**
 * Model monitoring (issue 14, item 2), inside the administrator surface: its `onRequest` hook has authenticated the
 * administrator and checked the route's roles before any of this runs. Figures only (server/monitoring): every
 * administrator role may read them.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ADMIN_ROLES } from '../../shared/sync/admin-auth';
import { MonitoringQuerySchema, MonitoringReportSchema, type MonitoringReport } from '../../shared/sync/monitoring';
import { enforceSurface } from '../http/access';
import type { ServerContext } from '../http/context';
import { monitoringCsv } from '../../shared/sync/monitoring-csv';

function onlyModel(report: MonitoringReport, modelVersion: string | undefined): MonitoringReport {
  return modelVersion === undefined
    ? report
    : {
        ...report,
        models: report.models.filter((m) => m.modelVersion === modelVersion),
        flags: report.flags.filter((f) => f.modelVersion === modelVersion),
      };
}

export const monitoringRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  enforceSurface(app, 'admin');

  app.get(
    '/monitoring',
    {
      config: { access: 'admin', roles: ADMIN_ROLES },
      schema: { querystring: MonitoringQuerySchema, response: { 200: MonitoringReportSchema } },
    },
    async (request) =>
      onlyModel(await ctx.monitoring.fresh(request.query.performanceMonths), request.query.modelVersion),
  );

  app.get(
    '/monitoring/export',
    { config: { access: 'admin', roles: ADMIN_ROLES }, schema: { querystring: MonitoringQuerySchema } },
    async (request, reply) => {
      const report = onlyModel(await ctx.monitoring.fresh(request.query.performanceMonths), request.query.modelVersion);
      const day = report.generatedAt.slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="nexis-model-monitoring-${day}.csv"`)
        .send(monitoringCsv(report));
    },
  );
};
