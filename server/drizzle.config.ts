import { defineConfig } from 'drizzle-kit';

// Generates the central API's SQL migrations: `npx drizzle-kit generate --config server/drizzle.config.ts --name <what>`.
// Applied at start by server/db/migrate.ts on PGlite and PostgreSQL alike; append-only once released.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema/index.ts',
  out: './server/db/migrations',
});
