/**
 * Compression on the wire. Answers: JSON above 1 KiB is compressed (br or gzip, as the caller's Accept-Encoding
 * asks) by @fastify/compress; routes whose answers carry credentials opt out with `compress: false`. Requests: a body
 * sent with `Content-Encoding: gzip` is inflated here, within the route's own body limit, on every route that reads
 * a body, so a compressed body never buys more room than an uncompressed one.
 */
import { channel } from 'node:diagnostics_channel';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import compress from '@fastify/compress';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors';

/** Answers smaller than this go out as they are: below it gzip's framing costs more than it saves. */
export const COMPRESSION_THRESHOLD = 1024;

/**
 * What each inflated request body cost, published on a diagnostics channel for tests and tracing: bytes read from the
 * socket and bytes inflated when decoding stopped. A refused bomb shows `inflatedBytes` just past the limit.
 */
export interface RequestDecoding {
  readonly route: string;
  readonly outcome: 'decoded' | 'too-large' | 'invalid' | 'aborted';
  readonly limit: number;
  readonly encodedBytes: number;
  readonly inflatedBytes: number;
}
export const REQUEST_DECODING_CHANNEL = 'nexis:server:request-decoding';
const decodings = channel(REQUEST_DECODING_CHANNEL);

function refusal(
  status: 400 | 413 | 415,
  code: 'INVALID_INPUT' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_ENCODING',
  message: string,
) {
  // `statusCode` too: Fastify's body reader stamps a 400 on stream errors that lack one.
  return Object.assign(new ApiError(status, code, message), { statusCode: status });
}

const tooLarge = (limit: number) =>
  refusal(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes once decompressed.`);

function hasBody(request: FastifyRequest): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') {
    return false;
  }
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Inflates `raw` as gzip, stopping the moment either side passes `limit`: the compressed bytes read (a gzip header
 * may carry an unbounded comment that inflates to nothing) or the bytes inflated (a bomb). On a refusal nothing more
 * is inflated. The returned stream carries `receivedEncodedLength`, which Fastify compares with Content-Length.
 */
function gunzipWithin(request: FastifyRequest, reply: FastifyReply, raw: Readable, limit: number): Readable {
  const route = request.routeOptions.url ?? 'unknown';
  let encodedBytes = 0;
  let inflatedBytes = 0;
  let settled = false;
  const gunzip = createGunzip();
  const encoded = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      encodedBytes += chunk.length;
      if (encodedBytes > limit) {
        done();
        fail('too-large', tooLarge(limit));
        return;
      }
      done(null, chunk);
    },
  });
  const output = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      inflatedBytes += chunk.length;
      if (inflatedBytes > limit) {
        done();
        fail('too-large', tooLarge(limit));
        return;
      }
      done(null, chunk);
    },
    flush(done) {
      settle('decoded');
      done();
    },
  });
  Object.defineProperty(output, 'receivedEncodedLength', { get: () => encodedBytes, enumerable: true });

  function settle(outcome: RequestDecoding['outcome']): void {
    if (settled) {
      return;
    }
    settled = true;
    if (decodings.hasSubscribers) {
      const report: RequestDecoding = { route, outcome, limit, encodedBytes, inflatedBytes };
      decodings.publish(report);
    }
  }

  function fail(outcome: RequestDecoding['outcome'], error: Error): void {
    if (settled) {
      return;
    }
    settle(outcome);
    raw.unpipe(encoded);
    encoded.destroy();
    gunzip.destroy();
    // The rest of the upload is read and dropped, never inflated, so the client gets the answer instead of a reset.
    // With a declared length that is at most `limit` bytes (checked before decoding); without one it has no end,
    // so the connection closes after the answer.
    if (request.headers['content-length'] === undefined && !reply.sent) {
      reply.header('connection', 'close');
    }
    raw.resume();
    output.destroy(error);
  }

  gunzip.on('error', () =>
    fail('invalid', refusal(400, 'INVALID_INPUT', 'The request body is not valid gzip (corrupt or cut short).')),
  );
  raw.on('error', (error) => fail('aborted', error));
  raw.on('aborted', () => fail('aborted', new Error('the client went away')));
  raw.pipe(encoded).pipe(gunzip).pipe(output);
  return output;
}

/**
 * Registers both directions. Must run before the route plugins: @fastify/compress decorates routes as they are
 * added, and the root `preParsing` hook is inherited only by plugins registered after it.
 */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: COMPRESSION_THRESHOLD,
    // Only the API's JSON: release files are installers (already compressed, sent with their length for progress).
    customTypes: /^application\/json(?:;|$)/u,
    // Request decompression is ours (below), not the plugin's. Its zip-bomb protection is Fastify's body reader,
    // which counts the inflated bytes against bodyLimit and answers 413 — but it only stops listening: the gunzip
    // stream keeps inflating the rest of the upload, the socket keeps being read, and its refusals are Fastify
    // errors (FST_CP_ERR_*) rather than our typed codes. It also accepts br, deflate and zstd, which no client of
    // ours sends. Here decoding stops at the limit, the connection closes, and the answer is a typed 413/415/400.
    globalDecompression: false,
  });

  app.addHook('preParsing', async (request, reply, payload) => {
    const header = request.headers['content-encoding'];
    if (header === undefined || !hasBody(request)) {
      return payload;
    }
    const encoding = header.trim().toLowerCase();
    if (encoding === '' || encoding === 'identity') {
      return payload;
    }
    if (encoding !== 'gzip' && encoding !== 'x-gzip') {
      // Stacked codings ("gzip, gzip") too: each layer would multiply what a small body inflates to.
      throw refusal(415, 'UNSUPPORTED_ENCODING', 'Request bodies may be sent as they are or with gzip only.');
    }
    const limit = request.routeOptions.bodyLimit;
    if (Number(request.headers['content-length']) > limit) {
      throw refusal(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes.`);
    }
    return gunzipWithin(request, reply, payload, limit);
  });
}
