/**
 * HTTP for the sync client: JSON in, `{ status, body }` out, every network failure a retryable SyncError. Bodies of
 * 1 KiB or more (push batches) go gzipped; answers may come gzipped and are inflated within the same cap as plain ones.
 *
 * Built on node:http / node:https rather than fetch because a bank build pins its central server: the baked CA
 * replaces the system roots (`ca`) and the server's key must match a baked SPKI pin (`checkServerIdentity`), and
 * Node's fetch takes neither without the undici package. One code path serves pinned and plain servers alike.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import { createGunzip, gzip } from 'node:zlib';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import {
  checkServerIdentity as defaultServerIdentity,
  type DetailedPeerCertificate,
  type PeerCertificate,
} from 'node:tls';
import { SyncError } from './types';

export interface SyncResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as the body instead, as `text/csv; charset=utf-8` (the outcome import takes the bank's file as it is). */
  readonly csv?: string;
  readonly token?: string;
  /** Largest answer accepted (default DEFAULT_MAX_RESPONSE_BYTES); a larger one is refused with RESPONSE_TOO_LARGE. */
  readonly maxBytes?: number;
}

export interface SyncTransport {
  request(method: 'GET' | 'POST', path: string, options?: RequestOptions): Promise<SyncResponse>;
}

/**
 * How an https central server is authenticated beyond the host name. `caPem`: the only certificate authorities
 * trusted (the system roots are not); `spkiPins`: base64 SHA-256 of a SubjectPublicKeyInfo, one of which must be the
 * key of a certificate in the server's chain (its own or an issuer's). Both may be given.
 */
export interface TlsTrust {
  readonly caPem?: string;
  readonly spkiPins?: readonly string[];
}

/** Above the largest feed page the server sends (model releases travel as base64 packages of a few megabytes). */
export const DEFAULT_MAX_RESPONSE_BYTES = 96 * 1024 * 1024;

const TOO_LARGE = (maxBytes: number): SyncError =>
  new SyncError('RESPONSE_TOO_LARGE', `The central server's answer is larger than ${maxBytes} bytes.`, false);

/** Request bodies from this size on are sent gzipped: below it gzip's framing costs more than it saves. */
export const COMPRESS_BODIES_FROM_BYTES = 1024;

const gzipAsync = promisify(gzip);

/** base64 SHA-256 of a certificate's SubjectPublicKeyInfo (DER): the form `spkiPins` are written in. */
export function spkiPinOf(certificate: X509Certificate | string | Uint8Array): string {
  const cert = certificate instanceof X509Certificate ? certificate : new X509Certificate(certificate);
  return createHash('sha256')
    .update(cert.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
}

/** The certificates the server presented, leaf first (a self-signed certificate is its own issuer). */
function chainOf(leaf: PeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: PeerCertificate | undefined = leaf;
  while (current !== undefined && current.raw !== undefined && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    const issuer: PeerCertificate | undefined = (current as DetailedPeerCertificate).issuerCertificate;
    current = issuer;
  }
  return chain;
}

/** Marks a pin refusal so the error handler can say what happened instead of "could not be reached". */
class PinMismatch extends Error {
  constructor() {
    super('the central server presented a key this build does not trust');
    this.name = 'PinMismatch';
  }
}

function serverIdentityCheck(pins: readonly string[]) {
  const wanted = new Set(pins);
  return (host: string, cert: PeerCertificate): Error | undefined => {
    const hostProblem = defaultServerIdentity(host, cert);
    if (hostProblem !== undefined) {
      return hostProblem;
    }
    return chainOf(cert).some((c) => wanted.has(spkiPinOf(c))) ? undefined : new PinMismatch();
  };
}

/** TLS errors that mean "not the server this build trusts", as opposed to a network that is down. */
const UNTRUSTED_TLS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function networkError(error: unknown): SyncError {
  if (error instanceof SyncError) {
    return error;
  }
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new SyncError('NETWORK', 'The central server did not answer in time; work continues offline.', true);
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof PinMismatch || (typeof code === 'string' && UNTRUSTED_TLS.has(code))) {
    // Retryable: nothing was sent (the token travels only after the handshake), and a proxy in the way may go.
    return new SyncError(
      'NETWORK',
      "The central server's certificate is not one this workstation trusts; nothing was sent, work continues offline.",
      true,
    );
  }
  return new SyncError('NETWORK', 'The central server could not be reached; work continues offline.', true);
}

const CORRUPT = (): SyncError =>
  new SyncError('NETWORK', 'The central server sent a compressed answer that is corrupt or cut short.', true);

/**
 * Reads a body up to `maxBytes`, so a hostile or broken server cannot make the workstation buffer without end. A
 * gzip answer is inflated as it arrives and the cap holds for both the bytes received and the bytes inflated: a
 * small bomb stops at the cap, and so does a gzip header that never ends.
 */
function readCapped(response: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => {
      reject(error);
      response.destroy(error);
    };
    const declared = Number(response.headers['content-length'] ?? '0');
    if (declared > maxBytes) {
      fail(TOO_LARGE(maxBytes));
      return;
    }
    const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    const gzipped = encoding === 'gzip' || encoding === 'x-gzip';
    if (!gzipped && encoding !== 'identity') {
      fail(
        new SyncError('NETWORK', 'The central server answered in an encoding this workstation did not ask for.', true),
      );
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let total = 0;
    const gunzip = gzipped ? createGunzip() : undefined;
    const decoded = gunzip ?? response;
    response.on('data', (chunk: Buffer) => {
      received += chunk.byteLength;
      if (received > maxBytes) {
        gunzip?.destroy();
        fail(TOO_LARGE(maxBytes));
      }
    });
    decoded.on('data', (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        gunzip?.destroy();
        fail(TOO_LARGE(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('aborted')));
    if (gunzip !== undefined) {
      gunzip.on('error', () => fail(CORRUPT()));
      response.pipe(gunzip);
    }
    decoded.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** True when the server refused a compressed body for its encoding (an older server or a proxy in the way). */
function encodingRefused(status: number, text: string): boolean {
  if (status !== 415) {
    return false;
  }
  try {
    return (JSON.parse(text) as { error?: { code?: unknown } }).error?.code === 'UNSUPPORTED_ENCODING';
  } catch {
    return false;
  }
}

export function createHttpTransport(baseUrl: string, timeoutMs = 30_000, tls: TlsTrust = {}): SyncTransport {
  const base = new URL(baseUrl.replace(/\/+$/, ''));
  const secure = base.protocol === 'https:';
  if (!secure && (tls.caPem !== undefined || tls.spkiPins !== undefined)) {
    throw new SyncError('REFUSED', 'A pinned central server must be reached over https.', false);
  }
  const agent = secure
    ? new HttpsAgent({
        keepAlive: true,
        ...(tls.caPem === undefined ? {} : { ca: tls.caPem }),
        ...(tls.spkiPins === undefined ? {} : { checkServerIdentity: serverIdentityCheck(tls.spkiPins) }),
      })
    : undefined;
  const prefix = base.href.replace(/\/+$/, '');
  return {
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { accept: 'application/json', 'accept-encoding': 'gzip' };
      const json =
        options.csv !== undefined
          ? Buffer.from(options.csv, 'utf8')
          : options.body === undefined
            ? undefined
            : Buffer.from(JSON.stringify(options.body), 'utf8');
      if (json !== undefined) {
        headers['content-type'] = options.csv !== undefined ? 'text/csv; charset=utf-8' : 'application/json';
      }
      if (options.token !== undefined) {
        headers.authorization = `Bearer ${options.token}`;
      }
      const maxBytes = options.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
      const send = (payload: Buffer | undefined, encoding: 'gzip' | undefined) =>
        new Promise<{ status: number; text: string }>((resolve, reject) => {
          const target = new URL(`${prefix}${path}`);
          const req = (secure ? httpsRequest : httpRequest)(target, {
            method,
            headers: {
              ...headers,
              ...(payload === undefined ? {} : { 'content-length': String(payload.byteLength) }),
              ...(encoding === undefined ? {} : { 'content-encoding': encoding }),
            },
            signal: AbortSignal.timeout(timeoutMs),
            ...(agent === undefined ? {} : { agent }),
          });
          let answered = false;
          // Once the answer is being read, its reader reports failures (its own refusal, not a hang-up it caused).
          req.on('error', (error) => {
            if (!answered) {
              reject(error);
            }
          });
          req.on('response', (response) => {
            answered = true;
            const code = response.statusCode ?? 0;
            if (code >= 300 && code < 400) {
              // A redirect could carry the device's token to another host: the sync client never follows one.
              response.destroy();
              reject(new Error('redirect refused'));
              return;
            }
            readCapped(response, maxBytes).then((body) => resolve({ status: code, text: body }), reject);
          });
          req.end(payload);
        });
      let status: number;
      let text: string;
      try {
        if (json !== undefined && json.byteLength >= COMPRESS_BODIES_FROM_BYTES) {
          ({ status, text } = await send(await gzipAsync(json), 'gzip'));
          if (encodingRefused(status, text)) {
            // Refused before the body was read: sending it again uncompressed cannot apply it twice.
            ({ status, text } = await send(json, undefined));
          }
        } else {
          ({ status, text } = await send(json, undefined));
        }
      } catch (error) {
        throw networkError(error);
      }
      let body: unknown = null;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          throw new SyncError('NETWORK', 'The central server sent an incomplete or non-JSON answer.', true);
        }
      }
      return { status, body };
    },
  };
}
