/**
 * The production topology of deployment/docker-compose.prod.yml, run natively (no container engine on CI machines):
 * a certificate authority made for the run, Debian's nginx rendering deployment/nginx/nexis.conf.template, and API
 * instances of the production bundle started exactly as server/Dockerfile's runtime stage starts them (its ENV,
 * WORKDIR, ENTRYPOINT and CMD, read from the Dockerfile itself), on one PostgreSQL. Used by the deployment test and
 * the deployment benchmark; every address is on loopback.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createHttpTransport, type SyncTransport } from '../../electron/core/sync/transport';
import type { Database } from '../db/database';

const run = promisify(execFile);
export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Debian's nginx, when installed (the deployment suites skip without it and say so). */
export function nginxBinary(): string | undefined {
  return ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

export interface CertificateAuthority {
  readonly caPem: string;
  readonly caFile: string;
  /** A server certificate for 127.0.0.1 and localhost, signed by this CA, and its key. */
  readonly certFile: string;
  readonly keyFile: string;
}

/** A CA and a leaf for loopback, made with openssl for this run only (never committed, never reused). */
export async function makeCertificateAuthority(dir: string, name: string): Promise<CertificateAuthority> {
  mkdirSync(dir, { recursive: true });
  const file = (suffix: string): string => join(dir, `${name}-${suffix}`);
  const openssl = (args: string[]): Promise<unknown> => run('openssl', args);
  await openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('ca.key')]);
  await openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    file('ca.key'),
    '-sha256',
    '-days',
    '2',
    '-subj',
    `/CN=${name} test CA`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    file('ca.pem'),
  ]);
  await openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('server.key')]);
  await openssl(['req', '-new', '-key', file('server.key'), '-subj', '/CN=127.0.0.1', '-out', file('server.csr')]);
  writeFileSync(
    file('server.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' +
      'subjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  await openssl([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-sha256',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  ]);
  // nginx's workers may run as another user than the test.
  for (const suffix of ['server.key', 'server.pem', 'ca.pem']) {
    chmodSync(file(suffix), 0o644);
  }
  return {
    caPem: readFileSync(file('ca.pem'), 'utf8'),
    caFile: file('ca.pem'),
    certFile: file('server.pem'),
    keyFile: file('server.key'),
  };
}

/** What server/Dockerfile's runtime stage runs: its environment, working folder and command line. */
export interface ContainerEntrypoint {
  readonly env: Readonly<Record<string, string>>;
  /** WORKDIR relative to the image's /app (the bundle's folder layout). */
  readonly workdir: string;
  readonly argv: readonly string[];
}

/** Reads the runtime stage of server/Dockerfile, so the test runs what the image runs, not a copy of it. */
export function containerEntrypoint(dockerfile = join(REPO, 'server', 'Dockerfile')): ContainerEntrypoint {
  const text = readFileSync(dockerfile, 'utf8').replace(/\\\n/g, ' ');
  const stage = /^FROM\s+\S+\s+AS\s+runtime\s*$([\s\S]*?)(?=^FROM\s|$(?![\s\S]))/im.exec(text)?.[1];
  if (stage === undefined) {
    throw new Error('server/Dockerfile has no runtime stage');
  }
  const env: Record<string, string> = {};
  for (const [, body = ''] of stage.matchAll(/^ENV\s+(.+)$/gm)) {
    for (const [, key = '', value = ''] of body.matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) {
      env[key] = value;
    }
  }
  const json = (directive: string): string[] => {
    const line = new RegExp(`^${directive}\\s+(\\[.*\\])\\s*$`, 'm').exec(stage)?.[1];
    if (line === undefined) {
      throw new Error(`server/Dockerfile's runtime stage has no exec-form ${directive}`);
    }
    return JSON.parse(line) as string[];
  };
  const workdir = /^WORKDIR\s+(\S+)\s*$/m.exec(stage)?.[1] ?? '/app';
  if (!workdir.startsWith('/app')) {
    throw new Error(`unexpected WORKDIR ${workdir}`);
  }
  return {
    env,
    workdir: workdir.slice('/app'.length).replace(/^\//, ''),
    argv: [...json('ENTRYPOINT'), ...json('CMD')],
  };
}

/**
 * The production bundle in `root/server/dist`, laid out like the image's /app (node_modules beside `server/`), built
 * by the workspace's own build script.
 */
export async function buildBundle(root: string): Promise<string> {
  mkdirSync(join(root, 'server'), { recursive: true });
  await run(process.execPath, [join(REPO, 'server', 'scripts', 'build.mjs'), '--outdir', join(root, 'server', 'dist')]);
  if (!existsSync(join(root, 'node_modules'))) {
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  }
  return root;
}

export interface Instance {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly metricsUrl: string;
  readonly output: () => string;
  /** Starts (again) the process; resolves once it says it serves. */
  start(): Promise<void>;
  /** SIGTERM (drain, close) and wait for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface InstanceOptions {
  readonly name: string;
  /** The bundle's root (what buildBundle returned): the image's /app. */
  readonly root: string;
  readonly port: number;
  /** Environment beyond the Dockerfile's (secrets as files, the run's ports). */
  readonly env: Readonly<Record<string, string>>;
}

/** An API instance of the production bundle, started as the container starts it. */
export function apiInstance(options: InstanceOptions): Instance {
  const entry = containerEntrypoint();
  let child: ChildProcess | undefined;
  let output = '';
  let metricsUrl = '';
  const [command, ...args] = entry.argv;
  if (command !== 'node') {
    throw new Error(`the image's entrypoint runs ${String(command)}, not node`);
  }
  return {
    name: options.name,
    port: options.port,
    url: `http://127.0.0.1:${options.port}`,
    get metricsUrl() {
      return metricsUrl;
    },
    output: () => output,
    start: () =>
      new Promise((resolveStart, reject) => {
        const started = spawn(process.execPath, args, {
          cwd: join(options.root, entry.workdir),
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            ...entry.env,
            // Loopback instead of the container's 0.0.0.0: these are processes on the CI machine.
            NEXIS_SERVER_HOST: '127.0.0.1',
            NEXIS_METRICS_HOST: '127.0.0.1',
            NEXIS_SERVER_PORT: String(options.port),
            NEXIS_METRICS_PORT: '0',
            NEXIS_UPDATES_DIR: join(options.root, 'updates'),
            ...options.env,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child = started;
        const timer = setTimeout(() => {
          started.kill('SIGKILL');
          reject(new Error(`${options.name} did not start:\n${output}`));
        }, 30_000);
        const onData = (chunk: Buffer): void => {
          output += chunk.toString();
          const metrics = /NEXIS metrics on (\S+)/.exec(output);
          if (metrics?.[1] !== undefined) {
            metricsUrl = metrics[1];
          }
          if (output.includes(`NEXIS central API on http://127.0.0.1:${options.port}`)) {
            clearTimeout(timer);
            resolveStart();
          }
        };
        started.stdout.on('data', onData);
        started.stderr.on('data', onData);
        started.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`${options.name} exited (${String(code)}) before serving:\n${output}`));
        });
      }),
    stop: () =>
      new Promise((resolveStop) => {
        const current = child;
        if (current === undefined || current.exitCode !== null) {
          resolveStop(current?.exitCode ?? null);
          return;
        }
        current.once('exit', (code) => resolveStop(code));
        current.kill('SIGTERM');
      }),
  };
}

export interface NginxProxy {
  readonly url: string;
  readonly port: number;
  readonly errorLog: () => string;
  readonly accessLog: () => string;
  stop(): Promise<void>;
}

/** Renders the template as the official image does (envsubst of the NEXIS_* variables only). */
export function renderTemplate(vars: Readonly<Record<string, string>>): string {
  const template = readFileSync(join(REPO, 'deployment', 'nginx', 'nexis.conf.template'), 'utf8');
  return template.replace(/\$\{(NEXIS_[A-Z0-9_]+)\}/g, (_match, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      throw new Error(`the nginx template needs ${name}`);
    }
    return value;
  });
}

const TEMP_PATHS = ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'] as const;

/** Debian's nginx with the rendered template, as an unprivileged foreground process with its files in `dir`. */
export async function startNginx(
  dir: string,
  options: {
    readonly tls: CertificateAuthority;
    readonly upstreams: readonly [string, string];
    readonly port: number;
    /** The per-address budget (compose: 50r/s, burst 200). */
    readonly perIp: { readonly rate: string; readonly burst: number };
  },
): Promise<NginxProxy> {
  const binary = nginxBinary();
  if (binary === undefined) {
    throw new Error('nginx is not installed (apt-get install nginx)');
  }
  for (const sub of ['temp', ...TEMP_PATHS.map((name) => join('temp', name))]) {
    mkdirSync(join(dir, sub), { recursive: true });
  }
  writeFileSync(
    join(dir, 'nexis.conf'),
    renderTemplate({
      NEXIS_TLS_PORT: `127.0.0.1:${options.port}`,
      NEXIS_TLS_CERT: options.tls.certFile,
      NEXIS_TLS_KEY: options.tls.keyFile,
      NEXIS_API_1: options.upstreams[0],
      NEXIS_API_2: options.upstreams[1],
      NEXIS_PER_IP_RATE: options.perIp.rate,
      NEXIS_PER_IP_BURST: String(options.perIp.burst),
    }).replace('listen 127.0.0.1:8081;', `listen 127.0.0.1:${await freePort()};`),
  );
  // The main context the official image's nginx.conf provides, with every path in this run's folder.
  const temp = join(dir, 'temp');
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      // Started by root (CI machines), nginx would run its workers as `nobody`, who cannot reach this run's private
      // temporary folders; started by anyone else, it runs them as that user and ignores the directive. A loopback
      // rehearsal, not a host's nginx: deployment/nginx/ leaves the user to the image or the distribution.
      ...(process.getuid?.() === 0 ? ['user root;'] : []),
      'worker_processes 2;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      // Which instance answered, and each attempt's status when nginx tried the other one.
      "  log_format nexis '$request_method $uri $status upstream=$upstream_addr upstream_status=$upstream_status';",
      `  access_log ${join(dir, 'access.log')} nexis;`,
      `  client_body_temp_path ${temp}/body;`,
      `  proxy_temp_path ${temp}/proxy;`,
      `  fastcgi_temp_path ${temp}/fastcgi;`,
      `  uwsgi_temp_path ${temp}/uwsgi;`,
      `  scgi_temp_path ${temp}/scgi;`,
      '  default_type application/octet-stream;',
      `  include ${join(dir, 'nexis.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const conf = join(dir, 'nginx.conf');
  await run(binary, ['-t', '-q', '-p', dir, '-c', conf]);
  const child = spawn(binary, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let failed = '';
  child.stderr.on('data', (chunk: Buffer) => (failed += chunk.toString()));
  const url = `https://127.0.0.1:${options.port}`;
  for (let attempt = 0; ; attempt += 1) {
    if (child.exitCode !== null) {
      throw new Error(`nginx exited: ${failed}`);
    }
    const listening = await new Promise<boolean>((resolveProbe) => {
      const socket = createServer();
      socket.once('error', () => resolveProbe(true));
      socket.listen(options.port, '127.0.0.1', () => socket.close(() => resolveProbe(false)));
    });
    if (listening) {
      break;
    }
    if (attempt > 100) {
      child.kill('SIGKILL');
      throw new Error('nginx did not listen');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const read = (name: string) => (): string =>
    existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '';
  return {
    url,
    port: options.port,
    errorLog: read('error.log'),
    accessLog: read('access.log'),
    stop: () =>
      new Promise((resolveStop) => {
        if (child.exitCode !== null) {
          resolveStop();
          return;
        }
        child.once('exit', () => resolveStop());
        // QUIT: graceful (finish requests in flight).
        child.kill('SIGQUIT');
      }),
  };
}

/**
 * deployment/postgres/init-roles.sh, the compose file's first-start step, run natively against `superuserUrl`'s
 * database: it makes `nexis_owner` (not a superuser) the database's owner and, with roles.sql, `nexis_app`. Returns
 * both roles' URLs.
 */
export async function initRoles(
  superuserUrl: string,
  dir: string,
): Promise<{ readonly ownerUrl: string; readonly appUrl: string }> {
  const url = new URL(superuserUrl);
  const passwords = { owner: randomBytes(18).toString('base64url'), app: randomBytes(18).toString('base64url') };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'postgres-owner-password'), `${passwords.owner}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'postgres-app-password'), `${passwords.app}\n`, { mode: 0o600 });
  await run('sh', [join(REPO, 'deployment', 'postgres', 'init-roles.sh')], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      POSTGRES_USER: decodeURIComponent(url.username),
      POSTGRES_DB: url.pathname.slice(1),
      PGHOST: url.hostname,
      PGPORT: url.port === '' ? '5432' : url.port,
      PGPASSWORD: decodeURIComponent(url.password),
      NEXIS_SECRETS_DIR: dir,
      NEXIS_ROLES_SQL: join(REPO, 'deployment', 'postgres', 'roles.sql'),
    },
  });
  const as = (role: string, password: string): string => {
    const roleUrl = new URL(superuserUrl);
    roleUrl.username = role;
    roleUrl.password = password;
    return roleUrl.toString();
  };
  return { ownerUrl: as('nexis_owner', passwords.owner), appUrl: as('nexis_app', passwords.app) };
}

/** A scratch database on the cluster the superuser URL names; dropped by `drop`. */
export async function scratchDatabase(
  superuserUrl: string,
  prefix: string,
): Promise<{ readonly name: string; readonly url: string; drop(): Promise<void> }> {
  const { default: pg } = await import('pg');
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: superuserUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(superuserUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const again = new pg.Client({ connectionString: superuserUrl });
      await again.connect();
      try {
        await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await again.end();
      }
    },
  };
}

/**
 * deployment/postgres/roles.sql applied by a superuser (psql: it uses psql's \gexec and \if), with the role that
 * migrated as the owner, giving `nexis_app` the password through a file as the compose init script does; returns
 * nexis_app's URL for the same database. (Here one superuser both migrates and runs the script; the compose file
 * separates them: the superuser `postgres`, the owner `nexis_owner`.)
 */
export async function applyRoles(
  ownerUrl: string,
  appPassword: string,
  dir: string,
  owner = decodeURIComponent(new URL(ownerUrl).username),
): Promise<string> {
  const passwordFile = join(dir, 'postgres-app-password');
  writeFileSync(passwordFile, `${appPassword}\n`, { mode: 0o600 });
  await run('psql', [
    ownerUrl,
    '-q',
    '-v',
    'ON_ERROR_STOP=1',
    '-v',
    `app_password_file=${passwordFile}`,
    '-v',
    `owner=${owner}`,
    '-f',
    join(REPO, 'deployment', 'postgres', 'roles.sql'),
  ]);
  const url = new URL(ownerUrl);
  url.username = 'nexis_app';
  url.password = appPassword;
  return url.toString();
}

/** The sync client's own HTTP transport; with `caPem`, it trusts only that CA (a bank build's pinned server). */
export function deviceTransport(url: string, timeoutMs: number, caPem?: string): SyncTransport {
  return createHttpTransport(url, timeoutMs, caPem === undefined ? {} : { caPem });
}

/** The whole topology, up: what the deployment test's setup does, for the deployment benchmark. */
export interface Topology {
  readonly dir: string;
  readonly tls: CertificateAuthority;
  /** The scratch database, and a pool on it as its owner (enrolment codes, counts). */
  readonly scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  readonly owner: Database;
  readonly instances: readonly [Instance, Instance];
  readonly proxy: NginxProxy;
  readonly migrationReport: string;
  /** Stops everything started, in reverse order, drops the scratch database; never throws. */
  stop(): Promise<void>;
}

export interface TopologyOptions {
  readonly superuserUrl: string;
  /** A fresh folder for the bundle, certificates, secrets and nginx's files (removed by the caller). */
  readonly dir: string;
  /** Environment for both instances beyond the secrets the topology writes (pool size, budgets, log level). */
  readonly instanceEnv: Readonly<Record<string, string>>;
  readonly perIp: { readonly rate: string; readonly burst: number };
}

/**
 * keys:init, the bundle's `migrate --backup-dir` as the owner, roles.sql, two instances as nexis_app through
 * DATABASE_URL_FILE (metrics behind a token, the proxy trusted), nginx in front. On a failure part-way, what was
 * started is stopped before the error is thrown.
 */
export async function startTopology(options: TopologyOptions): Promise<Topology> {
  const { openDatabase } = await import('../db/database');
  const undo: (() => Promise<unknown>)[] = [];
  const stop = async (): Promise<void> => {
    for (const step of undo.reverse()) {
      await step().catch(() => undefined);
    }
    undo.length = 0;
  };
  try {
    const { dir } = options;
    // nginx's workers (another user) write push bodies past client_body_buffer_size under dir/nginx/temp, so they
    // must be able to pass through dir, which mkdtemp makes 0700; the secrets inside keep their own 0700/0600.
    chmodSync(dir, 0o711);
    const root = await buildBundle(join(dir, 'app'));
    const tls = await makeCertificateAuthority(join(dir, 'tls'), 'bank');
    const scratch = await scratchDatabase(options.superuserUrl, 'nexis_bench');
    undo.push(() => scratch.drop());
    const secrets = join(dir, 'secrets');
    mkdirSync(secrets, { mode: 0o700 });
    const main = join(root, 'server', 'dist', 'main.js');
    await run(process.execPath, [main, 'keys:init', '--out', join(secrets, 'server-keys.json')]);
    writeFileSync(join(secrets, 'database-owner-url'), `${scratch.url}\n`, { mode: 0o600 });
    const migrated = await run(process.execPath, [main, 'migrate', '--backup-dir', join(dir, 'backups')], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        NODE_ENV: 'production',
        DATABASE_URL_FILE: join(secrets, 'database-owner-url'),
        NEXIS_SERVER_KEYS_FILE: join(secrets, 'server-keys.json'),
      },
    });
    const owner = await openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 4 }, { migrations: 'verify' });
    undo.push(() => owner.close());
    const appUrl = await applyRoles(scratch.url, randomBytes(18).toString('base64url'), secrets);
    writeFileSync(join(secrets, 'database-url'), `${appUrl}\n`, { mode: 0o600 });
    writeFileSync(join(secrets, 'metrics-token'), `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
    const env = {
      DATABASE_URL_FILE: join(secrets, 'database-url'),
      NEXIS_SERVER_KEYS_FILE: join(secrets, 'server-keys.json'),
      NEXIS_METRICS_TOKEN_FILE: join(secrets, 'metrics-token'),
      NEXIS_TRUSTED_PROXIES: '127.0.0.1',
      ...options.instanceEnv,
    };
    const instances = [
      apiInstance({ name: 'api-1', root, port: await freePort(), env }),
      apiInstance({ name: 'api-2', root, port: await freePort(), env }),
    ] as const;
    for (const instance of instances) {
      undo.push(() => instance.stop());
    }
    await Promise.all(instances.map((i) => i.start()));
    const proxy = await startNginx(join(dir, 'nginx'), {
      tls,
      upstreams: [`127.0.0.1:${instances[0].port}`, `127.0.0.1:${instances[1].port}`],
      port: await freePort(),
      perIp: options.perIp,
    });
    undo.push(() => proxy.stop());
    return { dir, tls, scratch, owner, instances, proxy, migrationReport: migrated.stdout, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
