/** HTTP for the sync client: JSON in, `{ status, body }` out, every network failure a retryable SyncError. */
import { SyncError } from './types';

export interface SyncResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface SyncTransport {
  request(method: 'GET' | 'POST', path: string, options?: { body?: unknown; token?: string }): Promise<SyncResponse>;
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
        text = await response.text();
      } catch (error) {
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
