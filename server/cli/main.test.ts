/**
 * The real `npm run server` process and its commands: `create-admin` is the only way to the first administrator,
 * the server starts on an embedded PGlite folder with a keyring created beside it (never inside the database),
 * keeps secrets out of its logs, drains and exits 0 on SIGTERM; `verify-audit` passes on what the run wrote and
 * reports the first bad sequence once a row is changed through SQL; production refuses to start without keys.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../electron/core/testing/temp-workstation';
import { firstSignIn } from '../testing/test-server';

const CLI = ['--import', 'tsx', 'server/cli/main.ts'];

function waitFor(child: ChildProcess, output: { text: string }, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const match = pattern.exec(output.text);
      if (match !== null) {
        resolve(match);
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.on('exit', (code) =>
      reject(new Error(`server exited (${code}) before ${pattern}: ${output.text.slice(-500)}`)),
    );
  });
}

function env(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NEXIS_SERVER_DATA: join(dataDir, 'server'),
    NEXIS_SERVER_PORT: '0',
    // Tests run servers side by side: the metrics listener's default port (9464) would be taken by the second.
    NEXIS_METRICS_PORT: '0',
    NEXIS_SERVER_KEYS_FILE: '',
    NEXIS_SERVER_KEYS: '',
    DATABASE_URL: '',
    NODE_ENV: 'development',
    ...extra,
  };
}

/** A keyring made with the CLI's own `keys:init`, as an operator would. */
function keysFile(dataDir: string): string {
  const file = join(dataDir, 'keys.json');
  const made = spawnSync(process.execPath, [...CLI, 'keys:init', '--out', file], { encoding: 'utf8', timeout: 60_000 });
  if (made.status !== 0) {
    throw new Error(made.stderr);
  }
  return file;
}

const run = (dataDir: string, args: string[], extra: Record<string, string> = {}) =>
  spawnSync(process.execPath, [...CLI, ...args], { env: env(dataDir, extra), encoding: 'utf8', timeout: 60_000 });

describe('server process', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it(
    'bootstraps an administrator, serves, redacts secrets, shuts down, and verifies its audit chain',
    { timeout: 120_000 },
    async () => {
      const dataDir = makeTempDir('nexis-server-');
      dirs.push(dataDir);
      const created = run(dataDir, ['create-admin', '--username', 'amina.sec', '--roles', 'security-admin,auditor']);
      expect(created.status).toBe(0);
      const [, oneTime] = /One-time password[^:]*: ([0-9A-Z]{24})/.exec(created.stdout) ?? [];
      expect(oneTime).toBeDefined();
      // The keyring lives beside the database folder, owner-only, and holds no database row.
      const keys = join(dataDir, 'server-keys.json');
      expect(statSync(keys).mode & 0o777).toBe(0o600);
      expect(readdirSync(join(dataDir, 'server')).some((f) => f.includes('keys'))).toBe(false);
      expect(run(dataDir, ['create-admin', '--username', 'x', '--roles', 'root']).status).toBe(2);

      const child = spawn(process.execPath, CLI, { env: env(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
      const output = { text: '' };
      child.stdout.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      let sessionToken = 'missing';
      try {
        const [, url = ''] = await waitFor(child, output, /NEXIS central API on (http:\/\/[0-9.:]+) \(pglite\)/);
        expect((await fetch(`${url}/health/ready`)).status).toBe(200);
        expect((await fetch(`${url}/v1/admin/devices`)).status).toBe(401);
        const { token } = await firstSignIn(url, 'amina.sec', oneTime ?? '', () => new Date());
        sessionToken = token;
        const devices = await fetch(`${url}/v1/admin/devices`, { headers: { authorization: `Bearer ${token}` } });
        expect(devices.status).toBe(200);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        expect(output.text).not.toContain(sessionToken);
        expect(output.text).not.toContain(oneTime ?? 'missing');
        expect(output.text).toContain('"remoteAddress":"[redacted]"');
      } finally {
        child.kill('SIGKILL');
      }

      const sound = run(dataDir, ['verify-audit']);
      expect(sound.stdout).toContain('server audit chain sound');
      expect(sound.status).toBe(0);
      // An operator with SQL access edits history: the chain names the first entry that no longer matches.
      const pg = new PGlite(join(dataDir, 'server'));
      await pg.exec(`ALTER TABLE server_audit DISABLE TRIGGER USER;
      UPDATE server_audit SET payload = '{"roles":["auditor"]}' WHERE seq = 1;`);
      await pg.close();
      const broken = run(dataDir, ['verify-audit']);
      expect(broken.status).toBe(1);
      expect(broken.stdout).toMatch(/first bad sequence 1:/);
    },
  );

  it(
    'the production build runs with plain node, reads DATABASE_URL from a file, and refuses two sources',
    { timeout: 120_000 },
    async () => {
      const dataDir = makeTempDir('nexis-server-build-');
      dirs.push(dataDir);
      const dist = join(dataDir, 'dist');
      const build = spawnSync(process.execPath, ['server/scripts/build.mjs', '--outdir', dist], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(build.status, build.stderr).toBe(0);
      // The bundle resolves its packages from a node_modules beside it, as in the container image.
      symlinkSync(join(process.cwd(), 'node_modules'), join(dataDir, 'node_modules'), 'dir');
      expect(readFileSync(join(dist, 'main.js'), 'utf8')).not.toMatch(/from ["'](\.\.\/)+(electron|models)\//);
      expect(readdirSync(join(dist, 'migrations')).filter((f) => f.endsWith('.sql')).length).toBeGreaterThan(0);

      const urlFile = join(dataDir, 'database-url');
      writeFileSync(urlFile, 'postgres://nexis:secret@127.0.0.1:1/none\n');
      const both = spawnSync(process.execPath, [join(dist, 'main.js'), 'serve'], {
        env: env(dataDir, { DATABASE_URL: 'postgres://a@127.0.0.1/b', DATABASE_URL_FILE: urlFile }),
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(both.status).toBe(2);
      expect(both.stderr).toContain('DATABASE_URL and DATABASE_URL_FILE are both set');
      // The URL from the file is used (nothing listens on port 1) and its password never reaches the output.
      const fromFile = spawnSync(process.execPath, [join(dist, 'main.js'), 'verify-audit'], {
        env: env(dataDir, { DATABASE_URL_FILE: urlFile }),
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(fromFile.status).toBe(2);
      expect(fromFile.stderr).toMatch(/ECONNREFUSED/);
      expect(fromFile.stdout + fromFile.stderr).not.toContain('secret');

      // Production never migrates as a side effect of starting: migrating is a separate, backed-up step.
      const production = {
        NODE_ENV: 'production',
        NEXIS_ALLOW_EMBEDDED_DB: '1',
        NEXIS_SERVER_KEYS_FILE: keysFile(dataDir),
      };
      const pending = spawnSync(process.execPath, [join(dist, 'main.js'), 'serve'], {
        env: env(dataDir, production),
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(pending.status).toBe(2);
      expect(pending.stderr).toMatch(/needs \d+ migration\(s\) this build ships: run `migrate --backup-dir <dir>`/);

      const output = { text: '' };
      const child = spawn(process.execPath, [join(dist, 'main.js'), 'serve'], {
        env: env(dataDir, { ...production, NEXIS_MIGRATE: 'apply' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdout.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
      try {
        const [, port] = await waitFor(child, output, /NEXIS central API on http:\/\/127\.0\.0\.1:(\d+) \(pglite\)/);
        const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
        expect(ready.status).toBe(200);
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    },
  );

  it('does not announce itself when its metrics port is taken, and exits', async () => {
    const dataDir = makeTempDir('nexis-server-');
    dirs.push(dataDir);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const started = await new Promise<{ code: number | null; text: string }>((resolve) => {
        const child = spawn(process.execPath, [...CLI, 'serve'], {
          env: env(dataDir, { NEXIS_METRICS_PORT: String(port) }),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.once('exit', (code) => resolve({ code, text }));
      });
      expect(started.code).toBe(2);
      expect(started.text).toContain('EADDRINUSE');
      expect(started.text).not.toContain('NEXIS central API on');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('refuses to start in production without server keys or with the retired admin token', () => {
    const dataDir = makeTempDir('nexis-server-');
    dirs.push(dataDir);
    const noDatabase = run(dataDir, ['serve'], { NODE_ENV: 'production' });
    expect(noDatabase.status).toBe(2);
    expect(noDatabase.stderr).toContain('NODE_ENV=production needs PostgreSQL');
    expect(existsSync(join(dataDir, 'server'))).toBe(false);
    const noKeys = run(dataDir, ['serve'], { NODE_ENV: 'production', NEXIS_ALLOW_EMBEDDED_DB: '1' });
    expect(noKeys.status).toBe(2);
    expect(noKeys.stderr).toContain('No server keys');
    expect(existsSync(join(dataDir, 'server-keys.json'))).toBe(false);
    const token = run(dataDir, ['serve'], { NEXIS_ADMIN_TOKEN: 'x'.repeat(40) });
    expect(token.status).toBe(2);
    expect(token.stderr).toContain('NEXIS_ADMIN_TOKEN is no longer accepted');
  });
});
