import { readFileSync } from 'node:fs';
import type { MigrationMode } from './db/database';

/** The central API's settings, from the environment (documented in docs/server.md). */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** PostgreSQL URL (DATABASE_URL, or read from the file DATABASE_URL_FILE); absent: embedded PGlite in `pgliteDir`. */
  readonly databaseUrl: string | undefined;
  readonly pgliteDir: string;
  readonly poolSize: number;
  readonly production: boolean;
  /**
   * NEXIS_MIGRATE: `apply` migrates on open; `verify` refuses a database with pending migrations.
   * Default `verify` in production, where migrating is a separate, backed-up step, and `apply` elsewhere.
   */
  readonly migrations: MigrationMode;
  readonly accessTokenTtlSeconds: number;
  readonly rateLimitPerIpPerMinute: number;
  readonly rateLimitPerDevicePerMinute: number;
  readonly rateLimitEnrolPerIpPerMinute: number;
  /** Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed; empty: none. */
  readonly trustedProxies: readonly string[];
  readonly logLevel: string;
  /**
   * NEXIS_DRAIN_SECONDS: after SIGTERM, how long readiness says not-ready while requests are still served, before
   * the listener closes (default 0 in development, 5 in production: longer than the proxy's readiness poll).
   */
  readonly drainSeconds: number;
  /** App release files, a folder per update channel (NEXIS_UPDATES_DIR). */
  readonly updatesDir: string;
  /**
   * The Prometheus listener (NEXIS_METRICS_HOST, NEXIS_METRICS_PORT; `off` disables it), separate from the API's
   * port; `token` (NEXIS_METRICS_TOKEN_FILE) is the bearer token a scrape must present.
   */
  readonly metrics: { readonly host: string; readonly port: number; readonly token: string | undefined } | null;
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

const PROXY = /^(\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?|[0-9a-f:]+(\/\d{1,3})?)$/i;

function proxies(env: NodeJS.ProcessEnv): string[] {
  if (env.NEXIS_TRUST_PROXY !== undefined && env.NEXIS_TRUST_PROXY !== '') {
    throw new ConfigError('NEXIS_TRUST_PROXY is gone: list the proxy addresses in NEXIS_TRUSTED_PROXIES instead');
  }
  const list = (env.NEXIS_TRUSTED_PROXIES ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const p of list) {
    if (!PROXY.test(p)) {
      throw new ConfigError(`NEXIS_TRUSTED_PROXIES: "${p}" is not an IP address or CIDR range`);
    }
  }
  return list;
}

/**
 * A secret given either inline (`NAME`) or, as container orchestrators mount them, in a file (`NAME_FILE`); never
 * both. The file's trailing newline is dropped.
 */
function secret(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const inline = env[name] === '' ? undefined : env[name];
  const file = env[`${name}_FILE`] === '' ? undefined : env[`${name}_FILE`];
  if (inline !== undefined && file !== undefined) {
    throw new ConfigError(`${name} and ${name}_FILE are both set: give one`);
  }
  if (file === undefined) {
    return inline;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${name}_FILE: ${file} cannot be read`);
  }
  const value = text.replace(/\r?\n$/, '');
  if (value === '') {
    throw new ConfigError(`${name}_FILE: ${file} is empty`);
  }
  return value;
}

/** A scrape token shorter than this is refused: it would be guessable. */
export const METRICS_TOKEN_MIN_LENGTH = 16;
const TOKEN = /^[\x21-\x7e]+$/;

function metrics(env: NodeJS.ProcessEnv): ServerConfig['metrics'] {
  const port = env.NEXIS_METRICS_PORT ?? '';
  if (port === 'off') {
    return null;
  }
  if (port !== '' && !/^\d{1,5}$/.test(port)) {
    throw new ConfigError('NEXIS_METRICS_PORT must be a port number (0: any free port) or off');
  }
  if (env.NEXIS_METRICS_TOKEN !== undefined && env.NEXIS_METRICS_TOKEN !== '') {
    throw new ConfigError(
      'NEXIS_METRICS_TOKEN is not read: put the scrape token in a file named by NEXIS_METRICS_TOKEN_FILE',
    );
  }
  const file = env.NEXIS_METRICS_TOKEN_FILE ?? '';
  let token: string | undefined;
  if (file !== '') {
    try {
      token = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch {
      throw new ConfigError(`NEXIS_METRICS_TOKEN_FILE: ${file} cannot be read`);
    }
    if (token.length < METRICS_TOKEN_MIN_LENGTH || !TOKEN.test(token)) {
      throw new ConfigError(
        `NEXIS_METRICS_TOKEN_FILE: the token must be at least ${METRICS_TOKEN_MIN_LENGTH} printable characters ` +
          'without spaces (e.g. openssl rand -hex 32)',
      );
    }
  }
  const host =
    env.NEXIS_METRICS_HOST === undefined || env.NEXIS_METRICS_HOST === '' ? '127.0.0.1' : env.NEXIS_METRICS_HOST;
  const parsed = integer(env, 'NEXIS_METRICS_PORT', 9464, 0, 65535);
  if (env.NEXIS_SERVER_PORT === String(parsed) && parsed !== 0) {
    throw new ConfigError(
      'NEXIS_METRICS_PORT must differ from NEXIS_SERVER_PORT: metrics are never served on the API port',
    );
  }
  return { host, port: parsed, token };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  if (env.NEXIS_ADMIN_TOKEN !== undefined && env.NEXIS_ADMIN_TOKEN !== '') {
    throw new ConfigError(
      'NEXIS_ADMIN_TOKEN is no longer accepted: administrators are named accounts (npm run server -- create-admin)',
    );
  }
  const production = env.NODE_ENV === 'production';
  const databaseUrl = secret(env, 'DATABASE_URL');
  if (production && databaseUrl === undefined && env.NEXIS_ALLOW_EMBEDDED_DB !== '1') {
    throw new ConfigError(
      'NODE_ENV=production needs PostgreSQL: set DATABASE_URL or DATABASE_URL_FILE ' +
        '(NEXIS_ALLOW_EMBEDDED_DB=1 runs on the embedded single-process database instead, for a trial only)',
    );
  }
  const migrate = env.NEXIS_MIGRATE === undefined || env.NEXIS_MIGRATE === '' ? undefined : env.NEXIS_MIGRATE;
  if (migrate !== undefined && migrate !== 'apply' && migrate !== 'verify') {
    throw new ConfigError('NEXIS_MIGRATE must be apply or verify');
  }
  return {
    host: env.NEXIS_SERVER_HOST ?? '127.0.0.1',
    port: integer(env, 'NEXIS_SERVER_PORT', 8787, 0, 65535),
    databaseUrl,
    pgliteDir: env.NEXIS_SERVER_DATA ?? '.nexis-data/server',
    poolSize: integer(env, 'NEXIS_DB_POOL_SIZE', 10, 1, 200),
    production,
    migrations: migrate ?? (production ? 'verify' : 'apply'),
    accessTokenTtlSeconds: integer(env, 'NEXIS_ACCESS_TOKEN_TTL_SECONDS', 600, 30, 3600),
    rateLimitPerIpPerMinute: integer(env, 'NEXIS_RATE_LIMIT_IP_PER_MINUTE', 1200, 1, 10_000_000),
    rateLimitPerDevicePerMinute: integer(env, 'NEXIS_RATE_LIMIT_DEVICE_PER_MINUTE', 600, 1, 10_000_000),
    rateLimitEnrolPerIpPerMinute: integer(env, 'NEXIS_RATE_LIMIT_ENROL_PER_MINUTE', 20, 1, 10_000_000),
    trustedProxies: proxies(env),
    logLevel: env.NEXIS_LOG_LEVEL ?? 'info',
    drainSeconds: integer(env, 'NEXIS_DRAIN_SECONDS', production ? 5 : 0, 0, 120),
    updatesDir: env.NEXIS_UPDATES_DIR ?? '.nexis-data/updates',
    metrics: metrics(env),
  };
}
