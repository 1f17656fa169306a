/** The central API's settings, from the environment (documented in docs/server.md). */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** PostgreSQL URL; absent: embedded PGlite in `pgliteDir`. */
  readonly databaseUrl: string | undefined;
  readonly pgliteDir: string;
  readonly poolSize: number;
  /** Plain admin API token from NEXIS_ADMIN_TOKEN; absent: generated in development, admin API off in production. */
  readonly adminToken: string | undefined;
  readonly production: boolean;
  readonly accessTokenTtlSeconds: number;
  readonly rateLimitPerIpPerMinute: number;
  readonly rateLimitPerDevicePerMinute: number;
  readonly rateLimitEnrolPerIpPerMinute: number;
  /** Trust X-Forwarded-For from a reverse proxy (only behind one). */
  readonly trustProxy: boolean;
  readonly logLevel: string;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}

export const MIN_ADMIN_TOKEN_LENGTH = 32;

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const adminToken = env.NEXIS_ADMIN_TOKEN === '' ? undefined : env.NEXIS_ADMIN_TOKEN;
  if (adminToken !== undefined && adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new ConfigError(`NEXIS_ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  }
  return {
    host: env.NEXIS_SERVER_HOST ?? '127.0.0.1',
    port: integer(env, 'NEXIS_SERVER_PORT', 8787, 0, 65535),
    databaseUrl: env.DATABASE_URL === '' ? undefined : env.DATABASE_URL,
    pgliteDir: env.NEXIS_SERVER_DATA ?? '.nexis-data/server',
    poolSize: integer(env, 'NEXIS_DB_POOL_SIZE', 10, 1, 200),
    adminToken,
    production: env.NODE_ENV === 'production',
    accessTokenTtlSeconds: integer(env, 'NEXIS_ACCESS_TOKEN_TTL_SECONDS', 600, 30, 3600),
    rateLimitPerIpPerMinute: integer(env, 'NEXIS_RATE_LIMIT_IP_PER_MINUTE', 1200, 1, 10_000_000),
    rateLimitPerDevicePerMinute: integer(env, 'NEXIS_RATE_LIMIT_DEVICE_PER_MINUTE', 600, 1, 10_000_000),
    rateLimitEnrolPerIpPerMinute: integer(env, 'NEXIS_RATE_LIMIT_ENROL_PER_MINUTE', 20, 1, 10_000_000),
    trustProxy: env.NEXIS_TRUST_PROXY === '1',
    logLevel: env.NEXIS_LOG_LEVEL ?? 'info',
  };
}
