/**
 * A bank build's console reaches its baked central server only: the administrator's password and TOTP code are
 * refused before a byte leaves for any other address, and a plain-http listener on the baked host never hears them.
 * A real workstation (encrypted SQLite) and a real loopback listener that counts what reaches it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedTransportFor } from '../system/trust-config';
import { createTempWorkstation, type TempWorkstation } from '../testing/temp-workstation';
import { intakeReady } from '../testing/intake-fixtures';

describe('the central console of a bank build', () => {
  let listener: Server;
  let port = 0;
  const heard: string[] = [];
  let t: TempWorkstation;

  beforeAll(async () => {
    listener = createServer((request, response) => {
      heard.push(`${request.method ?? ''} ${request.url ?? ''}`);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as AddressInfo).port;
    const trusted = `https://127.0.0.1:${port}`;
    t = createTempWorkstation({
      syncTransportFor: trustedTransportFor({ url: trusted }, 5_000),
      trustedServerUrl: trusted,
    });
    await intakeReady(t);
  });
  afterAll(async () => {
    t.cleanup();
    await new Promise((resolve) => listener.close(resolve));
  });

  it('says which server it is bound to', async () => {
    expect(await t.call('admin', 'sync:status', {})).toMatchObject({
      ok: true,
      value: { trustedServerUrl: `https://127.0.0.1:${port}`, enrolled: false },
    });
  });

  it('refuses to send credentials to any other address, and nothing arrives there', async () => {
    for (const serverUrl of [`http://127.0.0.1:${port}`, `https://127.0.0.1:${port + 1}`, 'https://127.0.0.2']) {
      const attempt = await t.call('admin', 'console:signIn', {
        username: 'carol',
        password: 'a central password',
        totp: '123456',
        serverUrl,
      });
      expect(attempt).toMatchObject({
        ok: false,
        error: { code: 'CENTRAL_REFUSED', message: expect.stringMatching(/only with the bank's central server/) },
      });
    }
    const enrol = await t.call('admin', 'sync:enrol', {
      serverUrl: `http://127.0.0.1:${port}`,
      code: 'AAAAA-AAAAA-AAAAA-AAAAA',
    });
    expect(enrol).toMatchObject({ ok: false });
    expect(heard).toEqual([]);
  });

  it('goes to the baked server over https only: a plain-http listener there never reads the request', async () => {
    const attempt = await t.call('admin', 'console:signIn', {
      username: 'carol',
      password: 'a central password',
      totp: '123456',
    });
    expect(attempt).toMatchObject({ ok: false, error: { code: 'CENTRAL_UNREACHABLE' } });
    expect(heard).toEqual([]);
  });
});
