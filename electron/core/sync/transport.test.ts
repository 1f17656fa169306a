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

  it('refuses an answer larger than the cap, declared or streamed', async () => {
    const big = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/declared') {
        res.setHeader('content-length', String(10_000));
        res.end(`"${'x'.repeat(9_998)}"`);
        return;
      }
      // Chunked: no length given, the cap must hold while reading.
      res.write('"');
      for (let i = 0; i < 20; i += 1) {
        res.write('x'.repeat(1000));
      }
      res.end('"');
    });
    await new Promise<void>((resolve) => big.listen(0, '127.0.0.1', resolve));
    try {
      const transport = createHttpTransport(`http://127.0.0.1:${port(big)}`, 5_000);
      for (const path of ['/declared', '/streamed']) {
        await expect(transport.request('GET', path, { maxBytes: 4096 })).rejects.toMatchObject({
          code: 'RESPONSE_TOO_LARGE',
        });
      }
      expect((await transport.request('GET', '/streamed', { maxBytes: 64 * 1024 })).status).toBe(200);
    } finally {
      await new Promise((resolve) => big.close(resolve));
    }
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
