/**
 * Route classification. Every route declares who may call it (`config.access`) and, for administrator routes, which
 * roles (`config.roles`). Authentication is not decided here: each surface plugin (server/routes/) authenticates in
 * its own scoped `onRequest` hook, and `enforceSurface` makes a plugin refuse to register a route of another kind, so
 * a route can neither be unclassified nor sit in a plugin whose hook does not match its declaration.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { AdminRole } from '../../shared/sync/admin-auth';

export const ROUTE_ACCESS = ['public', 'device', 'admin'] as const;
export type RouteAccess = (typeof ROUTE_ACCESS)[number];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: anyone, an enrolled device with an access token, or a signed-in administrator. */
    access?: RouteAccess;
    /** Administrator routes: the roles allowed (any one suffices). */
    roles?: readonly AdminRole[];
  }
}

export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess | undefined;
  readonly roles: readonly AdminRole[] | undefined;
}

function configOf(route: RouteOptions): { access?: RouteAccess; roles?: readonly AdminRole[] } {
  return (route.config ?? {}) as { access?: RouteAccess; roles?: readonly AdminRole[] };
}

/**
 * Records every route the application registers (Fastify's `onRoute`, inherited by every plugin), and refuses to
 * become ready while any route is unclassified.
 */
export function trackRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const config = configOf(route);
    for (const method of methods) {
      routes.push({ method, url: route.url, access: config.access, roles: config.roles });
    }
  });
  app.addHook('onReady', async () => {
    const unclassified = routes.filter((r) => r.access === undefined || !ROUTE_ACCESS.includes(r.access));
    if (unclassified.length > 0) {
      throw new Error(`Unclassified routes: ${unclassified.map((r) => `${r.method} ${r.url}`).join(', ')}`);
    }
  });
  return routes;
}

/** Inside a surface plugin: every route registered there must declare this access (and admin routes their roles). */
export function enforceSurface(app: FastifyInstance, access: RouteAccess): void {
  app.addHook('onRoute', (route) => {
    const config = configOf(route);
    if (config.access !== access) {
      throw new Error(
        `${String(route.method)} ${route.url} is registered in the ${access} surface but declares ${String(config.access)}`,
      );
    }
    if (access === 'admin' && (config.roles === undefined || config.roles.length === 0)) {
      throw new Error(`${String(route.method)} ${route.url} is an administrator route without roles`);
    }
  });
}
