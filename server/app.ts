/**
 * Composes the central API: a Fastify instance over an open database and a keyring. No module-level state, so tests
 * start as many servers as they like; the CLI (server/cli/main.ts) adds configuration, signals and logging.
 *
 * Each surface is an encapsulated plugin under its prefix, authenticating in its own `onRequest` hook
 * (server/routes/): public health, public device enrolment and token refresh, public administrator sign-in, the
 * device surface `/v1/sync` and the administrator surface `/v1/admin`. Routes validate and serialise with the shared
 * zod schemas (fastify-type-provider-zod), and every route must declare its access (server/http/access.ts).
 */
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { DEFAULT_ADMIN_POLICY, type AdminAuthPolicy } from './admin/accounts';
import type { Database } from './db/database';
import { trackRoutes, type RegisteredRoute } from './http/access';
import type { ServerContext } from './http/context';
import { refuseWhileDraining } from './http/draining';
import { registerCompression } from './http/compression';
import { createDeviceLimiter } from './http/device-limiter';
import { harden } from './http/hardening';
import { instrumentHttp } from './metrics/http';
import { createApiMetrics, type ApiMetrics } from './metrics/metrics';
import { monitoringSource } from './monitoring/cache';
import { adminAuthRoutes } from './routes/admin-auth-routes';
import { adminRoutes } from './routes/admin-routes';
import { deviceAuthRoutes } from './routes/device-auth-routes';
import { deviceRoutes } from './routes/device-routes';
import { healthRoutes } from './routes/health-routes';
import { updateRoutes } from './routes/update-routes';
import { createAccessTokens } from './security/access-tokens';
import type { Keyring } from './security/keyring';
import { OWASP_SCRYPT } from './security/passwords';
import { secretsFromKeyring } from './security/secrets';
import { recordFailure } from './sync/records';

export interface AppOptions {
  readonly database: Database;
  /** The server's keys, loaded from outside the database (server/security/keyring.ts). */
  readonly keyring: Keyring;
  readonly adminPolicy?: Partial<AdminAuthPolicy>;
  readonly accessTokenTtlSeconds?: number;
  readonly rateLimitPerIpPerMinute?: number;
  readonly rateLimitPerDevicePerMinute?: number;
  /** Enrolment, challenge, token and administrator sign-in requests per IP per minute (default 20). */
  readonly rateLimitEnrolPerIpPerMinute?: number;
  /** Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed; none by default. */
  readonly trustedProxies?: readonly string[];
  readonly logger?: FastifyServerOptions['logger'];
  /** App release files, a folder per channel (NEXIS_UPDATES_DIR); default `.nexis-data/updates`. */
  readonly updatesDir?: string;
  /** The server's data folder (NEXIS_SERVER_DATA): its filesystem's headroom is a metric. */
  readonly dataDir?: string;
  /** prom-client's process metrics (CPU, memory, event loop, GC) on this API's registry; default on. */
  readonly processMetrics?: boolean;
  readonly now?: () => Date;
}

/** Request bodies other than push and model uploads. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** Pino redaction: secrets and anything that could be personal data never reach the logs. */
export const LOG_REDACT = {
  paths: [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.remoteAddress',
    'req.remotePort',
    'req.body',
    'res.body',
    '*.publicKey',
    '*.code',
    '*.password',
    '*.newPassword',
    '*.totp',
    '*.ticket',
  ],
  censor: '[redacted]',
};

export interface CentralApi {
  readonly app: FastifyInstance;
  /** Every route with its declared access, for the classification test. */
  readonly routes: readonly RegisteredRoute[];
  /**
   * Begins a graceful stop: `/health/ready` answers 503 (`draining`) and every other route 503 `UNAVAILABLE` before
   * anything runs (server/http/draining.ts), so a proxy that polls readiness, or retries a 503 on the next upstream,
   * moves traffic away before `close()`.
   */
  startDraining(): void;
  /** This API's metrics registry and recorders (served by server/metrics/listener.ts, never on the API port). */
  readonly metrics: ApiMetrics;
}

export async function buildApi(options: AppOptions): Promise<CentralApi> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: DEFAULT_BODY_LIMIT,
    trustProxy:
      options.trustedProxies === undefined || options.trustedProxies.length === 0 ? false : [...options.trustedProxies],
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    connectionTimeout: 60_000,
    requestTimeout: 120_000,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('device', null);
  app.decorateRequest('admin', null);
  const routes = trackRoutes(app);
  const now = options.now ?? (() => new Date());
  const updatesDir = options.updatesDir ?? join('.nexis-data', 'updates');
  const monitoring = monitoringSource(options.database.db, now);
  const metrics = createApiMetrics({
    database: options.database,
    monitoring,
    volumes: [
      ...(options.dataDir === undefined ? [] : [{ name: 'data', path: options.dataDir }]),
      { name: 'updates', path: updatesDir },
    ],
    now,
    ...(options.processMetrics === undefined ? {} : { processMetrics: options.processMetrics }),
  });
  app.addHook('onClose', async () => metrics.close());
  const http = instrumentHttp(metrics);
  http.measure(app);

  const secrets = secretsFromKeyring(options.keyring);
  const ctx: ServerContext = {
    database: options.database,
    secrets,
    tokens: createAccessTokens(secrets.tokenKeys, options.accessTokenTtlSeconds ?? 600),
    adminPolicy: { ...DEFAULT_ADMIN_POLICY, scryptCost: OWASP_SCRYPT, ...options.adminPolicy },
    deviceLimiter: createDeviceLimiter(options.rateLimitPerDevicePerMinute ?? 600, options.database),
    enrolPerIpPerMinute: options.rateLimitEnrolPerIpPerMinute ?? 20,
    updatesDir,
    now,
    lifecycle: { draining: false },
    metrics,
    monitoring,
  };
  refuseWhileDraining(app, ctx);
  await harden(app, {
    perIpPerMinute: options.rateLimitPerIpPerMinute ?? 1200,
    onRefused: async (request, error) => {
      // Only authenticated devices' refusals are stored: an anonymous flood must not write to the database.
      if (request.device !== null && error.code !== 'RATE_LIMITED') {
        await recordFailure(options.database.db, {
          deviceId: request.device.deviceId,
          route: request.routeOptions.url ?? 'unknown',
          code: error.code,
          detail: error.message,
          at: ctx.now(),
        });
      }
    },
  });
  http.markPastIpBudget(app);
  await registerCompression(app);
  await app.register(healthRoutes, { ctx });
  await app.register(deviceAuthRoutes, { ctx, prefix: '/v1' });
  await app.register(adminAuthRoutes, { ctx, prefix: '/v1/auth/admin' });
  await app.register(deviceRoutes, { ctx, prefix: '/v1/sync' });
  await app.register(adminRoutes, { ctx, prefix: '/v1/admin' });
  await app.register(updateRoutes, { ctx, prefix: '/v1/sync/updates' });
  return {
    app,
    routes,
    startDraining: () => {
      ctx.lifecycle.draining = true;
    },
    metrics,
  };
}

export async function buildServer(options: AppOptions): Promise<FastifyInstance> {
  return (await buildApi(options)).app;
}
