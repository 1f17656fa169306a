/**
 * The real `npm run server` process and its commands: `create-admin` is the only way to the first administrator,
 * the server starts on an embedded PGlite folder with a keyring created beside it (never inside the database),
 * keeps secrets out of its logs, drains and exits 0 on SIGTERM; `verify-audit` passes on what the run wrote and
 * reports the first bad sequence once a row is changed through SQL; production refuses to start without keys.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
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
    NEXIS_SERVER_KEYS_FILE: '',
    NEXIS_SERVER_KEYS: '',
    DATABASE_URL: '',
    NODE_ENV: 'development',
    ...extra,
  };
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

  it('refuses to start in production without server keys or with the retired admin token', () => {
    const dataDir = makeTempDir('nexis-server-');
    dirs.push(dataDir);
    const noKeys = run(dataDir, ['serve'], { NODE_ENV: 'production' });
    expect(noKeys.status).toBe(2);
    expect(noKeys.stderr).toContain('No server keys');
    expect(existsSync(join(dataDir, 'server-keys.json'))).toBe(false);
    const token = run(dataDir, ['serve'], { NEXIS_ADMIN_TOKEN: 'x'.repeat(40) });
    expect(token.status).toBe(2);
    expect(token.stderr).toContain('NEXIS_ADMIN_TOKEN is no longer accepted');
  });
});
