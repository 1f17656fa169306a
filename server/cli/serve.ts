/**
 * `serve`: the API process. The schema is checked (or migrated, NEXIS_MIGRATE) before listening. SIGINT/SIGTERM
 * first drain (readiness says not-ready for NEXIS_DRAIN_SECONDS while requests are still served, so the proxy moves
 * traffic away), then stop taking connections, finish the ones in flight (at most SHUTDOWN_GRACE_MS) and close the
 * database.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApi, LOG_REDACT } from '../app';
import type { ServerConfig } from '../config';
import { startMetricsListener, type MetricsListener } from '../metrics/listener';
import { secretsFromKeyring } from '../security/secrets';
import { scheduleCentralRetention } from '../sync/retention';
import { keyringFor, open } from './runtime';

const SHUTDOWN_GRACE_MS = 10_000;

export async function serve(config: ServerConfig): Promise<void> {
  const keys = keyringFor(config);
  const database = await open(config);
  const api = await buildApi({
    database,
    keyring: keys.ring,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    rateLimitPerIpPerMinute: config.rateLimitPerIpPerMinute,
    rateLimitPerDevicePerMinute: config.rateLimitPerDevicePerMinute,
    rateLimitEnrolPerIpPerMinute: config.rateLimitEnrolPerIpPerMinute,
    trustedProxies: config.trustedProxies,
    updatesDir: config.updatesDir,
    dataDir: config.pgliteDir,
    logger: { level: config.logLevel, redact: LOG_REDACT },
  });
  const app = api.app;
  let metrics: MetricsListener | undefined;
  // The retention rule at start and daily (server/sync/retention.ts); stopped when draining begins.
  const retention = scheduleCentralRetention({
    db: database.db,
    signer: secretsFromKeyring(keys.ring).signing,
    now: () => new Date(),
    // Counts only: the ids of erased applicants are in the server audit chain, not in the log.
    report: (run) =>
      run instanceof Error
        ? app.log.error({ err: run.name }, 'retention run failed')
        : run.ran && (run.erased.length > 0 || run.kept.length > 0)
          ? app.log.info({ erased: run.erased.length, kept: run.kept.length }, 'retention applied')
          : undefined,
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    app.log.info({ signal, drainSeconds: config.drainSeconds }, 'draining, then shutting down');
    api.startDraining();
    retention.stop();
    const force = setTimeout(() => process.exit(1), config.drainSeconds * 1000 + SHUTDOWN_GRACE_MS);
    force.unref();
    sleep(config.drainSeconds * 1000)
      .then(() => app.close())
      // Scraped until the API has closed, so the drain itself is visible; then closed before the database.
      .then(() => metrics?.close())
      .then(() => database.close())
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Both listeners are bound before the process says it serves: a metrics port already taken must stop the start,
  // not kill an instance that a supervisor or test has already been told is up.
  try {
    if (config.metrics !== null) {
      metrics = await startMetricsListener(api.metrics.registry, config.metrics);
    }
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    retention.stop();
    await metrics?.close();
    await app.close();
    await database.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  console.log(`Server keys from ${keys.source}`);
  if (metrics !== undefined && config.metrics !== null) {
    console.log(`NEXIS metrics on ${metrics.url}${config.metrics.token === undefined ? '' : ' (bearer token)'}`);
  }
  console.log(`NEXIS central API on http://${config.host}:${port} (${database.kind})`);
}
