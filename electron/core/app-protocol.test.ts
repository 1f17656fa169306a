/** The app:// scheme from the attacker's side: every way out of the renderer folder is refused. */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from './testing/temp-workstation';
import {
  APP_INDEX_URL,
  appResponse,
  CONTENT_SECURITY_POLICY,
  HEADER_ONLY_CSP_DIRECTIVES,
  isAppUrl,
  RENDERER_CSP_DIRECTIVES,
  resolveAppRequest,
} from './app-protocol';

let base: string;
let renderer: string;
beforeAll(() => {
  base = makeTempDir('nexis-app-protocol-');
  renderer = join(base, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>NEXIS</title>');
  writeFileSync(join(renderer, 'assets', 'index-AbC_12-x.js'), 'console.log(1)');
  writeFileSync(join(base, 'secret.txt'), 'outside the renderer folder');
  writeFileSync(join(base, 'nexis.db'), 'database');
  symlinkSync(join(base, 'secret.txt'), join(renderer, 'assets', 'link.js'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('resolveAppRequest', () => {
  it('serves the index and hashed assets of the renderer folder', () => {
    expect(resolveAppRequest(renderer, APP_INDEX_URL)).toEqual({
      ok: true,
      file: join(renderer, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(resolveAppRequest(renderer, 'app://nexis/')).toMatchObject({ ok: true, file: join(renderer, 'index.html') });
    expect(resolveAppRequest(renderer, 'app://nexis/assets/index-AbC_12-x.js?v=1#x')).toMatchObject({
      ok: true,
      file: join(renderer, 'assets', 'index-AbC_12-x.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
  });

  it.each([
    'app://nexis/../secret.txt',
    'app://nexis/assets/../../secret.txt',
    'app://nexis/./index.html',
    'app://nexis/%2e%2e/secret.txt',
    'app://nexis/%2E%2E/secret.txt',
    'app://nexis/.%2e/secret.txt',
    'app://nexis/assets%2f..%2f..%2fsecret.txt',
    'app://nexis/assets%2F..%2F..%2Fnexis.db',
    'app://nexis/%5c..%5csecret.txt',
    'app://nexis/..%5csecret.txt',
    'app://nexis/%252e%252e/secret.txt',
    'app://nexis//etc/passwd',
    'app://nexis/%2fetc%2fpasswd',
    'app://nexis/C:%5cWindows%5cwin.ini',
    'app://nexis/c:/Windows/win.ini',
    'app://nexis/index.html%00.png',
    'app://nexis/.env',
    'app://nexis/assets/',
    'app://nexis/ind%ex.html',
    'app://nexis/index.html::$DATA',
  ])('refuses the traversal %s', (url) => {
    const result = resolveAppRequest(renderer, url);
    expect(result.ok).toBe(false);
  });

  it.each([
    'app://nexis/..\\secret.txt',
    'app://nexis/assets\\..\\..\\secret.txt',
    'app://nexis/index.html\u0000.png',
    'app://nexis/index.html\n',
  ])('refuses backslashes and control characters in %j', (url) => {
    expect(resolveAppRequest(renderer, url)).toMatchObject({ ok: false, status: 400 });
  });

  it.each([
    'app://evil/index.html',
    'app://nexis.evil/index.html',
    'app://user@nexis/index.html',
    'app://nexis:8080/index.html',
    'app:///index.html',
    'app:/index.html',
    'file:///etc/passwd',
    'https://nexis/index.html',
    'file:///opt/NEXIS/resources/app.asar/out/renderer/index.html',
    '/opt/NEXIS/resources/app.asar/out/renderer/index.html',
    'C:\\Program Files\\NEXIS\\index.html',
    '',
  ])('refuses other hosts, schemes and absolute paths: %s', (url) => {
    expect(resolveAppRequest(renderer, url)).toMatchObject({ ok: false, status: expect.any(Number) });
  });

  it('refuses file types the renderer does not ship', () => {
    expect(resolveAppRequest(renderer, 'app://nexis/nexis.db')).toMatchObject({ ok: false, status: 404 });
    expect(resolveAppRequest(renderer, 'app://nexis/secret.txt')).toMatchObject({ ok: false, status: 404 });
  });
});

describe('appResponse', () => {
  it('answers the file with the CSP and hardening headers', async () => {
    const response = appResponse(renderer, APP_INDEX_URL);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<!doctype html><title>NEXIS</title>');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('refuses a symlink out of the folder, and answers 404 for a missing file, both without a body', async () => {
    const link = appResponse(renderer, 'app://nexis/assets/link.js');
    expect(link.status).toBe(403);
    expect(await link.text()).toBe('');
    expect(appResponse(renderer, 'app://nexis/assets/missing.js').status).toBe(404);
    expect(appResponse(renderer, 'app://nexis/../secret.txt').status).toBe(403);
  });
});

describe('isAppUrl', () => {
  it('accepts the app origin only', () => {
    expect(isAppUrl(APP_INDEX_URL)).toBe(true);
    expect(isAppUrl('app://NEXIS/assets/x.js')).toBe(true);
    for (const url of ['app://evil/index.html', 'app://nexis.evil/', 'https://nexis/', 'file:///index.html', 'x']) {
      expect(isAppUrl(url)).toBe(false);
    }
  });
});

describe('the Content-Security-Policy header', () => {
  it('carries exactly the directives of the renderer/index.html meta, plus frame-ancestors', () => {
    const html = readFileSync(fileURLToPath(new URL('../../renderer/index.html', import.meta.url)), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(meta.split(';').map((d) => d.trim())).toEqual([...RENDERER_CSP_DIRECTIVES]);
    expect(CONTENT_SECURITY_POLICY).toBe([...RENDERER_CSP_DIRECTIVES, ...HEADER_ONLY_CSP_DIRECTIVES].join('; '));
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
  });
});
