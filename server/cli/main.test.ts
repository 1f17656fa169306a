/**
 * The real `npm run server` process: starts on an embedded PGlite folder with no set-up, prints a development admin
 * token, keeps secrets out of its logs, and drains and exits 0 on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../electron/core/testing/temp-workstation';

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

describe('server process', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts with no set-up, redacts secrets in logs and shuts down gracefully', { timeout: 60_000 }, async () => {
    const dataDir = makeTempDir('nexis-server-');
    dirs.push(dataDir);
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/main.ts'], {
      env: {
        ...process.env,
        NEXIS_SERVER_DATA: dataDir,
        NEXIS_SERVER_PORT: '0',
        NEXIS_ADMIN_TOKEN: '',
        DATABASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { text: '' };
    child.stdout.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const [, url] = await waitFor(child, output, /NEXIS central API on (http:\/\/[0-9.:]+) \(pglite\)/);
      const [, token] = /Development admin token[^:]*: (nxa_[A-Za-z0-9_-]+)/.exec(output.text) ?? [];
      expect(token).toBeDefined();
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      const devices = await fetch(`${url}/v1/admin/devices`, { headers: { authorization: `Bearer ${token}` } });
      expect(devices.status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const logs = output.text.replace(/Development admin token[^\n]*\n/, '');
      expect(logs).not.toContain(token ?? 'missing');
      expect(logs).toContain('"remoteAddress":"[redacted]"');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
