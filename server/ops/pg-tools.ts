/**
 * Runs PostgreSQL's own client tools (pg_dump, pg_restore) for backups and restores. They are the supported way to
 * copy a PostgreSQL database consistently, so they are called rather than re-implemented. Each runs through
 * `execFile` (no shell to interpret a file name), with the connection in PG* environment variables: a password on
 * the command line would be visible to every user of the host through `ps`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';

export type OpsErrorCode =
  | 'OPS_USAGE'
  | 'OPS_URL_INVALID'
  | 'OPS_TOOL_MISSING'
  | 'OPS_TOOL_FAILED'
  | 'OPS_DUMP_INVALID'
  | 'OPS_DUMP_UNEXPECTED'
  | 'OPS_DUMP_UNSIGNED'
  | 'OPS_DUMP_SIGNATURE_INVALID'
  | 'OPS_CHECKSUM_MISSING'
  | 'OPS_CHECKSUM_MISMATCH'
  | 'OPS_TARGET_NOT_EMPTY'
  | 'OPS_TARGET_IN_USE'
  | 'OPS_EMBEDDED_DATABASE'
  | 'OPS_BACKUP_REQUIRED'
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
  /** PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE and the TLS settings the URL asks for, as libpq reads them. */
  readonly env: Readonly<Record<string, string>>;
  readonly database: string;
  /** Host, port and database, for messages: no user, no password. */
  readonly label: string;
  /** The password, so that output can be scrubbed of it. */
  readonly secret: string | undefined;
  /** The URL itself, for this process's own clients (node-postgres reads the same TLS settings from it). */
  readonly url: string;
}

/**
 * URL parameters with a libpq environment variable. Any other parameter is refused rather than dropped: a dump taken
 * without a setting the server's connection uses (a search_path in `options`, say) would copy something else.
 */
const URL_PARAMETERS: Readonly<Record<string, string>> = {
  host: 'PGHOST',
  sslmode: 'PGSSLMODE',
  sslrootcert: 'PGSSLROOTCERT',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  application_name: 'PGAPPNAME',
  channel_binding: 'PGCHANNELBINDING',
};

/**
 * Database names the commands accept. The name reaches pg_restore as `--dbname=<name>`, and libpq reads a dbname
 * holding `=` (or starting `postgres://`) as a whole connection string: host, user and TLS would come from it.
 */
const DATABASE_NAME = /^[A-Za-z0-9_-]+$/;

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
  const password = parsed.password === '' ? undefined : decodeURIComponent(parsed.password);
  const env: Record<string, string> = {
    PGPORT: parsed.port === '' ? '5432' : parsed.port,
    PGDATABASE: database,
  };
  if (parsed.hostname !== '') {
    env.PGHOST = decodeURIComponent(parsed.hostname).replace(/^\[|\]$/g, '');
  }
  for (const [name, value] of parsed.searchParams) {
    const variable = URL_PARAMETERS[name];
    if (variable === undefined) {
      throw new OpsError(
        'OPS_URL_INVALID',
        `DATABASE_URL parameter "${name}" is not understood by the backup commands (they understand ` +
          `${Object.keys(URL_PARAMETERS).join(', ')}).`,
      );
    }
    env[variable] = value;
  }
  if (database === '' || env.PGHOST === undefined || env.PGHOST === '') {
    throw new OpsError('OPS_URL_INVALID', 'DATABASE_URL must name a host (or ?host=<socket folder>) and a database.');
  }
  if (!DATABASE_NAME.test(database)) {
    throw new OpsError(
      'OPS_URL_INVALID',
      'The database name in DATABASE_URL may hold only letters, digits, _ and - (the backup commands pass it to ' +
        'pg_restore, which would read other characters as connection settings).',
    );
  }
  if (parsed.username !== '') {
    env.PGUSER = decodeURIComponent(parsed.username);
  }
  if (password !== undefined) {
    env.PGPASSWORD = password;
  }
  return { env, database, label: `${env.PGHOST}:${env.PGPORT}/${database}`, secret: password, url };
}

/** The same server, another database (restore targets, scratch databases in the drills). */
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

/**
 * What of a tool's stderr reaches the operator: the password scrubbed, and PostgreSQL's DETAIL and CONTEXT lines
 * dropped, because those quote row values (`Key (username)=(…) already exists`), which may be personal data.
 */
export function toolDiagnostic(stderr: string, connection: PgConnection | undefined): string {
  const scrubbed = connection === undefined ? stderr : scrub(stderr, connection);
  return scrubbed
    .split('\n')
    .filter((line) => !/^\s*(pg_\w+: )?(DETAIL|CONTEXT):/.test(line) && line.trim() !== '')
    .slice(-5)
    .join('\n');
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
  // Only what the tool needs: PATH to find it, HOME for ~/.pgpass and ~/.postgresql certificates, the locale, and
  // the connection; never the caller's DATABASE_URL or keyring variables.
  const childEnv: NodeJS.ProcessEnv = {
    PATH: env.PATH ?? '/usr/bin:/bin',
    ...(env.HOME === undefined ? {} : { HOME: env.HOME }),
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
      reject(
        new OpsError(
          'OPS_TOOL_FAILED',
          `${tool} failed (exit ${String(error.code)}): ${toolDiagnostic(stderr, connection)}`,
        ),
      );
    });
  });
}

/** A short-lived client of this process on the connection (counts, checks, the feed sequence). */
export async function withClient<T>(connection: PgConnection, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: connection.url, connectionTimeoutMillis: 10_000 });
  // A server that goes away mid-command must fail the command, not crash the process with an unhandled event.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new OpsError('OPS_TOOL_FAILED', `cannot connect to ${connection.label}: ${scrub(message, connection)}`);
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
