/**
 * Composes the central API: a Fastify instance over an open database. No module-level state, so tests start as many
 * servers as they like; the CLI (server/cli/main.ts) adds configuration, signals and logging.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Database } from './db/database';
import type { ServerContext } from './http/context';
import { createDeviceLimiter } from './http/device-limiter';
import { harden } from './http/hardening';
import { adminRoutes } from './routes/admin-routes';
import { deviceRoutes } from './routes/device-routes';
import { healthRoutes } from './routes/health';
import { createAccessTokens } from './security/access-tokens';
import { adminGate } from './security/admin-token';
import { loadServerSecrets } from './security/secrets';
import { recordFailure } from './sync/records';

export interface AppOptions {
  readonly database: Database;
  /** SHA-256 (hex) of the admin token; undefined: the admin API refuses everyone. */
  readonly adminTokenHash: string | undefined;
  readonly accessTokenTtlSeconds?: number;
  readonly rateLimitPerIpPerMinute?: number;
  readonly rateLimitPerDevicePerMinute?: number;
  /** Enrolment, challenge and token requests per IP per minute (default 20). */
  readonly rateLimitEnrolPerIpPerMinute?: number;
  readonly trustProxy?: boolean;
  readonly logger?: FastifyServerOptions['logger'];
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
  ],
  censor: '[redacted]',
};

export async function buildServer(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: DEFAULT_BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    connectionTimeout: 60_000,
    requestTimeout: 120_000,
  });
  const secrets = await loadServerSecrets(options.database.db);
  const ctx: ServerContext = {
    database: options.database,
    secrets,
    tokens: createAccessTokens(secrets.tokenKey, options.accessTokenTtlSeconds ?? 600),
    admin: adminGate(options.adminTokenHash),
    deviceLimiter: createDeviceLimiter(options.rateLimitPerDevicePerMinute ?? 600),
    enrolPerIpPerMinute: options.rateLimitEnrolPerIpPerMinute ?? 20,
    now: options.now ?? (() => new Date()),
    deviceOf: new WeakMap(),
  };
  await harden(app, {
    perIpPerMinute: options.rateLimitPerIpPerMinute ?? 1200,
    onRefused: async (request, error) => {
      const deviceId = ctx.deviceOf.get(request);
      // Only authenticated devices' refusals are stored: an anonymous flood must not write to the database.
      if (deviceId !== undefined && error.code !== 'RATE_LIMITED') {
        await recordFailure(options.database.db, {
          deviceId,
          route: request.url.split('?')[0] ?? request.url,
          code: error.code,
          detail: error.message,
          at: ctx.now(),
        });
      }
    },
  });
  healthRoutes(app, ctx);
  deviceRoutes(app, ctx);
  adminRoutes(app, ctx);
  return app;
}
