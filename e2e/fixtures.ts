/**
 * Every test gets its own browser harness process with a fresh data folder (and so a fresh encrypted database), and
 * fails on any console error or uncaught page error in its browser context (the console-error gate).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type BrowserContext } from '@playwright/test';
import { harnessTrustArgs } from './releases';

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
    // The harness trusts this run's release key, not the development key (e2e/releases.ts).
    [
      '--import',
      'tsx',
      'electron/harness/serve.ts',
      '--data',
      dataDir,
      '--port',
      '0',
      ...harnessTrustArgs(),
      ...extraArgs,
    ],
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

/** A browser error a test expects, with why it is expected (a reason is required: prefer no entry at all). */
export interface ExpectedBrowserError {
  readonly pattern: RegExp;
  readonly reason: string;
}

/**
 * Errors every test may see. Empty on purpose: the renderer logs nothing to the console (ESLint forbids it) and
 * handles every failure it can foresee, so an error here is a bug to fix, not noise to filter.
 */
const EXPECTED_EVERYWHERE: readonly ExpectedBrowserError[] = [];

export interface BrowserError {
  readonly kind: 'console.error' | 'uncaught';
  readonly text: string;
  /** The page's address and, for a console message, where in the bundle it was logged. */
  readonly where: string;
}

/**
 * Records every console error and uncaught error of the context's pages. Use it for a context a test opens itself
 * (`browser.newContext()`), then `expectNoBrowserErrors` at its end; the `context` fixture below does both for the
 * default one.
 */
export function watchBrowserErrors(context: BrowserContext): BrowserError[] {
  const errors: BrowserError[] = [];
  context.on('console', (message) => {
    if (message.type() === 'error') {
      const { url, lineNumber } = message.location();
      errors.push({
        kind: 'console.error',
        text: message.text(),
        where: `${message.page()?.url() ?? 'no page'} (${url}:${String(lineNumber)})`,
      });
    }
  });
  context.on('weberror', (webError) => {
    const error = webError.error();
    errors.push({ kind: 'uncaught', text: error.stack ?? error.message, where: webError.page()?.url() ?? 'no page' });
  });
  return errors;
}

export function expectNoBrowserErrors(
  errors: readonly BrowserError[],
  expected: readonly ExpectedBrowserError[] = [],
): void {
  const allowed = [...EXPECTED_EVERYWHERE, ...expected];
  const unexpected = errors
    .filter((error) => !allowed.some(({ pattern }) => pattern.test(error.text)))
    .map((error) => `${error.kind} at ${error.where}: ${error.text}`);
  expect(unexpected, 'console errors or uncaught errors in the renderer (the console-error gate)').toEqual([]);
}

export const test = base.extend<{
  harness: Harness;
  harnessArgs: readonly string[];
  expectedBrowserErrors: readonly ExpectedBrowserError[];
}>({
  /** Extra harness flags for a spec (`test.use({ harnessArgs: ['--checkpoint-every', '5'] })`). */
  harnessArgs: [[], { option: true }],
  /** Browser errors a spec provokes on purpose, each with its reason (`test.use({ expectedBrowserErrors: [...] })`). */
  expectedBrowserErrors: [[], { option: true }],
  context: async ({ context, expectedBrowserErrors }, use) => {
    const errors = watchBrowserErrors(context);
    await use(context);
    expectNoBrowserErrors(errors, expectedBrowserErrors);
  },
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
