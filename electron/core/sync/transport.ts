/** HTTP for the sync client: JSON in, `{ status, body }` out, every network failure a retryable SyncError. */
import { SyncError } from './types';

export interface SyncResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly token?: string;
  /** Largest answer accepted (default DEFAULT_MAX_RESPONSE_BYTES); a larger one is refused with RESPONSE_TOO_LARGE. */
  readonly maxBytes?: number;
}

export interface SyncTransport {
  request(method: 'GET' | 'POST', path: string, options?: RequestOptions): Promise<SyncResponse>;
}

/** Above the largest feed page the server sends (model releases travel as base64 packages of a few megabytes). */
export const DEFAULT_MAX_RESPONSE_BYTES = 96 * 1024 * 1024;

/** Reads a body up to `maxBytes`, so a hostile or broken server cannot make the workstation buffer without end. */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new SyncError('RESPONSE_TOO_LARGE', `The central server's answer is larger than ${maxBytes} bytes.`, false);
  }
  if (response.body === null) {
    return '';
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new SyncError('RESPONSE_TOO_LARGE', `The central server's answer is larger than ${maxBytes} bytes.`, false);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createHttpTransport(baseUrl: string, timeoutMs = 30_000): SyncTransport {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (options.body !== undefined) {
        headers['content-type'] = 'application/json';
      }
      if (options.token !== undefined) {
        headers.authorization = `Bearer ${options.token}`;
      }
      let response: Response;
      let text: string;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          // A redirect could carry the device's token to another host: the sync client never follows one.
          redirect: 'error',
          headers,
          body: options.body === undefined ? null : JSON.stringify(options.body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await readCapped(response, options.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
      } catch (error) {
        if (error instanceof SyncError) {
          throw error;
        }
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        throw new SyncError(
          'NETWORK',
          timedOut
            ? 'The central server did not answer in time; work continues offline.'
            : 'The central server could not be reached; work continues offline.',
          true,
        );
      }
      let body: unknown = null;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          throw new SyncError('NETWORK', 'The central server sent an incomplete or non-JSON answer.', true);
        }
      }
      return { status: response.status, body };
    },
  };
}
