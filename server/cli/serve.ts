/**
 * `serve`: the API process. Migrations are applied before listening; SIGINT/SIGTERM stop taking new connections,
 * drain the ones in flight (at most SHUTDOWN_GRACE_MS) and close the database.
 */
import { buildServer, LOG_REDACT } from '../app';
import type { ServerConfig } from '../config';
import { keyringFor, open } from './runtime';

const SHUTDOWN_GRACE_MS = 10_000;

export async function serve(config: ServerConfig): Promise<void> {
  const keys = keyringFor(config);
  const database = await open(config);
  const app = await buildServer({
    database,
    keyring: keys.ring,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    rateLimitPerIpPerMinute: config.rateLimitPerIpPerMinute,
    rateLimitPerDevicePerMinute: config.rateLimitPerDevicePerMinute,
    rateLimitEnrolPerIpPerMinute: config.rateLimitEnrolPerIpPerMinute,
    trustedProxies: config.trustedProxies,
    updatesDir: config.updatesDir,
    logger: { level: config.logLevel, redact: LOG_REDACT },
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
    force.unref();
    app
      .close()
      .then(() => database.close())
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  console.log(`Server keys from ${keys.source}`);
  console.log(`NEXIS central API on http://${config.host}:${port} (${database.kind})`);
}
