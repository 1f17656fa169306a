import { defineConfig } from 'drizzle-kit';

// Generates the workstation's SQL migrations: `npx drizzle-kit generate --name <what-changed>`.
// Released migrations are append-only; each one has a test in electron/core/db/migrations.test.ts.
export default defineConfig({
  dialect: 'sqlite',
  schema: './electron/core/db/schema/index.ts',
  out: './electron/core/db/migrations',
});
