/**
 * A real central API for one test: its own temporary folder (PGlite data and the development keyring the server
 * creates beside it), two named administrators made with the bootstrap command, a free port on 127.0.0.1.
 * Use `central` from this file's `test` (it extends the workstation `harness` fixture of ./fixtures).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test as base } from './fixtures';

const run = promisify(execFile);

/** An administrator as the bootstrap command made them: the one-time password is replaced at the first sign-in. */
export interface CentralAdmin {
  readonly username: string;
  readonly oneTimePassword: string;
}

export interface CentralServer {
  readonly url: string;
  /** amina, then baraka: security-admin, release-manager and privacy-officer each. */
  readonly admins: readonly CentralAdmin[];
  readonly dataDir: string;
  /** Everything the server printed, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

const READY = /NEXIS central API on (http:\/\/127\.0\.0\.1:\d+) \(pglite\)/;
const ONE_TIME_PASSWORD =
  /One-time password \(shown once; replaced at first sign-in with TOTP enrolment\): ([0-9A-Z]{24})/;
const SERVER = ['--import', 'tsx', 'server/cli/main.ts'];
export const ADMIN_ROLES_FOR_TESTS = 'security-admin,release-manager,privacy-officer';
const ADMIN_NAMES = ['amina', 'baraka'] as const;

function serverEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXIS_SERVER_PORT: '0',
    // Tests run servers side by side: the metrics listener's default port (9464) would be taken by the second.
    NEXIS_METRICS_PORT: '0',
    NEXIS_SERVER_HOST: '127.0.0.1',
    NEXIS_SERVER_DATA: dataDir,
    NEXIS_LOG_LEVEL: 'warn',
  };
  // Refused now (administrators are named accounts), and a keyring from the environment would be shared: the
  // server makes its development keyring in this test's folder instead.
  delete env.NEXIS_ADMIN_TOKEN;
  delete env.NEXIS_SERVER_KEYS_FILE;
  delete env.NEXIS_SERVER_KEYS;
  delete env.DATABASE_URL;
  delete env.NODE_ENV;
  return env;
}

async function createAdmin(env: NodeJS.ProcessEnv, username: string): Promise<CentralAdmin> {
  const { stdout } = await run(
    process.execPath,
    [...SERVER, 'create-admin', '--username', username, '--roles', ADMIN_ROLES_FOR_TESTS],
    { env, timeout: 60_000 },
  );
  const oneTimePassword = ONE_TIME_PASSWORD.exec(stdout)?.[1];
  if (oneTimePassword === undefined) {
    throw new Error(`create-admin ${username} printed no one-time password:\n${stdout}`);
  }
  return { username, oneTimePassword };
}

export async function startCentralServer(): Promise<CentralServer> {
  // The keyring lands in the parent of the data folder: both go with this folder.
  const root = mkdtempSync(join(tmpdir(), 'nexis-central-e2e-'));
  const dataDir = join(root, 'data');
  const env = serverEnv(dataDir);
  let child: ChildProcess | undefined;
  let output = '';
  try {
    // One after the other: each opens the embedded database, which only one process may hold.
    const admins: CentralAdmin[] = [];
    for (const username of ADMIN_NAMES) {
      admins.push(await createAdmin(env, username));
    }
    const server = spawn(process.execPath, SERVER, { stdio: ['ignore', 'pipe', 'pipe'], env });
    child = server;
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    server.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });

    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`central API did not start:\n${output}`)), 60_000);
      const onData = (): void => {
        const match = READY.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          server.stdout.off('data', onData);
          resolve(match[1]);
        }
      };
      server.stdout.on('data', onData);
      server.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`central API exited with ${String(code)}:\n${output}`));
      });
    });

    let stopped = false;
    const stop = async (): Promise<void> => {
      if (stopped) {
        return;
      }
      stopped = true;
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
        server.kill('SIGTERM');
        // The server drains open connections for up to 10 s; a test run never waits that long.
        const forced = setTimeout(() => server.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(forced);
      }
      rmSync(root, { recursive: true, force: true });
    };
    return { url, admins, dataDir, output: () => output, stop };
  } catch (error) {
    child?.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** The bootstrap administrator of that name. */
export function centralAdmin(central: CentralServer, username: (typeof ADMIN_NAMES)[number]): CentralAdmin {
  const admin = central.admins.find((a) => a.username === username);
  if (admin === undefined) {
    throw new Error(`no administrator ${username}`);
  }
  return admin;
}

export const test = base.extend<{ central: CentralServer }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern; it has none.
  central: async ({}, use) => {
    const central = await startCentralServer();
    try {
      await use(central);
    } finally {
      await central.stop();
    }
  },
});

export { expect } from './fixtures';
