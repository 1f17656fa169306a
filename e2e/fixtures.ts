/**
 * Every test gets its own browser harness process with a fresh data folder (and so a fresh encrypted database).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';

export interface Harness {
  readonly url: string;
  readonly dataDir: string;
  /** Stops the harness (e.g. to inspect the database file) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts the harness again on the same data folder (after `stop`); `url` then points at the new port. */
  restart(): Promise<void>;
}

export async function startHarness(
  dataDir: string,
  extraArgs: readonly string[] = [],
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/harness/serve.ts', '--data', dataDir, '--port', '0', ...extraArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NEXIS_DB_KEY: '' },
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`harness did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`harness exited with ${String(code)}:\n${output}`));
    });
  });
  return { url, child };
}

export const test = base.extend<{ harness: Harness; harnessArgs: readonly string[] }>({
  /** Extra harness flags for a spec (`test.use({ harnessArgs: ['--checkpoint-every', '5'] })`). */
  harnessArgs: [[], { option: true }],
  harness: async ({ harnessArgs }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nexis-e2e-'));
    let current: { url: string; child: ChildProcess } | null = await startHarness(dataDir, harnessArgs);
    let url = current.url;
    const stop = async (): Promise<void> => {
      if (!current) {
        return;
      }
      const { child } = current;
      current = null;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      // A graceful shutdown can wait on the browser's open connections; never let that hang the test run.
      const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(forced);
    };
    const restart = async (): Promise<void> => {
      await stop();
      current = await startHarness(dataDir, harnessArgs);
      url = current.url;
    };
    await use({
      get url() {
        return url;
      },
      dataDir,
      stop,
      restart,
    });
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect };
