/**
 * The sync transport never follows a redirect (a 30x could hand the device's token to another host), caps answers
 * (inflated gzip ones too: a hostile server's bomb stops at the cap), gzips large bodies, and, for a bank build,
 * talks only to the baked server: its CA instead of the system roots, its SPKI pins, its address. The TLS cases run
 * real loopback https servers with certificates made for the run by `openssl`.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedTransportFor } from '../system/trust-config';
import { COMPRESS_BODIES_FROM_BYTES, createHttpTransport, spkiPinOf } from './transport';

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

/** A key and certificate made for this run (no certificate is committed; openssl signs, node:crypto makes keys). */
interface Issued {
  readonly key: string;
  readonly cert: string;
}

function certificates(): { ca: Issued; leaf: Issued; misissued: Issued; impostor: Issued; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'nexis-tls-'));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const ecKey = (name: string): string => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    file(name, pem);
    return pem;
  };
  const openssl = (args: readonly string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const selfSigned = (name: string, cn: string, extensions: string): Issued => {
    const key = ecKey(`${name}.key`);
    file(
      `${name}.cnf`,
      `[req]\ndistinguished_name = dn\nprompt = no\nx509_extensions = ext\n[dn]\nCN = ${cn}\n[ext]\n${extensions}\n`,
    );
    openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      `${name}.key`,
      '-config',
      `${name}.cnf`,
      '-days',
      '2',
      '-sha256',
      '-out',
      `${name}.pem`,
    ]);
    return { key, cert: readFileSync(join(dir, `${name}.pem`), 'utf8') };
  };
  const LEAF =
    'basicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\nextendedKeyUsage = serverAuth\nsubjectAltName = IP:127.0.0.1';
  const issue = (name: string): Issued => {
    const key = ecKey(`${name}.key`);
    file(`${name}.cnf`, `[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = 127.0.0.1\n`);
    file(`${name}.ext`, `[ext]\n${LEAF}\n`);
    openssl(['req', '-new', '-key', `${name}.key`, '-config', `${name}.cnf`, '-out', `${name}.csr`]);
    openssl([
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      '2',
      '-sha256',
      '-extfile',
      `${name}.ext`,
      '-extensions',
      'ext',
      '-out',
      `${name}.pem`,
    ]);
    return { key, cert: readFileSync(join(dir, `${name}.pem`), 'utf8') };
  };
  const ca = selfSigned(
    'ca',
    'NEXIS test bank CA',
    'basicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign',
  );
  return {
    ca,
    leaf: issue('leaf'),
    // Issued by the same CA to someone else (a mis-issuance): the CA alone accepts it, a leaf pin does not.
    misissued: issue('misissued'),
    // Its own CA: what an interception proxy presents.
    impostor: selfSigned('impostor', '127.0.0.1', LEAF),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

describe('sync transport to a pinned central server', () => {
  const tls = certificates();
  const hits = { genuine: 0, misissued: 0, impostor: 0 };
  const servers: HttpsServer[] = [];
  const urls = { genuine: '', misissued: '', impostor: '' };

  beforeAll(async () => {
    const start = async (name: keyof typeof hits, issued: Issued): Promise<void> => {
      const server = createHttpsServer(
        { key: issued.key, cert: issued.cert + (name === 'impostor' ? '' : tls.ca.cert) },
        (req, res) => {
          hits[name] += 1;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ server: name, authorised: req.headers.authorization ?? null }));
        },
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      urls[name] = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    await start('genuine', tls.leaf);
    await start('misissued', tls.misissued);
    await start('impostor', tls.impostor);
  });
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    tls.cleanup();
  });

  const untrusted = {
    code: 'NETWORK',
    message: expect.stringMatching(/certificate is not one this workstation trusts/),
  };

  it('reaches the genuine server through the baked CA, and nothing else through it', async () => {
    const genuine = createHttpTransport(urls.genuine, 5_000, { caPem: tls.ca.cert });
    expect(await genuine.request('GET', '/v1/health', { token: 'nx2.t' })).toEqual({
      status: 200,
      body: { server: 'genuine', authorised: 'Bearer nx2.t' },
    });
    await expect(
      createHttpTransport(urls.impostor, 5_000, { caPem: tls.ca.cert }).request('GET', '/v1/sync/pull', {
        token: 'nx2.t',
      }),
    ).rejects.toMatchObject(untrusted);
    expect(hits.impostor).toBe(0);
  });

  it('does not trust a server whose CA is not in the system roots unless the CA is baked', async () => {
    await expect(createHttpTransport(urls.genuine, 5_000).request('GET', '/v1/health')).rejects.toMatchObject(
      untrusted,
    );
  });

  it('refuses a certificate the CA issued to another key when the leaf key is pinned', async () => {
    const pins = [spkiPinOf(tls.leaf.cert)];
    const before = hits.misissued;
    expect(
      (await createHttpTransport(urls.genuine, 5_000, { caPem: tls.ca.cert, spkiPins: pins }).request('GET', '/'))
        .status,
    ).toBe(200);
    // The CA alone accepts the mis-issued certificate; the pin does not.
    expect((await createHttpTransport(urls.misissued, 5_000, { caPem: tls.ca.cert }).request('GET', '/')).status).toBe(
      200,
    );
    await expect(
      createHttpTransport(urls.misissued, 5_000, { caPem: tls.ca.cert, spkiPins: pins }).request(
        'POST',
        '/v1/sync/push',
        {
          token: 'nx2.t',
          body: { entries: [] },
        },
      ),
    ).rejects.toMatchObject(untrusted);
    expect(hits.misissued).toBe(before + 1);
  });

  it('accepts a pin on the issuing CA key, and refuses a pin nobody in the chain has', async () => {
    expect(
      (
        await createHttpTransport(urls.genuine, 5_000, {
          caPem: tls.ca.cert,
          spkiPins: [spkiPinOf(tls.ca.cert)],
        }).request('GET', '/')
      ).status,
    ).toBe(200);
    const stranger = spkiPinOf(tls.impostor.cert);
    await expect(
      createHttpTransport(urls.genuine, 5_000, { caPem: tls.ca.cert, spkiPins: [stranger] }).request('GET', '/'),
    ).rejects.toMatchObject(untrusted);
  });

  it('refuses to pin a server reached over plain http', () => {
    expect(() => createHttpTransport('http://127.0.0.1:1', 5_000, { caPem: tls.ca.cert })).toThrow(/over https/);
  });

  it("a bank build's transport talks to the baked server only, and refuses any other address before connecting", async () => {
    const transportFor = trustedTransportFor({
      url: urls.genuine,
      caPem: tls.ca.cert,
      spkiPins: [spkiPinOf(tls.leaf.cert)],
    });
    expect((await transportFor(`${urls.genuine}/`).request('GET', '/v1/health')).body).toMatchObject({
      server: 'genuine',
    });
    const before = { ...hits };
    for (const other of [
      urls.impostor,
      urls.misissued,
      urls.genuine.replace('https:', 'http:'),
      'https://central.example.org',
    ]) {
      await expect(
        transportFor(other).request('POST', '/v1/enrol', { body: { code: 'ENROL-CODE' } }),
      ).rejects.toMatchObject({ code: 'REFUSED', message: expect.stringContaining(urls.genuine) });
    }
    expect(hits.impostor).toBe(before.impostor);
    expect(hits.misissued).toBe(before.misissued);
  });
});

describe('sync transport compression', () => {
  const servers: Server[] = [];
  const serve = async (handler: Parameters<typeof createServer>[1]): Promise<string> => {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const bodyOf = async (req: IncomingMessage): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  };
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('sends bodies of 1 KiB or more gzipped and smaller ones as they are, and inflates a gzip answer', async () => {
    const seen: { encoding: string | undefined; accept: string | undefined; body: unknown }[] = [];
    const url = await serve((req, res) => {
      void bodyOf(req).then((bytes) => {
        const encoding = req.headers['content-encoding'];
        const text = (encoding === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
        seen.push({ encoding, accept: req.headers['accept-encoding'], body: JSON.parse(text) });
        res.setHeader('content-type', 'application/json');
        res.setHeader('content-encoding', 'gzip');
        res.end(gzipSync(Buffer.from(JSON.stringify({ echoed: JSON.parse(text) as unknown }))));
      });
    });
    const transport = createHttpTransport(url, 5_000);
    const small = { entries: ['a'] };
    const large = { entries: Array.from({ length: 200 }, (_, i) => `entry-${i}`) };
    expect(Buffer.byteLength(JSON.stringify(large))).toBeGreaterThanOrEqual(COMPRESS_BODIES_FROM_BYTES);
    expect(await transport.request('POST', '/v1/sync/push', { body: small })).toEqual({
      status: 200,
      body: { echoed: small },
    });
    expect(await transport.request('POST', '/v1/sync/push', { body: large })).toEqual({
      status: 200,
      body: { echoed: large },
    });
    expect(seen).toEqual([
      { encoding: undefined, accept: 'gzip', body: small },
      { encoding: 'gzip', accept: 'gzip', body: large },
    ]);
  });

  it('sends a body again uncompressed when the server refuses the encoding (415 UNSUPPORTED_ENCODING)', async () => {
    const encodings: (string | undefined)[] = [];
    const url = await serve((req, res) => {
      encodings.push(req.headers['content-encoding']);
      res.setHeader('content-type', 'application/json');
      if (req.headers['content-encoding'] !== undefined) {
        // Answers before reading the body, as the central API does.
        res.statusCode = 415;
        res.end(JSON.stringify({ error: { code: 'UNSUPPORTED_ENCODING', message: 'gzip only' } }));
        return;
      }
      void bodyOf(req).then((bytes) => res.end(JSON.stringify({ length: bytes.byteLength })));
    });
    const body = { entries: 'x'.repeat(4096) };
    const answer = await createHttpTransport(url, 5_000).request('POST', '/v1/sync/push', { body });
    expect(answer).toEqual({ status: 200, body: { length: Buffer.byteLength(JSON.stringify(body)) } });
    expect(encodings).toEqual(['gzip', undefined]);
  });

  it('refuses a gzip bomb from a hostile server once the inflated answer passes the cap', async () => {
    // An endless answer: 1 MiB of zeros per gzip member (about 1 KiB each), written as fast as it is read.
    const member = gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
    let written = 0;
    let answered = 0;
    let closed = 0;
    const url = await serve((_req, res) => {
      answered += 1;
      let gone = false;
      res.setHeader('content-type', 'application/json');
      res.setHeader('content-encoding', 'gzip');
      res.on('close', () => {
        gone = true;
        closed += 1;
      });
      const pump = (): void => {
        while (!gone && res.write(member)) {
          written += 1;
        }
        if (!gone) {
          res.once('drain', pump);
        }
      };
      pump();
    });
    const transport = createHttpTransport(url, 10_000);
    await expect(transport.request('GET', '/v1/sync/pull', { maxBytes: 4 * 1024 * 1024 })).rejects.toMatchObject({
      code: 'RESPONSE_TOO_LARGE',
    });
    // And at the default cap (96 MiB): the workstation stops reading, it does not inflate the stream to its end.
    await expect(transport.request('GET', '/v1/sync/pull')).rejects.toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
    // Both endless answers ended because the workstation hung up.
    await expect.poll(() => closed).toBe(2);
    expect(answered).toBe(2);
    expect(written).toBeGreaterThan(4);
  });

  it('refuses a compressed answer whose own size passes the cap, declared or streamed', async () => {
    // A gzip header whose comment never ends inflates to nothing: only the received bytes can stop it.
    const header = Buffer.from([0x1f, 0x8b, 0x08, 0x10, 0, 0, 0, 0, 0, 0xff]);
    const url = await serve((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('content-encoding', 'gzip');
      if (req.url === '/declared') {
        res.setHeader('content-length', String(header.byteLength + 100_000));
      }
      res.write(header);
      for (let i = 0; i < 100; i += 1) {
        res.write(Buffer.alloc(1000, 0x61));
      }
      res.end();
    });
    const transport = createHttpTransport(url, 5_000);
    for (const path of ['/declared', '/streamed']) {
      await expect(transport.request('GET', path, { maxBytes: 64 * 1024 })).rejects.toMatchObject({
        code: 'RESPONSE_TOO_LARGE',
      });
    }
  });

  it('treats a corrupt gzip answer, or an encoding it did not ask for, as a failed exchange to retry', async () => {
    const json = Buffer.from(JSON.stringify({ items: Array.from({ length: 100 }, (_, i) => i) }));
    const url = await serve((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/brotli') {
        res.setHeader('content-encoding', 'br');
        res.end(brotliCompressSync(json));
        return;
      }
      res.setHeader('content-encoding', 'gzip');
      const gz = gzipSync(json);
      res.end(req.url === '/cut' ? gz.subarray(0, gz.byteLength - 10) : Buffer.from(json));
    });
    const transport = createHttpTransport(url, 5_000);
    for (const path of ['/brotli', '/cut', '/not-gzip']) {
      await expect(transport.request('GET', path)).rejects.toMatchObject({ code: 'NETWORK', retryable: true });
    }
  });
});
