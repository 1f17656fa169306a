/**
 * `npm run deploy:local -- --database-url <superuser URL>`: the production topology on this machine, without a
 * container engine (docs/deployment.md, "On one machine"). It builds the production bundle, makes a CA and a TLS
 * certificate for 127.0.0.1, creates the database `nexis_local` (or reuses it), applies deployment/postgres/roles.sql,
 * migrates with the bundle's `migrate --backup-dir`, starts two instances as server/Dockerfile starts them (as the
 * least-privileged role), nginx with deployment/nginx/nexis.conf.template, and Prometheus with
 * deployment/prometheus/alerts.yml when it is installed. Everything it makes lives in `.nexis-data/deployment/`
 * (never committed); Ctrl-C stops the processes and keeps the database and the files, so the next run picks up where
 * this one stopped.
 *
 * A rehearsal and a developer's tool: the processes run as the current user on loopback, not as a bank's service
 * accounts on separate hosts.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import pg from 'pg';
import {
  apiInstance,
  applyRoles,
  buildBundle,
  freePort,
  makeCertificateAuthority,
  nginxBinary,
  REPO,
  startNginx,
  type CertificateAuthority,
  type Instance,
  type NginxProxy,
} from '../testing/topology';

const run = promisify(execFile);

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    database: { type: 'string', default: 'nexis_local' },
    port: { type: 'string', default: '8443' },
    dir: { type: 'string', default: join(REPO, '.nexis-data', 'deployment') },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const superuserUrl = values['database-url'] ?? process.env.DATABASE_URL;
if (superuserUrl === undefined || superuserUrl === '') {
  fail('usage: npm run deploy:local -- --database-url postgres://<superuser>:<password>@127.0.0.1:5432/postgres');
}
if (nginxBinary() === undefined) {
  fail('nginx is not installed: apt-get install -y nginx');
}
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(values.database)) {
  fail('--database: lower-case letters, digits and _ only');
}
const dir = resolve(values.dir);
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65_535) {
  fail('--port: a TCP port');
}

/** The database, created once and kept between runs. */
async function ensureDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: superuserUrl });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${name}`);
    }
  } finally {
    await admin.end();
  }
  const url = new URL(superuserUrl ?? '');
  url.pathname = `/${name}`;
  return url.toString();
}

function secretFile(path: string, make: () => string): string {
  if (!existsSync(path)) {
    writeFileSync(path, `${make()}\n`, { mode: 0o600 });
  }
  return readFileSync(path, 'utf8').trim();
}

async function startPrometheus(
  instances: readonly Instance[],
  tokenFile: string,
): Promise<{ url: string; child: ChildProcess } | undefined> {
  const binary = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'].find((p) => existsSync(p));
  if (binary === undefined) {
    return undefined;
  }
  const prometheusDir = join(dir, 'prometheus');
  mkdirSync(prometheusDir, { recursive: true });
  writeFileSync(join(prometheusDir, 'alerts.yml'), readFileSync(join(REPO, 'deployment', 'prometheus', 'alerts.yml')));
  // deployment/prometheus/prometheus.yml's job, pointed at this run's metrics listeners.
  const targets = instances.map((i) => `'${new URL(i.metricsUrl).host}'`).join(', ');
  writeFileSync(
    join(prometheusDir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 15s, evaluation_interval: 15s }',
      'rule_files: [alerts.yml]',
      'scrape_configs:',
      '  - job_name: nexis-api',
      '    metrics_path: /metrics',
      `    authorization: { credentials_file: ${tokenFile} }`,
      `    static_configs: [{ targets: [${targets}] }]`,
      '',
    ].join('\n'),
  );
  const listen = `127.0.0.1:${await freePort()}`;
  const child = spawn(
    binary,
    [
      `--config.file=${join(prometheusDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(prometheusDir, 'data')}`,
      `--web.listen-address=${listen}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return { url: `http://${listen}`, child };
}

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const secrets = join(dir, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  process.stdout.write('Building the production bundle…\n');
  const root = await buildBundle(join(dir, 'app'));
  const main = join(root, 'server', 'dist', 'main.js');
  const tls: CertificateAuthority = existsSync(join(dir, 'tls', 'bank-ca.pem'))
    ? {
        caPem: readFileSync(join(dir, 'tls', 'bank-ca.pem'), 'utf8'),
        caFile: join(dir, 'tls', 'bank-ca.pem'),
        certFile: join(dir, 'tls', 'bank-server.pem'),
        keyFile: join(dir, 'tls', 'bank-server.key'),
      }
    : await makeCertificateAuthority(join(dir, 'tls'), 'bank');
  const keys = join(secrets, 'server-keys.json');
  if (!existsSync(keys)) {
    await run(process.execPath, [main, 'keys:init', '--out', keys]);
  }
  const ownerUrl = await ensureDatabase(values.database);
  secretFile(join(secrets, 'database-owner-url'), () => ownerUrl);
  const ownerEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NODE_ENV: 'production',
    DATABASE_URL_FILE: join(secrets, 'database-owner-url'),
    NEXIS_SERVER_KEYS_FILE: keys,
  };
  process.stdout.write('Migrating (a verified backup first)…\n');
  const migrated = await run(process.execPath, [main, 'migrate', '--backup-dir', join(dir, 'backups')], {
    env: ownerEnv,
  });
  process.stdout.write(migrated.stdout);
  const appPassword = secretFile(join(secrets, 'postgres-app-password'), () => randomBytes(18).toString('base64url'));
  const appUrl = await applyRoles(ownerUrl, appPassword, secrets);
  secretFile(join(secrets, 'database-url'), () => appUrl);
  const tokenFile = join(secrets, 'metrics-token');
  secretFile(tokenFile, () => randomBytes(24).toString('base64url'));

  const env = {
    DATABASE_URL_FILE: join(secrets, 'database-url'),
    NEXIS_SERVER_KEYS_FILE: keys,
    NEXIS_METRICS_TOKEN_FILE: tokenFile,
    NEXIS_TRUSTED_PROXIES: '127.0.0.1',
  };
  const instances: Instance[] = [
    apiInstance({ name: 'api-1', root, port: await freePort(), env }),
    apiInstance({ name: 'api-2', root, port: await freePort(), env }),
  ];
  let proxy: NginxProxy | undefined;
  let prometheus: { url: string; child: ChildProcess } | undefined;
  const stop = async (): Promise<void> => {
    prometheus?.child.kill('SIGTERM');
    await proxy?.stop();
    await Promise.all(instances.map((i) => i.stop()));
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
  try {
    await Promise.all(instances.map((i) => i.start()));
    const [first, second] = instances;
    if (first === undefined || second === undefined) {
      throw new Error('two instances');
    }
    proxy = await startNginx(join(dir, 'nginx'), {
      tls,
      upstreams: [`127.0.0.1:${first.port}`, `127.0.0.1:${second.port}`],
      port,
      perIp: { rate: '50r/s', burst: 200 },
    });
    prometheus = await startPrometheus(instances, tokenFile);
  } catch (error) {
    await stop();
    throw error;
  }
  const lines = [
    '',
    `NEXIS central API behind nginx: ${proxy.url}  (CA: ${tls.caFile})`,
    ...instances.map((i) => `  ${i.name}: ${i.url}  metrics ${i.metricsUrl} (bearer token in ${tokenFile})`),
    prometheus === undefined
      ? '  Prometheus is not installed (apt-get install -y prometheus): no scraping.'
      : `  Prometheus: ${prometheus.url}  (query nexis_http_requests_total; alerts at ${prometheus.url}/alerts)`,
    '',
    'First administrator (prints a one-time password):',
    `  NODE_ENV=production DATABASE_URL_FILE=${join(secrets, 'database-owner-url')} NEXIS_SERVER_KEYS_FILE=${keys} \\`,
    `    node ${main} create-admin --username <name> --roles security-admin,release-manager`,
    'A workstation in the browser harness that trusts this CA:',
    `  NODE_EXTRA_CA_CERTS=${tls.caFile} npm run dev:web     then enrol with ${proxy.url}`,
    'Backup and restore drill: docs/backup-restore.md (DATABASE_URL_FILE as above). Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
