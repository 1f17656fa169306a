/**
 * The production topology, natively (deployment/docker-compose.prod.yml without a container engine): nginx terminates
 * TLS with a certificate from a CA made for this run; two instances of the production bundle, started as
 * server/Dockerfile starts them, share one PostgreSQL and connect as the least-privileged role of
 * deployment/postgres/roles.sql. A real workstation core enrols and syncs through https with that CA pinned and
 * refuses a proxy whose certificate another CA issued. Under continuous sync load the instances are restarted one at
 * a time: no request fails, no acknowledged event is lost or stored twice, and a draining instance leaves nginx's
 * rotation.
 *
 * Needs Debian's nginx and a PostgreSQL superuser URL in DATABASE_URL (.ci/run provides both); skipped, and says so,
 * without them.
 */
import { execFile } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempWorkstation, type TempWorkstation } from '../../electron/core/testing/temp-workstation';
import { consentFor, intakeReady, PERSON } from '../../electron/core/testing/intake-fixtures';
import { createHttpTransport } from '../../electron/core/sync/transport';
import { SyncError } from '../../electron/core/sync/types';
import { trustedTransportFor } from '../../electron/core/system/trust-config';
import { openDatabase, type Database } from '../db/database';
import { rowsOf } from '../db/rows';
import { auditEntries, chainIssues } from '../db/schema';
import { createEnrolmentCode } from '../sync/enrolment';
import { SimDevice } from '../testing/sim-device';
import {
  apiInstance,
  applyRoles,
  buildBundle,
  freePort,
  initRoles,
  makeCertificateAuthority,
  nginxBinary,
  scratchDatabase,
  startNginx,
  type CertificateAuthority,
  type Instance,
  type NginxProxy,
} from '../testing/topology';

const run = promisify(execFile);
const SUPERUSER_URL = process.env.DATABASE_URL;
const available = nginxBinary() !== undefined && SUPERUSER_URL !== undefined && SUPERUSER_URL !== '';
/** The suite's title says why it is skipped, where it is. */
const SKIPPED = available ? '' : ' (skipped: it needs nginx and DATABASE_URL, a PostgreSQL superuser URL)';

/**
 * A request's status over https with this run's CA (nginx's own refusals are HTML, not the API's JSON). The path is
 * sent as written: a URL object would resolve its dot segments first.
 */
function httpsStatus(
  base: string,
  path: string,
  caPem: string,
  options: { method?: 'GET' | 'POST'; body?: Buffer } = {},
): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: hostname,
        port,
        path,
        ca: caPem,
        method: options.method ?? 'GET',
        headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.once('error', reject);
    request.end(options.body);
  });
}

async function ok<T>(
  result: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
): Promise<T> {
  const settled = await result;
  if (!settled.ok) {
    throw new Error(`${settled.error.code}: ${settled.error.message}`);
  }
  return settled.value;
}

describe.skipIf(!available)(
  `deployment: nginx with TLS, two production-bundle instances, one PostgreSQL${SKIPPED}`,
  () => {
    let dir: string;
    let tls: CertificateAuthority;
    let stranger: CertificateAuthority;
    let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
    let owner: Database;
    let instances: [Instance, Instance];
    let proxy: NginxProxy;
    let metricsToken: string;
    let migrationReport = '';
    const enrolmentCode = async (branchId: string): Promise<string> =>
      (await createEnrolmentCode(owner.db, branchId, 30, new Date())).code;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'nexis-deploy-'));
      const root = await buildBundle(join(dir, 'app'));
      tls = await makeCertificateAuthority(join(dir, 'tls'), 'bank');
      stranger = await makeCertificateAuthority(join(dir, 'tls'), 'stranger');
      scratch = await scratchDatabase(SUPERUSER_URL ?? '', 'nexis_deploy');
      const secrets = join(dir, 'secrets');
      mkdirSync(secrets, { mode: 0o700 });
      const main = join(root, 'server', 'dist', 'main.js');
      await run(process.execPath, [main, 'keys:init', '--out', join(secrets, 'server-keys.json')]);
      // The compose file's first start: the superuser makes nexis_owner (not a superuser) the database's owner and
      // nexis_app its least-privileged user (deployment/postgres/init-roles.sh, roles.sql).
      const roles = await initRoles(scratch.url, secrets);
      // The owner migrates with the bundle's own command, backup first (the compose file's `migrate` step); the
      // instances only verify.
      writeFileSync(join(secrets, 'database-owner-url'), `${roles.ownerUrl}\n`, { mode: 0o600 });
      const migrated = await run(process.execPath, [main, 'migrate', '--backup-dir', join(dir, 'backups')], {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          NODE_ENV: 'production',
          DATABASE_URL_FILE: join(secrets, 'database-owner-url'),
          NEXIS_SERVER_KEYS_FILE: join(secrets, 'server-keys.json'),
        },
      });
      migrationReport = migrated.stdout;
      owner = await openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 2 }, { migrations: 'verify' });
      // After every migrate, the DBA runs roles.sql again (the revocations on the new tables).
      const appUrl = await applyRoles(scratch.url, new URL(roles.appUrl).password, secrets, 'nexis_owner');
      writeFileSync(join(secrets, 'database-url'), `${appUrl}\n`, { mode: 0o600 });
      metricsToken = randomBytes(24).toString('base64url');
      writeFileSync(join(secrets, 'metrics-token'), `${metricsToken}\n`, { mode: 0o600 });
      const env = {
        DATABASE_URL_FILE: join(secrets, 'database-url'),
        NEXIS_SERVER_KEYS_FILE: join(secrets, 'server-keys.json'),
        NEXIS_METRICS_TOKEN_FILE: join(secrets, 'metrics-token'),
        NEXIS_TRUSTED_PROXIES: '127.0.0.1',
        NEXIS_DRAIN_SECONDS: '2',
        NEXIS_DB_POOL_SIZE: '5',
        NEXIS_LOG_LEVEL: 'warn',
        // Every simulated device is on 127.0.0.1 here; a branch's few workstations are not.
        NEXIS_RATE_LIMIT_IP_PER_MINUTE: '100000',
      };
      instances = [
        apiInstance({ name: 'api-1', root, port: await freePort(), env }),
        apiInstance({ name: 'api-2', root, port: await freePort(), env }),
      ];
      await Promise.all(instances.map((i) => i.start()));
      proxy = await startNginx(join(dir, 'nginx'), {
        tls,
        upstreams: [`127.0.0.1:${instances[0].port}`, `127.0.0.1:${instances[1].port}`],
        port: await freePort(),
        perIp: { rate: '2000r/s', burst: 2000 },
      });
    }, 240_000);

    afterAll(async () => {
      await proxy?.stop();
      await Promise.all((instances ?? []).map((i) => i.stop()));
      await owner?.close();
      await scratch?.drop();
      rmSync(dir, { recursive: true, force: true });
    }, 60_000);

    it('serves only over TLS from the bank CA, and the instances run as the least-privileged role', async () => {
      const health = await createHttpTransport(proxy.url, 5_000, { caPem: tls.caPem }).request('GET', '/health');
      expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
      // Readiness asks the database: the instances' own health checks ask it, the proxy does not serve it.
      expect(await httpsStatus(proxy.url, '/health/ready', tls.caPem)).toBe(404);
      expect((await fetch(`${instances[0].url}/health/ready`)).status).toBe(200);
      // The production bundle migrated the empty database after taking a verified backup of it.
      expect(migrationReport).toMatch(/backup/i);
      // A workstation that trusts another CA does not talk to this proxy.
      await expect(
        createHttpTransport(proxy.url, 5_000, { caPem: stranger.caPem }).request('GET', '/health'),
      ).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringMatching(/not one this workstation trusts/) });
      // Plain http on the TLS port is not served.
      const plain = await fetch(proxy.url.replace('https:', 'http:') + '/health').catch(() => null);
      expect(plain === null || plain.status === 400).toBe(true);

      const roles = rowsOf<{ usename: string }>(
        await owner.db.execute(
          sql`SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND usename <> current_user`,
        ),
      );
      expect(roles.map((r) => r.usename)).toEqual(['nexis_app']);
      // The schema belongs to the owner, who is not a superuser and migrated it.
      const tables = rowsOf<{ owner: string; superuser: boolean }>(
        await owner.db.execute(
          sql`SELECT DISTINCT t.tableowner AS owner, r.rolsuper AS superuser FROM pg_tables t
              JOIN pg_roles r ON r.rolname = t.tableowner WHERE t.schemaname IN ('public', 'drizzle')`,
        ),
      );
      expect(tables).toEqual([{ owner: 'nexis_owner', superuser: false }]);
      // What the instances' role cannot do: change the schema or rewrite the append-only records.
      const appUrl = readFileSync(join(dir, 'secrets', 'database-url'), 'utf8').trim();
      for (const statement of [
        'CREATE TABLE intruder (x int)',
        'UPDATE server_audit SET actor = actor',
        'DELETE FROM audit_entries',
        'DROP TABLE devices',
        'UPDATE audit_entries SET hash = hash',
        'UPDATE countersigned_checkpoints SET seq = seq',
        'TRUNCATE feed_items',
      ]) {
        await expect(run('psql', [appUrl, '-v', 'ON_ERROR_STOP=1', '-c', statement])).rejects.toMatchObject({
          stderr: expect.stringMatching(/permission denied|must be owner/),
        });
      }
      // What erasure needs is still allowed: clearing an entry's attachment.
      await expect(
        run('psql', [appUrl, '-v', 'ON_ERROR_STOP=1', '-c', 'UPDATE audit_entries SET attachment = NULL WHERE false']),
      ).resolves.toBeDefined();
      // A role someone escalated is put back by running the script again (as after every migrate or restore).
      await owner.db.execute(sql`ALTER ROLE nexis_app SUPERUSER CREATEDB`);
      await applyRoles(scratch.url, new URL(appUrl).password, join(dir, 'secrets'), 'nexis_owner');
      const attributes = rowsOf<{ rolsuper: boolean; rolcreatedb: boolean }>(
        await owner.db.execute(sql`SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = 'nexis_app'`),
      );
      expect(attributes).toEqual([{ rolsuper: false, rolcreatedb: false }]);
    });

    it('a workstation core with the CA pinned enrols and syncs through https; a proxy with a stranger CA is refused', async () => {
      const pinned = trustedTransportFor({ url: proxy.url, caPem: tls.caPem }, 10_000);
      const t: TempWorkstation = createTempWorkstation({ syncTransportFor: pinned, trustedServerUrl: proxy.url });
      const impostor = await startNginx(join(dir, 'impostor'), {
        tls: stranger,
        upstreams: [`127.0.0.1:${instances[0].port}`, `127.0.0.1:${instances[1].port}`],
        port: await freePort(),
        perIp: { rate: '50r/s', burst: 200 },
      });
      try {
        await intakeReady(t);
        // The same bank build, pointed at a proxy whose certificate another CA signed, sends nothing it would regret.
        const fooled = createTempWorkstation({
          syncTransportFor: trustedTransportFor({ url: impostor.url, caPem: tls.caPem }, 10_000),
          trustedServerUrl: impostor.url,
        });
        try {
          await intakeReady(fooled);
          const refused = await fooled.call('admin', 'sync:enrol', {
            serverUrl: impostor.url,
            code: await enrolmentCode('NBO-01'),
          });
          expect(refused).toMatchObject({ ok: false });
        } finally {
          fooled.cleanup();
        }
        expect(impostor.accessLog()).not.toMatch(/\/v1\/enrol/);

        const enrolled = await ok(
          t.call('admin', 'sync:enrol', { serverUrl: proxy.url, code: await enrolmentCode('NBO-01') }),
        );
        expect(enrolled).toMatchObject({ enrolled: true, branchId: 'NBO-01' });
        for (let i = 0; i < 3; i += 1) {
          await ok(t.call('officer', 'applicants:register', { personal: PERSON, consent: consentFor(t.ws) }));
        }
        const synced = await ok(t.call('admin', 'sync:now', {}));
        expect(synced).toMatchObject({ state: 'idle', backlog: 0 });
        expect(synced.ackedSeq).toBe(synced.headSeq);
        const stored = await owner.db
          .select({ seq: auditEntries.seq })
          .from(auditEntries)
          .where(eq(auditEntries.deviceId, t.ws.deviceKey.deviceId));
        expect(stored.length).toBe(synced.headSeq);
      } finally {
        t.cleanup();
        await impostor.stop();
      }
    }, 60_000);

    it('exports metrics on each instance behind its own token, never through the proxy', async () => {
      for (const instance of instances) {
        expect((await fetch(instance.metricsUrl)).status).toBe(401);
        const scraped = await fetch(instance.metricsUrl, { headers: { authorization: `Bearer ${metricsToken}` } });
        expect(scraped.status).toBe(200);
        expect(await scraped.text()).toMatch(/^nexis_http_requests_total\{/m);
      }
      const through = await createHttpTransport(proxy.url, 5_000, { caPem: tls.caPem }).request('GET', '/metrics');
      expect(through.status).toBe(404);
    });

    it('rolling restart under continuous sync: no request fails, nothing acknowledged is lost or stored twice', async () => {
      const transport = (url: string) => createHttpTransport(url, 15_000, { caPem: tls.caPem });
      const devices = Array.from({ length: 5 }, () => new SimDevice({ transport, checkpointEvery: 25, batchSize: 50 }));
      for (const device of devices) {
        await device.client(proxy.url).enrol(proxy.url, await enrolmentCode('MSA-02'));
      }
      // And a real workstation whose officer keeps registering applicants and asking for a sync.
      const officer = createTempWorkstation({
        syncTransportFor: trustedTransportFor({ url: proxy.url, caPem: tls.caPem }, 15_000),
        trustedServerUrl: proxy.url,
        syncIntervalMs: 600_000,
      });
      await intakeReady(officer);
      await ok(officer.call('admin', 'sync:enrol', { serverUrl: proxy.url, code: await enrolmentCode('MSA-02') }));
      const failures: string[] = [];
      const acknowledged = new Map<string, number>();
      let rounds = 0;
      let stopping = false;
      let officerActions = 0;
      const officerLoad = (async () => {
        while (!stopping) {
          const registered = await officer.call('officer', 'applicants:register', {
            personal: PERSON,
            consent: consentFor(officer.ws, { 'central-sync': true }),
          });
          const synced = await officer.call('admin', 'sync:now', {});
          if (!registered.ok || !synced.ok || synced.value.state === 'error') {
            failures.push(`officer: ${JSON.stringify(registered.ok ? synced : registered)}`);
          }
          officerActions += 1;
          await new Promise((r) => setTimeout(r, 300));
        }
      })();
      const load = devices.map(async (device, index) => {
        while (!stopping) {
          device.append(1 + ((rounds + index) % 17));
          try {
            const report = await device.client(proxy.url).syncOnce();
            acknowledged.set(device.deviceId, report.push.ackedSeq);
          } catch (error) {
            failures.push(error instanceof SyncError ? `${error.code}: ${error.message}` : String(error));
          }
          rounds += 1;
          // A busy branch, paced under the per-device budget (600 requests a minute, about four per round).
          await new Promise((r) => setTimeout(r, 400));
        }
      });

      const readyDuringDrain: number[] = [];
      const exitCodes: (number | null)[] = [];
      for (const instance of instances) {
        const before = rounds;
        while (rounds < before + 20) {
          await new Promise((r) => setTimeout(r, 50));
        }
        const stopped = instance.stop();
        // Draining: readiness says so while the process still runs (polled: a loaded machine may take a moment to
        // deliver the signal), until the listener closes.
        let drainingSeen = 0;
        for (let attempt = 0; attempt < 100 && drainingSeen === 0; attempt += 1) {
          const status = await fetch(`${instance.url}/health/ready`).then(
            (answer) => answer.status,
            () => -1,
          );
          if (status === 503 || status === -1) {
            drainingSeen = status;
          } else {
            await new Promise((r) => setTimeout(r, 25));
          }
        }
        readyDuringDrain.push(drainingSeen);
        exitCodes.push(await stopped);
        const logged = proxy.accessLog().length;
        await instance.start();
        // Back in nginx's rotation (it answered a request through the proxy) before the next instance stops; until
        // then nginx keeps it out for fail_timeout after the failures it saw.
        const served = `upstream=127.0.0.1:${instance.port} upstream_status=200`;
        for (let attempt = 0; attempt < 400 && !proxy.accessLog().slice(logged).includes(served); attempt += 1) {
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(proxy.accessLog().slice(logged)).toContain(served);
      }
      const afterRestarts = rounds;
      while (rounds < afterRestarts + 20) {
        await new Promise((r) => setTimeout(r, 50));
      }
      stopping = true;
      await Promise.all([...load, officerLoad]);

      expect(failures).toEqual([]);
      expect(readyDuringDrain).toEqual([503, 503]);
      expect(exitCodes).toEqual([0, 0]);
      for (const device of devices) {
        await device.client(proxy.url).syncOnce();
        const stored = await owner.db
          .select({ seq: auditEntries.seq, hash: auditEntries.hash })
          .from(auditEntries)
          .where(eq(auditEntries.deviceId, device.deviceId))
          .orderBy(asc(auditEntries.seq));
        expect(stored).toEqual(device.entries.map((e) => ({ seq: e.seq, hash: e.hash })));
        expect(stored.length).toBeGreaterThanOrEqual(acknowledged.get(device.deviceId) ?? 0);
      }
      const officerStatus = await ok(officer.call('admin', 'sync:now', {}));
      expect(officerStatus).toMatchObject({ state: 'idle', backlog: 0 });
      const officerStored = await owner.db
        .select({ seq: auditEntries.seq })
        .from(auditEntries)
        .where(eq(auditEntries.deviceId, officer.ws.deviceKey.deviceId))
        .orderBy(asc(auditEntries.seq));
      expect(officerStored.map((e) => e.seq)).toEqual(Array.from({ length: officerStatus.headSeq }, (_, i) => i + 1));
      expect(officerActions).toBeGreaterThan(10);
      officer.cleanup();
      expect(await owner.db.select().from(chainIssues)).toEqual([]);
      // Both instances served after their restart, and nginx sent some requests on to the other instance.
      const log = proxy.accessLog();
      for (const instance of instances) {
        expect(log).toContain(`upstream=127.0.0.1:${instance.port} upstream_status=200`);
      }
      // A request that reached a stopping instance (refused while draining, or its connection refused once closed)
      // was passed to the other one: the client saw only the second answer.
      const retried = log.split('\n').filter((line) => /upstream_status=(503|502), 200/.test(line));
      process.stdout.write(
        `rolling restart: ${rounds} device rounds, ${officerActions} officer actions, ${retried.length} requests moved\n`,
      );
      expect(retried.length).toBeGreaterThan(0);
    }, 120_000);

    it("nginx holds each route family to the API's body limit before buffering anything", async () => {
      const post = (path: string, bytes: number): Promise<number> =>
        httpsStatus(proxy.url, path, tls.caPem, { method: 'POST', body: Buffer.alloc(bytes, 0x20) });
      // Enrolment and authentication: 4 KiB; other routes 64 KiB; sync and the outcome import 8 MiB (the API answers
      // what is within).
      expect(await post('/v1/enrol', 16 * 1024)).toBe(413);
      expect(await post('/v1/auth/admin/sign-in', 16 * 1024)).toBe(413);
      expect(await post('/v1/admin/enrolment-codes', 128 * 1024)).toBe(413);
      expect(await post('/v1/sync/push', 9 * 1024 * 1024)).toBe(413);
      expect(await post('/v1/sync/push', 1024 * 1024), proxy.errorLog().slice(-2000)).toBe(401);
      expect(await post('/v1/admin/model-releases', 1024 * 1024), proxy.errorLog().slice(-2000)).toBe(401);
      // A month of a bank's outcomes is megabytes: the import's own limit, not the 64 KiB default.
      expect(await post('/v1/admin/outcomes/import', 1024 * 1024), proxy.errorLog().slice(-2000)).toBe(401);
      expect(await post('/v1/admin/outcomes/import', 9 * 1024 * 1024)).toBe(413);
      expect(await post('/v1/admin/outcomes', 128 * 1024)).toBe(413);
    });

    it("nginx's per-address budget refuses a flood with 429 but never the health checks", async () => {
      const tight = await startNginx(join(dir, 'tight'), {
        tls,
        upstreams: [`127.0.0.1:${instances[0].port}`, `127.0.0.1:${instances[1].port}`],
        port: await freePort(),
        perIp: { rate: '1r/s', burst: 5 },
      });
      try {
        const status = (path: string): Promise<number> => httpsStatus(tight.url, path, tls.caPem);
        const statuses: number[] = [];
        for (let i = 0; i < 15; i += 1) {
          statuses.push(await status('/v1/sync/pull'));
        }
        expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(8);
        expect(statuses.filter((s) => s !== 429).every((s) => s === 401)).toBe(true);
        for (let i = 0; i < 15; i += 1) {
          expect(await status('/health')).toBe(200);
        }
        // Paths nginx and the API would read differently (encoded slashes or dots, dot segments, backslashes) are
        // refused at the proxy, so no spelling gets a route the budget of another.
        for (const path of [
          '/health/../v1/sync/pull',
          '/health%2F..%2Fv1%2Fsync%2Fpull',
          '/v1/sync/updates/pilot/..%2F..%2F..%2F..%2Fhealth',
          '/v1/sync/updates/pilot/%2e%2e/%2e%2e/health',
          '/v1/sync/./pull',
          '/v1/sync%5cpull',
        ]) {
          expect({ path, status: await status(path) }).toEqual({ path, status: 400 });
        }
        // Other spellings reach the API as what they are, and it does not know them.
        for (const path of ['/%68ealth/ready/', '//health', '/HEALTH']) {
          expect(await status(path)).toBeGreaterThanOrEqual(400);
        }
      } finally {
        await tight.stop();
      }
    });
  },
);
