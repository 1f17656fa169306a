/**
 * A real central API for one test: its own PGlite data folder, a random admin token, a free port on 127.0.0.1.
 * Use `central` from this file's `test` (it extends the workstation `harness` fixture of ./fixtures).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from './fixtures';

export interface CentralServer {
  readonly url: string;
  /** The admin API token the server was started with (43 characters). */
  readonly adminToken: string;
  readonly dataDir: string;
  /** Everything the server printed, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

const READY = /NEXIS central API on (http:\/\/127\.0\.0\.1:\d+) \(pglite\)/;

export async function startCentralServer(): Promise<CentralServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nexis-central-e2e-'));
  const adminToken = randomBytes(32).toString('base64url');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXIS_SERVER_PORT: '0',
    NEXIS_SERVER_HOST: '127.0.0.1',
    NEXIS_SERVER_DATA: dataDir,
    NEXIS_ADMIN_TOKEN: adminToken,
    NEXIS_LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/cli/main.ts'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`central API did not start:\n${output}`)), 60_000);
    const onData = (): void => {
      const match = READY.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`central API exited with ${String(code)}:\n${output}`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) {
      return;
    }
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      // The server drains open connections for up to 10 s; a test run never waits that long.
      const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(forced);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, adminToken, dataDir, output: () => output, stop };
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
