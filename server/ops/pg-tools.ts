/**
 * Runs PostgreSQL's own client tools (pg_dump, pg_restore) for backups and restores. They are the supported way to
 * copy a PostgreSQL database consistently, so they are called rather than re-implemented. Each runs through
 * `execFile` (no shell to interpret a file name), with the connection in PG* environment variables: a password on
 * the command line would be visible to every user of the host through `ps`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export type OpsErrorCode =
  | 'OPS_USAGE'
  | 'OPS_URL_INVALID'
  | 'OPS_TOOL_MISSING'
  | 'OPS_TOOL_FAILED'
  | 'OPS_DUMP_INVALID'
  | 'OPS_CHECKSUM_MISSING'
  | 'OPS_CHECKSUM_MISMATCH'
  | 'OPS_TARGET_NOT_EMPTY'
  | 'OPS_EMBEDDED_DATABASE'
  | 'OPS_FILE_EXISTS';

/** A refused or failed operation; the message says what to do and never carries the database password. */
export class OpsError extends Error {
  readonly code: OpsErrorCode;
  constructor(code: OpsErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface PgConnection {
  /** PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (and PGSSLMODE when the URL asks for it). */
  readonly env: Readonly<Record<string, string>>;
  readonly database: string;
  /** Host, port and database, for messages: no user, no password. */
  readonly label: string;
  /** The password, so that output can be scrubbed of it. */
  readonly secret: string | undefined;
}

/** Splits a postgres:// URL into the environment libpq reads. */
export function connectionFromUrl(url: string): PgConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OpsError('OPS_URL_INVALID', 'DATABASE_URL is not a URL (postgres://user:password@host:port/database).');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new OpsError('OPS_URL_INVALID', 'DATABASE_URL must start with postgres:// or postgresql://.');
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database === '' || parsed.hostname === '') {
    throw new OpsError('OPS_URL_INVALID', 'DATABASE_URL must name a host and a database.');
  }
  const password = parsed.password === '' ? undefined : decodeURIComponent(parsed.password);
  const env: Record<string, string> = {
    PGHOST: parsed.hostname.replace(/^\[|\]$/g, ''),
    PGPORT: parsed.port === '' ? '5432' : parsed.port,
    PGDATABASE: database,
  };
  if (parsed.username !== '') {
    env.PGUSER = decodeURIComponent(parsed.username);
  }
  if (password !== undefined) {
    env.PGPASSWORD = password;
  }
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode !== null) {
    env.PGSSLMODE = sslmode;
  }
  return { env, database, label: `${env.PGHOST}:${env.PGPORT}/${database}`, secret: password };
}

/** The same server, another database (restore targets, test databases). */
export function urlForDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** Removes the password from text that reaches the operator (a tool's stderr may quote its connection). */
export function scrub(text: string, connection: PgConnection): string {
  const secret = connection.secret;
  return secret === undefined || secret === '' ? text : text.split(secret).join('[redacted]');
}

function binary(tool: 'pg_dump' | 'pg_restore', env: NodeJS.ProcessEnv): string {
  const dir = env.NEXIS_PG_BIN;
  return dir === undefined || dir === '' ? tool : join(dir, tool);
}

/** Output of a finished tool; stdout may be large (pg_restore --list of a big database). */
export interface ToolResult {
  readonly stdout: string;
  readonly stderr: string;
}

export function runPgTool(
  tool: 'pg_dump' | 'pg_restore',
  args: readonly string[],
  connection: PgConnection | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ToolResult> {
  const file = binary(tool, env);
  // Only what the tool needs: PATH to find it, the locale, and the connection; never the caller's DATABASE_URL.
  const childEnv: NodeJS.ProcessEnv = {
    PATH: env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    ...(connection?.env ?? {}),
  };
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { env: childEnv, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) {
        resolve({ stdout, stderr });
        return;
      }
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(
          new OpsError(
            'OPS_TOOL_MISSING',
            `${tool} was not found (${file}): install the PostgreSQL client tools of the server's major version, ` +
              'or set NEXIS_PG_BIN to the folder that holds them.',
          ),
        );
        return;
      }
      const detail = scrubbed(stderr, connection).trim().split('\n').slice(-5).join('\n');
      reject(new OpsError('OPS_TOOL_FAILED', `${tool} failed (exit ${String(error.code)}): ${detail}`));
    });
  });
}

function scrubbed(text: string, connection: PgConnection | undefined): string {
  return connection === undefined ? text : scrub(text, connection);
}
