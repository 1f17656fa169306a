/** The sync transport never follows a redirect: a 30x could hand the device's token to another host. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport } from './transport';

describe('sync transport', () => {
  let target: Server;
  let redirector: Server;
  let reachedTarget = 0;
  const port = (s: Server): number => (s.address() as AddressInfo).port;

  beforeAll(async () => {
    target = createServer((_req, res) => {
      reachedTarget += 1;
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    redirector = createServer((_req, res) => {
      res.statusCode = 307;
      res.setHeader('location', `http://127.0.0.1:${port(target)}/v1/sync/pull`);
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => redirector.close(resolve));
    await new Promise((resolve) => target.close(resolve));
  });

  it('refuses a redirect instead of following it with the token', async () => {
    const transport = createHttpTransport(`http://127.0.0.1:${port(redirector)}`, 5_000);
    await expect(transport.request('GET', '/v1/sync/pull', { token: 'nx2.secret' })).rejects.toMatchObject({
      code: 'NETWORK',
    });
    expect(reachedTarget).toBe(0);
    const direct = createHttpTransport(`http://127.0.0.1:${port(target)}`, 5_000);
    expect(await direct.request('GET', '/v1/sync/pull')).toEqual({ status: 200, body: { ok: true } });
  });
});
