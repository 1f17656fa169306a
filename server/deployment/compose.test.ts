/**
 * The container deployment as files: server/Dockerfile and deployment/docker-compose.prod.yml. No container engine
 * runs on CI machines, so what can be proven without one is: Debian's docker-compose validates the compose file
 * (`config` needs no engine); the file says what production needs (two API replicas, read-only and unprivileged,
 * health checks, restart policies, limits, secrets as files only, SCRAM PostgreSQL on an internal network, a TLS
 * proxy, an optional monitoring profile); the Dockerfile's build context holds everything the bundle imports; and the
 * runtime stage is what server/deployment/deployment.test.ts starts natively.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { containerEntrypoint, REPO } from '../testing/topology';

const run = promisify(execFile);
const COMPOSE = join(REPO, 'deployment', 'docker-compose.prod.yml');
const hasCompose = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].some((p) => existsSync(p));

interface Service {
  readonly image?: string;
  readonly build?: { readonly target?: string; readonly dockerfile?: string };
  readonly read_only?: boolean;
  readonly user?: string;
  readonly restart?: string;
  readonly profiles?: readonly string[];
  readonly cap_drop?: readonly string[];
  readonly environment?: Readonly<Record<string, string | null>>;
  readonly secrets?: readonly (string | { readonly source: string })[];
  readonly healthcheck?: { readonly test?: readonly string[] | string; readonly disable?: boolean };
  readonly deploy?: { readonly resources?: { readonly limits?: { readonly memory?: string; readonly cpus?: string } } };
  readonly networks?: Readonly<Record<string, unknown>> | readonly string[];
  readonly ports?: readonly (string | { readonly target: number; readonly published: number | string })[];
  readonly volumes?: readonly (string | { readonly source?: string; readonly target: string })[];
  readonly command?: readonly string[] | string;
}
interface ComposeFile {
  readonly services: Readonly<Record<string, Service>>;
  readonly networks: Readonly<Record<string, { readonly internal?: boolean } | null>>;
  readonly volumes: Readonly<Record<string, unknown>>;
  readonly secrets: Readonly<Record<string, { readonly file?: string }>>;
}

/** The compose file as docker-compose resolves it (anchors merged, profiles included), or the raw YAML without it. */
async function resolved(): Promise<ComposeFile> {
  if (!hasCompose) {
    return parse(readFileSync(COMPOSE, 'utf8'), { merge: true }) as ComposeFile;
  }
  const { stdout } = await run('docker-compose', [
    '-f',
    COMPOSE,
    '--profile',
    'monitoring',
    '--profile',
    'migrate',
    'config',
  ]);
  return parse(stdout) as ComposeFile;
}

const networksOf = (service: Service): string[] =>
  Array.isArray(service.networks) ? [...(service.networks as string[])] : Object.keys(service.networks ?? {});

describe('the compose file', () => {
  it.skipIf(!hasCompose)("is valid for Debian's docker-compose, with and without the optional profiles", async () => {
    await expect(run('docker-compose', ['-f', COMPOSE, 'config', '-q'])).resolves.toBeDefined();
    await expect(
      run('docker-compose', ['-f', COMPOSE, '--profile', 'monitoring', '--profile', 'migrate', 'config', '-q']),
    ).resolves.toBeDefined();
  });

  it.skipIf(!hasCompose)('is refused by docker-compose when broken (the validation can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexis-compose-'));
    try {
      const broken = readFileSync(COMPOSE, 'utf8').replace('restart: unless-stopped', 'restart: [not, a, policy]');
      const file = join(dir, 'docker-compose.prod.yml');
      writeFileSync(file, broken);
      await expect(run('docker-compose', ['-f', file, 'config', '-q'])).rejects.toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs two API replicas of the runtime image, unprivileged, read-only, health-checked, limited', async () => {
    const compose = await resolved();
    const apis = Object.entries(compose.services).filter(([, s]) => s.build?.target === 'runtime');
    expect(apis.map(([name]) => name).sort()).toEqual(['api-1', 'api-2']);
    for (const [, api] of apis) {
      expect(api).toMatchObject({ read_only: true, user: 'node', restart: 'unless-stopped', cap_drop: ['ALL'] });
      expect(JSON.stringify(api.healthcheck?.test)).toContain('/health/ready');
      expect(api.deploy?.resources?.limits?.memory).toBeDefined();
      expect(api.deploy?.resources?.limits?.cpus).toBeDefined();
      expect(api.environment?.NODE_ENV).toBe('production');
      expect(api.environment?.NEXIS_MIGRATE).toBe('verify');
      // Secrets arrive as files only: no URL, password, keyring or token in the environment.
      for (const [key, value] of Object.entries(api.environment ?? {})) {
        if (/URL|KEYS|TOKEN|PASSWORD|SECRET/.test(key)) {
          expect(key, `${key} must be a *_FILE`).toMatch(/_FILE$/);
          expect(value).toMatch(/^\/run\/secrets\//);
        }
      }
      expect(networksOf(api)).toContain('backend');
      // No route out: every network an instance is on is internal.
      for (const network of networksOf(api)) {
        expect({ network, internal: compose.networks[network]?.internal }).toEqual({ network, internal: true });
      }
      expect(api.ports ?? []).toEqual([]);
    }
  });

  it('keeps PostgreSQL on an internal network with SCRAM, a named volume and its own health check', async () => {
    const compose = await resolved();
    const postgres = compose.services.postgres;
    expect(postgres?.environment?.POSTGRES_HOST_AUTH_METHOD).toBe('scram-sha-256');
    expect(postgres?.environment?.POSTGRES_INITDB_ARGS).toContain('--auth-host=scram-sha-256');
    expect(postgres?.environment?.POSTGRES_PASSWORD_FILE).toMatch(/^\/run\/secrets\//);
    expect(postgres?.environment?.POSTGRES_PASSWORD).toBeUndefined();
    expect(JSON.stringify(postgres?.healthcheck?.test)).toContain('pg_isready');
    expect(postgres?.restart).toBe('unless-stopped');
    expect(postgres?.ports ?? []).toEqual([]);
    const data = (postgres?.volumes ?? []).find((v) =>
      typeof v === 'string' ? v.split(':')[1] === '/var/lib/postgresql/data' : v.target === '/var/lib/postgresql/data',
    );
    const source = typeof data === 'string' ? data.split(':')[0] : data?.source;
    expect(source !== undefined && source in compose.volumes).toBe(true);
    expect(networksOf(postgres ?? {})).toEqual(['backend']);
    expect(compose.networks.backend?.internal).toBe(true);
  });

  it('publishes only the TLS proxy, and keeps monitoring and migration behind profiles', async () => {
    const compose = await resolved();
    const published = Object.entries(compose.services).filter(([, s]) => (s.ports ?? []).length > 0);
    expect(published.map(([name]) => name)).toEqual(['nginx']);
    expect(JSON.stringify(compose.services.nginx?.ports)).toContain('443');
    // The schema's owner is not the image's superuser.
    expect(compose.services.postgres?.environment?.POSTGRES_USER).toBe('postgres');
    expect(JSON.stringify(compose.services.migrate?.secrets)).toContain('database-owner-url');
    expect(compose.services.prometheus?.profiles).toEqual(['monitoring']);
    expect(compose.services.alertmanager?.profiles).toEqual(['monitoring']);
    expect(compose.services.migrate?.profiles).toEqual(['migrate']);
    expect(compose.services.migrate?.build?.target).toBe('ops');
    expect(JSON.stringify(compose.services.migrate?.command)).toContain('--backup-dir');
    // Every secret is a file under deployment/secrets/, which is never committed.
    for (const secret of Object.values(compose.secrets)) {
      expect(secret.file).toMatch(/deployment\/secrets\/|^\.\/secrets\//);
    }
    const ignored = readFileSync(join(REPO, '.gitignore'), 'utf8');
    expect(ignored).toMatch(/^deployment\/secrets\/$/m);
  });
});

describe('the systemd unit', () => {
  const unit = readFileSync(join(REPO, 'deployment', 'systemd', 'nexis-central-api@.service'), 'utf8');
  const hasAnalyze = existsSync('/usr/bin/systemd-analyze');

  it('runs the command line the image runs, with secrets as credentials and the production settings', () => {
    const exec = /^ExecStart=(.+)$/m.exec(unit)?.[1]?.split(/\s+/) ?? [];
    expect(exec[0]).toMatch(/\/node$/);
    expect(exec.slice(1)).toEqual(containerEntrypoint().argv.slice(1));
    for (const secret of ['DATABASE_URL_FILE', 'NEXIS_SERVER_KEYS_FILE', 'NEXIS_METRICS_TOKEN_FILE']) {
      expect(unit).toMatch(new RegExp(`^Environment=${secret}=%d/`, 'm'));
    }
    expect(unit).toMatch(/^Environment=NODE_ENV=production$/m);
    expect(unit).toMatch(/^Environment=NEXIS_MIGRATE=verify$/m);
    expect(unit).toMatch(/^User=nexis$/m);
    expect(unit).toMatch(/^ProtectSystem=strict$/m);
    expect(unit).toMatch(/^NoNewPrivileges=yes$/m);
    expect(unit).toMatch(/^RestartPreventExitStatus=2$/m);
  });

  it.skipIf(!hasAnalyze)('passes systemd-analyze verify', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexis-unit-'));
    try {
      const file = join(dir, 'nexis-central-api@8787.service');
      writeFileSync(file, unit);
      const { stderr } = await run('systemd-analyze', ['verify', file]);
      expect(stderr.split('\n').filter((line) => /nexis-central-api/.test(line))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('server/Dockerfile', () => {
  const dockerfile = readFileSync(join(REPO, 'server', 'Dockerfile'), 'utf8');

  it('runs the bundle with node as the unprivileged user, health-checked on readiness', () => {
    const runtime = containerEntrypoint();
    expect(runtime.argv).toEqual(['node', '--enable-source-maps', 'dist/main.js', 'serve']);
    expect(runtime.env.NODE_ENV).toBe('production');
    const stage = dockerfile.slice(dockerfile.indexOf('AS runtime'), dockerfile.indexOf('AS ops'));
    expect(stage).toMatch(/^USER node$/m);
    expect(stage).toMatch(/^HEALTHCHECK .*\n?.*\/health\/ready/m);
    expect(stage).not.toMatch(/tsx/);
  });

  it('has in its build context everything the bundle imports (the context is what COPY and .dockerignore leave)', async () => {
    // Sources of every COPY from the context (not from another stage): all words but the flags and the destination.
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) =>
      (m[1] ?? '')
        .split(/\s+/)
        .filter((word) => !word.startsWith('--'))
        .slice(0, -1),
    );
    expect(copied).toEqual(expect.arrayContaining(['package-lock.json', 'shared', 'audit-chain', 'server']));
    const ignore = readFileSync(join(REPO, '.dockerignore'), 'utf8');
    for (const path of ['node_modules', 'electron', 'renderer', 'models', '.git']) {
      expect(ignore).toMatch(new RegExp(`^(\\*\\*/)?${path.replace('.', '\\.')}$`, 'm'));
    }
    const context = mkdtempSync(join(tmpdir(), 'nexis-context-'));
    try {
      for (const source of new Set(copied)) {
        expect(existsSync(join(REPO, source)), `COPY ${source}`).toBe(true);
        cpSync(join(REPO, source), join(context, source), {
          recursive: true,
          filter: (from) => !/node_modules|[\\/]dist([\\/]|$)|\.test\.ts$/.test(from),
        });
      }
      symlinkSync(join(REPO, 'node_modules'), join(context, 'node_modules'), 'dir');
      // The build stage's own command, in a copy holding only what the image's context holds.
      await run(process.execPath, [join(context, 'server', 'scripts', 'build.mjs')], { cwd: join(context, 'server') });
      expect(existsSync(join(context, 'server', 'dist', 'main.js'))).toBe(true);
      expect(existsSync(join(context, 'server', 'dist', 'migrations', 'meta', '_journal.json'))).toBe(true);
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  });
});
