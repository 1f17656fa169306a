/** What route handlers share: the database, secrets, token service, limits and clock. */
import type { FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/database';
import { devices } from '../db/schema';
import type { AccessTokens } from '../security/access-tokens';
import type { AdminGate } from '../security/admin-token';
import type { ServerSecrets } from '../security/secrets';
import type { DeviceLimiter } from './device-limiter';
import { ApiError } from './errors';

export type DeviceRow = typeof devices.$inferSelect;

export interface ServerContext {
  readonly database: Database;
  readonly secrets: ServerSecrets;
  readonly tokens: AccessTokens;
  readonly admin: AdminGate;
  readonly deviceLimiter: DeviceLimiter;
  readonly enrolPerIpPerMinute: number;
  readonly now: () => Date;
  /** Device of an authenticated request, for failure records. */
  readonly deviceOf: WeakMap<FastifyRequest, string>;
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') === true ? header.slice(7) : undefined;
}

/** Checks the access token, the device's standing and its request budget. */
export async function requireDevice(ctx: ServerContext, request: FastifyRequest): Promise<DeviceRow> {
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
  if (!ctx.deviceLimiter.take(check.deviceId, now)) {
    throw new ApiError(429, 'RATE_LIMITED', 'Too many requests from this device; retry later.');
  }
  const device = (await ctx.database.db.select().from(devices).where(eq(devices.deviceId, check.deviceId)))[0];
  if (device === undefined) {
    throw new ApiError(401, 'UNAUTHENTICATED', 'Unknown device.');
  }
  ctx.deviceOf.set(request, device.deviceId);
  if (device.revokedAt !== null) {
    throw new ApiError(403, 'DEVICE_REVOKED', 'This device has been revoked.');
  }
  return device;
}

export function requireAdmin(ctx: ServerContext, request: FastifyRequest): void {
  const token = bearer(request);
  if (token === undefined || !ctx.admin.accepts(token)) {
    throw new ApiError(401, 'UNAUTHENTICATED', 'A valid admin token is required.');
  }
}
