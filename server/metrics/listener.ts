/**
 * The metrics listener: a second Fastify instance on its own address (NEXIS_METRICS_HOST:NEXIS_METRICS_PORT, loopback
 * by default), serving only `GET /metrics`, so the exposition is never reachable through the API's port or its
 * proxy. With a token configured every request needs `Authorization: Bearer <token>` (compared in constant time).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import type { Registry } from 'prom-client';

export interface MetricsListenerOptions {
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  /** Bearer token Prometheus must send; undefined: none (keep the listener on loopback or a private network). */
  readonly token?: string;
}

export interface MetricsListener {
  /** `http://host:port/metrics` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Equal-length digests, so the comparison's time says nothing about the token's length or prefix. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = header?.startsWith('Bearer ') === true ? header.slice(7) : '';
  return timingSafeEqual(digest(presented), digest(token));
}

export async function startMetricsListener(
  registry: Registry,
  options: MetricsListenerOptions,
): Promise<MetricsListener> {
  const app = Fastify({ logger: false, forceCloseConnections: true, connectionTimeout: 30_000 });
  const token = options.token;
  if (token !== undefined) {
    app.addHook('onRequest', async (request, reply) => {
      if (!tokenMatches(request.headers.authorization, token)) {
        return reply.code(401).header('www-authenticate', 'Bearer').type('text/plain').send('unauthorized\n');
      }
      return undefined;
    });
  }
  app.get('/metrics', async (_request, reply) => {
    const body = await registry.metrics();
    return reply.header('cache-control', 'no-store').type(registry.contentType).send(body);
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain').send('not found\n'));
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${host}:${port}/metrics`, port, close: () => app.close() };
}
