/** A real central API on 127.0.0.1 (random port) over a given database, with a known admin token. */
import type { FastifyInstance } from 'fastify';
import { buildServer, type AppOptions } from '../app';
import type { Database } from '../db/database';
import { generateAdminToken, sha256Hex } from '../security/admin-token';

export interface TestServer {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly port: number;
  readonly adminToken: string;
  admin(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function startTestServer(
  database: Database,
  options: Partial<Omit<AppOptions, 'database' | 'adminTokenHash'>> & { port?: number } = {},
): Promise<TestServer> {
  const adminToken = generateAdminToken();
  const app = await buildServer({
    database,
    adminTokenHash: sha256Hex(adminToken),
    rateLimitPerIpPerMinute: 1_000_000,
    rateLimitPerDevicePerMinute: 1_000_000,
    rateLimitEnrolPerIpPerMinute: 1_000_000,
    ...options,
  });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    port,
    adminToken,
    async admin(method, path, body) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
    },
    close: () => app.close(),
  };
}

/** Creates an enrolment code through the admin API. */
export async function enrolmentCode(server: TestServer, branchId: string): Promise<string> {
  const created = await server.admin('POST', '/v1/admin/enrolment-codes', { branchId });
  const body = created.body as { code?: unknown };
  if (created.status !== 201 || typeof body.code !== 'string') {
    throw new Error(`enrolment code not created (${created.status})`);
  }
  return body.code;
}
