/**
 * `npm run server`: the central API. Embedded PGlite in NEXIS_SERVER_DATA (default .nexis-data/server) unless
 * DATABASE_URL names a PostgreSQL; migrations are applied before listening. SIGINT/SIGTERM drain and close.
 */
import { mkdirSync } from 'node:fs';
import { buildServer, LOG_REDACT } from '../app';
import { ConfigError, readConfig } from '../config';
import { openDatabase } from '../db/database';
import { ADMIN_TOKEN_STATE_KEY, generateAdminToken, sha256Hex, storeAdminTokenHash } from '../security/admin-token';
import { serverState } from '../db/schema';
import { eq } from 'drizzle-orm';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = readConfig();
  if (config.databaseUrl === undefined) {
    mkdirSync(config.pgliteDir, { recursive: true });
  }
  const database = await openDatabase(
    config.databaseUrl === undefined
      ? { kind: 'pglite', dataDir: config.pgliteDir }
      : { kind: 'postgres', url: config.databaseUrl, poolSize: config.poolSize },
  );
  let adminTokenHash: string | undefined;
  if (config.adminToken !== undefined) {
    adminTokenHash = sha256Hex(config.adminToken);
  } else if (!config.production) {
    const token = generateAdminToken();
    adminTokenHash = await storeAdminTokenHash(database.db, token);
    console.log(`Development admin token (shown once, stored hashed; set NEXIS_ADMIN_TOKEN to fix one): ${token}`);
  } else {
    const stored = await database.db.select().from(serverState).where(eq(serverState.key, ADMIN_TOKEN_STATE_KEY));
    adminTokenHash = undefined;
    if (stored.length > 0) {
      console.warn('Ignoring the stored development admin token in production.');
    }
    console.warn('NEXIS_ADMIN_TOKEN is not set: the admin API refuses every request.');
  }
  const app = await buildServer({
    database,
    adminTokenHash,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    rateLimitPerIpPerMinute: config.rateLimitPerIpPerMinute,
    rateLimitPerDevicePerMinute: config.rateLimitPerDevicePerMinute,
    rateLimitEnrolPerIpPerMinute: config.rateLimitEnrolPerIpPerMinute,
    trustProxy: config.trustProxy,
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
  console.log(`NEXIS central API on http://${config.host}:${port} (${database.kind})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
