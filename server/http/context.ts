/**
 * What every route plugin shares: the database, the server's secrets, the token service, limits and clock, and the
 * authentication of devices. Authenticated identities are request decorations (`request.device`, `request.admin`),
 * set only by the `onRequest` hook of the surface plugin the route lives in (server/routes/).
 */
import type { FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import type { AdminPrincipal } from '../../shared/sync/admin-auth';
import type { AdminAuthPolicy } from '../admin/accounts';
import type { ApiMetrics } from '../metrics/metrics';
import type { MonitoringSource } from '../monitoring/cache';
import type { Database } from '../db/database';
import { devices } from '../db/schema';
import type { AccessTokens } from '../security/access-tokens';
import type { ServerSecrets } from '../security/secrets';
import type { DeviceLimiter } from './device-limiter';
import { ApiError } from './errors';

export type DeviceRow = typeof devices.$inferSelect;
export type AuthenticatedAdmin = AdminPrincipal & { readonly sessionHash: string };

declare module 'fastify' {
  interface FastifyRequest {
    /** The enrolled device of a device-surface request (null elsewhere). */
    device: DeviceRow | null;
    /** The signed-in administrator of an admin-surface request (null elsewhere). */
    admin: AuthenticatedAdmin | null;
  }
}

export interface ServerContext {
  readonly database: Database;
  readonly secrets: ServerSecrets;
  readonly tokens: AccessTokens;
  readonly adminPolicy: AdminAuthPolicy;
  readonly deviceLimiter: DeviceLimiter;
  readonly enrolPerIpPerMinute: number;
  /** Where operations place app release files, one folder per update channel (server/updates/app-releases.ts). */
  readonly updatesDir: string;
  readonly now: () => Date;
  /** Set when the process has been asked to stop: readiness answers 503 so the proxy stops sending new work. */
  readonly lifecycle: { draining: boolean };
  /** The API's metrics (server/metrics): recorders for what hooks cannot see, such as stored push entries. */
  readonly metrics: ApiMetrics;
  /** Model monitoring (server/monitoring): computed on request, the last report reused by the metrics. */
  readonly monitoring: MonitoringSource;
}

export function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') === true ? header.slice(7) : undefined;
}

/** Checks the access token, the device's standing and its request budget. */
export async function authenticateDevice(ctx: ServerContext, request: FastifyRequest): Promise<DeviceRow> {
  const token = bearer(request);
  if (token === undefined) {
    throw new ApiError(401, 'UNAUTHENTICATED', 'An access token is required.');
  }
  const now = ctx.now();
  const check = ctx.tokens.check(token, now);
  if (!check.ok) {
    throw new ApiError(
      401,
      check.code,
      check.code === 'TOKEN_EXPIRED' ? 'The access token expired.' : 'Invalid token.',
    );
  }
  if (!(await ctx.deviceLimiter.take(check.deviceId, now))) {
    throw new ApiError(429, 'RATE_LIMITED', 'Too many requests from this device; retry later.');
  }
  const device = (await ctx.database.db.select().from(devices).where(eq(devices.deviceId, check.deviceId)))[0];
  if (device === undefined) {
    throw new ApiError(401, 'UNAUTHENTICATED', 'Unknown device.');
  }
  if (device.revokedAt !== null) {
    // Decorated before refusing so the refusal is recorded against the device (failure list on the console).
    request.device = device;
    throw new ApiError(403, 'DEVICE_REVOKED', 'This device has been revoked.');
  }
  return device;
}

export function deviceOf(request: FastifyRequest): DeviceRow {
  if (request.device === null) {
    throw new ApiError(500, 'INTERNAL', 'Device route reached without authentication.');
  }
  return request.device;
}

export function adminOf(request: FastifyRequest): AuthenticatedAdmin {
  if (request.admin === null) {
    throw new ApiError(500, 'INTERNAL', 'Administrator route reached without authentication.');
  }
  return request.admin;
}
