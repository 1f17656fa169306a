import { fileURLToPath } from 'node:url';

/**
 * The migrations folder beside this source file (tests, CLI, harness under tsx). The Electron main process
 * passes its own path (resources/migrations in a packaged app, see electron-builder.yml).
 */
export function defaultMigrationsDir(): string {
  return fileURLToPath(new URL('./migrations', import.meta.url));
}
