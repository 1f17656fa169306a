import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { electronBinary } from './e2e/electron-binary';

// Debian's Chromium by default (this project's CI cannot download Playwright's browsers);
// NEXIS_CHROMIUM_PATH overrides it, and an empty value uses Playwright's own browser.
const chromiumPath = process.env.NEXIS_CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : '');

if (electronBinary() === null) {
  // Said once per run, so nobody mistakes the skipped desktop smoke test for a passing one.
  console.log(
    '[electron smoke] SKIPPED: no Electron binary on this machine; e2e/electron.spec.ts runs where one exists.',
  );
}

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1360, height: 880 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      ...(chromiumPath === '' ? {} : { executablePath: chromiumPath }),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
