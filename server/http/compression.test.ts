/**
 * Compression against the real central API: answers compressed when asked (and never those carrying credentials),
 * gzip push bodies inflated within the push limit, bombs refused after inflating no more than that limit, other
 * encodings and corrupt gzip refused with typed codes, nothing stored from any refused body. Raw node:http requests,
 * because fetch would inflate answers itself and hide what was on the wire.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { brotliCompressSync, brotliDecompressSync, deflateSync, gzipSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport } from '../../electron/core/sync/transport';
import { SyncError } from '../../electron/core/sync/types';
import { DEVICE_REPORT_BODY_LIMIT } from '../../shared/sync/fleet';
import type { Database } from '../db/database';
import { PUSH_BODY_LIMIT } from '../routes/device-routes';
import { deviceEntryCount } from '../sync/console';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { errorCode } from '../testing/http';
import { signedPolicy } from '../testing/releases';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';
import { COMPRESSION_THRESHOLD, REQUEST_DECODING_CHANNEL, type RequestDecoding } from './compression';

interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * One request on its own connection. `unended`: the body is sent without a length (chunked) and never finished, as
 * a client streaming without end would; the answer is read all the same.
 */
function raw(
  url: string,
  method: 'GET' | 'POST',
  path: string,
  options: { headers?: Record<string, string>; body?: Buffer; unended?: boolean } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, url), {
      method,
      agent: false,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.body === undefined || options.unended === true
          ? {}
          : { 'content-length': String(options.body.byteLength) }),
        ...options.headers,
      },
      signal: AbortSignal.timeout(20_000),
    });
    req.on('error', reject);
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
        req.destroy();
      });
    });
    if (options.unended === true) {
      req.write(options.body ?? Buffer.alloc(0));
    } else {
      req.end(options.body);
    }
  });
}

const codeOf = (answer: RawAnswer): string | undefined => errorCode(JSON.parse(answer.body.toString('utf8')));

/** Collects what the server's request decoder reports while `run` runs. */
async function decodings<T>(run: () => Promise<T>): Promise<{ result: T; reports: RequestDecoding[] }> {
  const reports: RequestDecoding[] = [];
  const listener = (message: unknown): void => {
    reports.push(message as RequestDecoding);
  };
  subscribe(REQUEST_DECODING_CHANNEL, listener);
  try {
    return { result: await run(), reports };
  } finally {
    unsubscribe(REQUEST_DECODING_CHANNEL, listener);
  }
}

/** A gzip header with the FCOMMENT flag and `length` comment bytes that never end: inflates to nothing. */
function endlessCommentHeader(length: number): Buffer {
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0x10, 0, 0, 0, 0, 0, 0xff]);
  return Buffer.concat([header, Buffer.alloc(length, 0x61)]);
}

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`compression on ${targetTitle(target)}`, () => {
    let database: Database;
    let server: TestServer;

    beforeAll(async () => {
      database = await target.open();
      server = await startTestServer(database);
    });
    afterAll(async () => {
      await server.close();
      await database.close();
    });

    /**
     * An enrolled device with `entries` audit entries, and the push body its client would send for them, captured
     * before it reached the server: the bodies below are real pushes the server would store.
     */
    async function devicePush(
      branch: string,
      entries: number,
    ): Promise<{ device: SimDevice; token: string; text: string; release: () => void }> {
      let hold = false;
      let captured: unknown;
      const device = new SimDevice({
        transport: (url) => {
          const real = createHttpTransport(url);
          return {
            request: async (method, path, options) => {
              if (hold && path === '/v1/sync/push') {
                captured = options?.body;
                throw new SyncError('NETWORK', 'held back by the test', true);
              }
              return real.request(method, path, options);
            },
          };
        },
      });
      await device.client(server.url).enrol(server.url, await enrolmentCode(server, branch));
      device.append(entries);
      hold = true;
      await expect(device.client(server.url).syncOnce()).rejects.toMatchObject({ code: 'NETWORK' });
      expect(captured).toBeDefined();
      return {
        device,
        token: device.state.token(new Date(), 0) ?? '',
        text: JSON.stringify(captured),
        release: () => {
          hold = false;
        },
      };
    }

    /** The push body padded with whitespace before its closing brace to exactly `size` bytes (still valid JSON). */
    const padded = (text: string, size: number): Buffer =>
      Buffer.from(`${text.slice(0, -1)}${' '.repeat(size - Buffer.byteLength(text))}}`, 'utf8');

    const push = (token: string, body: Buffer, encoding: string | undefined) =>
      raw(server.url, 'POST', '/v1/sync/push', {
        body,
        headers: {
          authorization: `Bearer ${token}`,
          ...(encoding === undefined ? {} : { 'content-encoding': encoding }),
        },
      });

    it('answers a pull page compressed as the caller asks, identical once inflated, and as it is otherwise', async () => {
      const { device, release } = await devicePush('NBO-01', 1);
      for (const serial of [1, 2, 3]) {
        const release = { version: `2026.11.${serial}`, cutoffs: { approve: 620, refer: 560 }, reasonTexts: {} };
        expect((await server.publish('POST', '/v1/admin/policy-releases', signedPolicy(serial, release))).status).toBe(
          201,
        );
      }
      const token = { authorization: `Bearer ${device.state.token(new Date(), 0) ?? ''}` };
      const plain = await raw(server.url, 'GET', '/v1/sync/pull?after=0', { headers: token });
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.byteLength).toBeGreaterThan(COMPRESSION_THRESHOLD);

      const gzipped = await raw(server.url, 'GET', '/v1/sync/pull?after=0', {
        headers: { ...token, 'accept-encoding': 'gzip' },
      });
      expect(gzipped.headers['content-encoding']).toBe('gzip');
      expect(gzipped.headers.vary).toMatch(/accept-encoding/i);
      expect(gzipped.body.byteLength).toBeLessThan(plain.body.byteLength);
      expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true);

      const brotli = await raw(server.url, 'GET', '/v1/sync/pull?after=0', {
        headers: { ...token, 'accept-encoding': 'br' },
      });
      expect(brotli.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);

      // The workstation's own transport asks for gzip and applies what it inflates.
      release();
      await device.client(server.url).syncOnce();
      expect(device.pulled.filter((item) => item.kind === 'policy.release')).toHaveLength(3);
    });

    it("accepts the workstation's gzip push and stores each entry exactly once", async () => {
      const device = new SimDevice({ batchSize: 100 });
      await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'NBO-01'));
      device.append(60);
      const { result: report, reports } = await decodings(() => device.client(server.url).syncOnce());
      expect(report.push.stored).toBe(60);
      const decoded = reports.filter((r) => r.route === '/v1/sync/push');
      expect(decoded.length).toBeGreaterThan(0);
      for (const r of decoded) {
        expect(r.outcome).toBe('decoded');
        expect(r.limit).toBe(PUSH_BODY_LIMIT);
        expect(r.encodedBytes).toBeLessThan(r.inflatedBytes);
      }
      expect(await deviceEntryCount(database.db, device.deviceId)).toBe(60);
      device.state.ackedSeq = 0;
      expect((await device.client(server.url).syncOnce()).push.stored).toBe(0);
      expect(await deviceEntryCount(database.db, device.deviceId)).toBe(60);
    });

    it('refuses a body that inflates one byte past the push limit, and stores one that fills it exactly', async () => {
      const { device, token, text } = await devicePush('NBO-01', 25);
      const over = await push(token, gzipSync(padded(text, PUSH_BODY_LIMIT + 1)), 'gzip');
      expect(over.status).toBe(413);
      expect(codeOf(over)).toBe('PAYLOAD_TOO_LARGE');
      expect(await deviceEntryCount(database.db, device.deviceId)).toBe(0);

      const exact = await push(token, gzipSync(padded(text, PUSH_BODY_LIMIT)), 'gzip');
      expect(exact.status).toBe(200);
      expect(await deviceEntryCount(database.db, device.deviceId)).toBe(25);
    });

    it('refuses a gzip bomb (1 GiB of whitespace in about 1 MiB) after inflating no more than the limit', async () => {
      const { device, token, text } = await devicePush('MSA-02', 10);
      // Concatenated gzip members are one valid gzip stream: a push body, then 1 GiB of spaces, then its brace.
      const mebibyte = gzipSync(Buffer.alloc(1024 * 1024, 0x20), { level: 9 });
      const bomb = Buffer.concat([
        gzipSync(Buffer.from(text.slice(0, -1))),
        ...Array.from({ length: 1024 }, () => mebibyte),
        gzipSync(Buffer.from('}')),
      ]);
      expect(bomb.byteLength).toBeLessThan(PUSH_BODY_LIMIT);
      const { result: answer, reports } = await decodings(() => push(token, bomb, 'gzip'));
      expect(answer.status).toBe(413);
      expect(codeOf(answer)).toBe('PAYLOAD_TOO_LARGE');
      const [report] = reports;
      expect(report).toMatchObject({ route: '/v1/sync/push', outcome: 'too-large', limit: PUSH_BODY_LIMIT });
      // Decoding stopped within one zlib chunk (16 KiB) of the limit, having read a sliver of the upload: the server
      // never held more than that, and the 1 GiB was never inflated. The rest of the upload was read and dropped,
      // so the answer above arrived instead of a reset connection.
      expect(report?.inflatedBytes).toBeGreaterThan(PUSH_BODY_LIMIT);
      expect(report?.inflatedBytes).toBeLessThanOrEqual(PUSH_BODY_LIMIT + 16 * 1024);
      expect(report?.encodedBytes).toBeLessThan(bomb.byteLength / 8);
      expect(await deviceEntryCount(database.db, device.deviceId)).toBe(0);
      // The refusal stored nothing and blocked nothing: the same body, plain, is stored.
      const plain = await push(token, Buffer.from(text), undefined);
      expect(plain.status).toBe(200);
      expect(await deviceEntryCount(database.db, device.deviceId)).toBe(10);
    });

    it('refuses a compressed body whose own size passes the limit, declared or streamed', async () => {
      const { device, token } = await devicePush('NBO-01', 1);
      const header = endlessCommentHeader(PUSH_BODY_LIMIT + 1024);
      const declared = await push(token, header, 'gzip');
      expect(declared.status).toBe(413);
      expect(codeOf(declared)).toBe('PAYLOAD_TOO_LARGE');

      const { result: streamed, reports } = await decodings(() =>
        raw(server.url, 'POST', '/v1/sync/push', {
          body: header,
          unended: true,
          headers: { authorization: `Bearer ${token}`, 'content-encoding': 'gzip' },
        }),
      );
      expect(streamed.status).toBe(413);
      expect(codeOf(streamed)).toBe('PAYLOAD_TOO_LARGE');
      // Without a declared length the upload has no end: the server closes the connection after answering.
      expect(streamed.headers.connection).toBe('close');
      expect(reports[0]).toMatchObject({ outcome: 'too-large', inflatedBytes: 0 });
      expect(reports[0]?.encodedBytes).toBeGreaterThan(PUSH_BODY_LIMIT);
      expect(await deviceEntryCount(database.db, device.deviceId)).toBe(0);
    });

    it('refuses other and stacked encodings with 415 UNSUPPORTED_ENCODING, storing nothing', async () => {
      const { device, token, text } = await devicePush('NBO-01', 5);
      const json = Buffer.from(text);
      const cases: [string, Buffer][] = [
        ['br', brotliCompressSync(json)],
        ['deflate', deflateSync(json)],
        ['x-foo', json],
        ['gzip, gzip', gzipSync(gzipSync(json))],
        ['identity, gzip', gzipSync(json)],
      ];
      for (const [encoding, body] of cases) {
        const answer = await push(token, body, encoding);
        expect([encoding, answer.status, codeOf(answer)]).toEqual([encoding, 415, 'UNSUPPORTED_ENCODING']);
      }
      expect(await deviceEntryCount(database.db, device.deviceId)).toBe(0);
      // Upper case and identity are the same codings.
      expect((await push(token, gzipSync(json), 'GZIP')).status).toBe(200);
      expect(await deviceEntryCount(database.db, device.deviceId)).toBe(5);
      expect((await push(token, json, 'identity')).status).toBe(200);
    });

    it('refuses corrupt, cut-short and non-gzip bodies sent as gzip with 400 INVALID_INPUT, storing nothing', async () => {
      const { device, token, text } = await devicePush('NBO-01', 20);
      const good = gzipSync(Buffer.from(text));
      const flipped = Buffer.from(good);
      const middle = Math.floor(flipped.byteLength / 2);
      flipped[middle] = (flipped[middle] ?? 0) ^ 0xff;
      const bodies = [flipped, good.subarray(0, good.byteLength - 12), Buffer.from(text)];
      for (const body of bodies) {
        const answer = await push(token, body, 'gzip');
        expect([answer.status, codeOf(answer)]).toEqual([400, 'INVALID_INPUT']);
      }
      expect(await deviceEntryCount(database.db, device.deviceId)).toBe(0);
    });

    it('gzip bodies are held to the body limit of their own route', async () => {
      const { token } = await devicePush('NBO-01', 1);
      // The fleet report's limit is 256 KiB: 257 KiB of whitespace gzips to a few hundred bytes, and is still refused.
      const { result: answer, reports } = await decodings(() =>
        raw(server.url, 'POST', '/v1/sync/report', {
          body: gzipSync(Buffer.from(`{}${' '.repeat(DEVICE_REPORT_BODY_LIMIT + 1024)}`)),
          headers: { authorization: `Bearer ${token}`, 'content-encoding': 'gzip' },
        }),
      );
      expect(answer.status).toBe(413);
      expect(reports[0]).toMatchObject({
        route: '/v1/sync/report',
        outcome: 'too-large',
        limit: DEVICE_REPORT_BODY_LIMIT,
      });
    });

    it('never compresses answers that carry credentials, while a neighbouring answer is compressed', async () => {
      const gzip = { 'accept-encoding': 'gzip' };
      const carol = server.carol;
      const signIn = await raw(server.url, 'POST', '/v1/auth/admin/sign-in', {
        headers: gzip,
        body: Buffer.from(
          JSON.stringify({ username: carol.username, password: carol.password, totp: carol.nextTotp() }),
        ),
      });
      expect(signIn.status).toBe(200);
      expect(signIn.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(signIn.body.toString('utf8'))).toMatchObject({ session: { token: expect.any(String) } });

      const alice = { authorization: `Bearer ${server.alice.token}`, ...gzip };
      const code = await raw(server.url, 'POST', '/v1/admin/enrolment-codes', {
        headers: alice,
        body: Buffer.from(JSON.stringify({ branchId: 'NBO-01' })),
      });
      expect(code.status).toBe(201);
      expect(code.headers['content-encoding']).toBeUndefined();

      // A new administrator's one-time password next to the approver's own words: large enough to be compressed.
      const proposed = await server.alice.request('POST', '/v1/admin/administrators', {
        username: 'dmitri',
        roles: ['auditor'],
      });
      const proposal = (proposed.body as { proposal: { id: number } }).proposal;
      const approved = await raw(server.url, 'POST', `/v1/admin/proposals/${proposal.id}/approve`, {
        headers: { authorization: `Bearer ${server.bob.token}`, ...gzip },
        body: Buffer.from(JSON.stringify({ reason: 'Approved after the call with the branch manager. '.repeat(10) })),
      });
      expect(approved.status).toBe(200);
      expect(approved.headers['content-encoding']).toBeUndefined();
      expect(approved.body.byteLength).toBeGreaterThan(COMPRESSION_THRESHOLD);
      expect(approved.body.toString('utf8')).toContain('oneTimePassword');

      const listed = await raw(server.url, 'GET', '/v1/admin/proposals', { headers: alice });
      expect(listed.status).toBe(200);
      expect(listed.headers['content-encoding']).toBe('gzip');
    });
  });
}
