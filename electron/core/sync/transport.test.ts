/**
 * The sync transport never follows a redirect (a 30x could hand the device's token to another host), caps answers,
 * and, for a bank build, talks only to the baked server: its CA instead of the system roots, its SPKI pins, its
 * address. The TLS cases run real loopback https servers with certificates made for the run by `openssl`.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedTransportFor } from '../system/trust-config';
import { createHttpTransport, spkiPinOf } from './transport';

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
