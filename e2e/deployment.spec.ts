/**
 * The deployment's "done when", in the real renderer: a workstation in the browser harness syncs through the
 * production topology — nginx terminating TLS with a certificate from a CA made for this run, two instances of the
 * production bundle started as server/Dockerfile starts them, one PostgreSQL as the least-privileged role
 * (server/testing/topology.ts, the same pieces as server/deployment/deployment.test.ts). The harness trusts that CA
 * the way a development build does (NODE_EXTRA_CA_CERTS: the system roots plus the bank's); the administrator signs
 * the console in through nginx, makes an enrolment code, enrols and syncs.
 *
 * Needs nginx and DATABASE_URL (a PostgreSQL superuser URL), as .ci/run provides; skipped, and says so, without them.
 */
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test, expect, startHarness } from './fixtures';
import type { CentralAdmin } from './central-server';
import { createEnrolmentCode, enrol, signInConsole, syncNow, workstationCard } from './pages/sync-console';
import { WorkstationPage } from './pages/workstation-page';
import {
  apiInstance,
  applyRoles,
  buildBundle,
  freePort,
  makeCertificateAuthority,
  nginxBinary,
  scratchDatabase,
  startNginx,
  type Instance,
  type NginxProxy,
} from '../server/testing/topology';

const run = promisify(execFile);
const SUPERUSER_URL = process.env.DATABASE_URL ?? '';
const available = nginxBinary() !== undefined && SUPERUSER_URL !== '';
const ONE_TIME_PASSWORD =
  /One-time password \(shown once; replaced at first sign-in with TOTP enrolment\): ([0-9A-Z]{24})/;

test('a workstation in the browser enrols and syncs through nginx with TLS and two production instances', async ({
  page,
}) => {
  test.skip(!available, 'needs nginx and DATABASE_URL (a PostgreSQL superuser URL)');
  test.setTimeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'nexis-e2e-deploy-'));
  let scratch: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
  let instances: Instance[] = [];
  let proxy: NginxProxy | undefined;
  let harness: { url: string; child: ChildProcess } | undefined;
  try {
    const root = await buildBundle(join(dir, 'app'));
    const main = join(root, 'server', 'dist', 'main.js');
    const tls = await makeCertificateAuthority(join(dir, 'tls'), 'bank');
    scratch = await scratchDatabase(SUPERUSER_URL, 'nexis_e2e_deploy');
    const secrets = join(dir, 'secrets');
    mkdirSync(secrets, { mode: 0o700 });
    await run(process.execPath, [main, 'keys:init', '--out', join(secrets, 'server-keys.json')]);
    writeFileSync(join(secrets, 'database-owner-url'), `${scratch.url}\n`, { mode: 0o600 });
    const ownerEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE_ENV: 'production',
      DATABASE_URL_FILE: join(secrets, 'database-owner-url'),
      NEXIS_SERVER_KEYS_FILE: join(secrets, 'server-keys.json'),
    };
    await run(process.execPath, [main, 'migrate', '--backup-dir', join(dir, 'backups')], { env: ownerEnv });
    const created = await run(
      process.execPath,
      [main, 'create-admin', '--username', 'amina', '--roles', 'security-admin,release-manager'],
      { env: ownerEnv },
    );
    const oneTimePassword = ONE_TIME_PASSWORD.exec(created.stdout)?.[1];
    expect(oneTimePassword, created.stdout).toBeDefined();
    const admin: CentralAdmin = { username: 'amina', oneTimePassword: oneTimePassword ?? '' };
    const appUrl = await applyRoles(scratch.url, randomBytes(18).toString('base64url'), secrets);
    writeFileSync(join(secrets, 'database-url'), `${appUrl}\n`, { mode: 0o600 });
    const env = {
      DATABASE_URL_FILE: join(secrets, 'database-url'),
      NEXIS_SERVER_KEYS_FILE: join(secrets, 'server-keys.json'),
      NEXIS_TRUSTED_PROXIES: '127.0.0.1',
      NEXIS_DRAIN_SECONDS: '1',
      NEXIS_LOG_LEVEL: 'warn',
    };
    instances = [
      apiInstance({ name: 'api-1', root, port: await freePort(), env }),
      apiInstance({ name: 'api-2', root, port: await freePort(), env }),
    ];
    await Promise.all(instances.map((i) => i.start()));
    proxy = await startNginx(join(dir, 'nginx'), {
      tls,
      upstreams: [`127.0.0.1:${instances[0]?.port ?? 0}`, `127.0.0.1:${instances[1]?.port ?? 0}`],
      port: await freePort(),
      perIp: { rate: '50r/s', burst: 200 },
    });
    const central = { url: proxy.url };

    // A development harness trusts the system roots plus what NODE_EXTRA_CA_CERTS adds: here, the bank's CA.
    process.env.NODE_EXTRA_CA_CERTS = tls.caFile;
    try {
      harness = await startHarness(join(dir, 'workstation'));
    } finally {
      delete process.env.NODE_EXTRA_CA_CERTS;
    }
    const app = new WorkstationPage(page);
    await app.open(harness.url);
    await app.setUp();
    await app.chooseColourScheme('Light');
    await app.goTo('Sync console');
    await signInConsole(page, central, admin);
    const code = await createEnrolmentCode(app, 'NBO-01');
    const deviceId = await enrol(page, central, code, 'NBO-01');
    await syncNow(page);
    const card = workstationCard(page);
    await expect(card).toContainText(central.url);
    await expect(card).toContainText('all entries acknowledged');
    // The central server countersigned the chain it received through the proxy.
    await expect(card).toContainText(/Countersigned\s*Entry #\d+/);
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect(page.getByText(deviceId).first()).toBeVisible();
    await app.screenshot('deployment-sync-through-nginx', { hideNotifications: true, fullPage: false });
    // Both the proxy and an instance saw the workstation's requests, over TLS.
    expect(proxy.accessLog()).toMatch(/POST \/v1\/enrol 201/);
    expect(proxy.accessLog()).toMatch(/POST \/v1\/sync\/push 200/);
  } finally {
    harness?.child.kill('SIGTERM');
    await proxy?.stop();
    await Promise.all(instances.map((i) => i.stop()));
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});
