/**
 * The databases every server suite runs against: in-process PGlite always, and a real PostgreSQL when DATABASE_URL
 * is set (each opened database gets its own schema, dropped on close, so suites can share one server).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../db/database';

export interface DatabaseTargetForTests {
  readonly name: string;
  /** Why the target is skipped, or undefined when it runs. */
  readonly skip: string | undefined;
  open(): Promise<Database>;
}

const url = process.env.DATABASE_URL;

export const TEST_DATABASES: readonly DatabaseTargetForTests[] = [
  { name: 'PGlite', skip: undefined, open: () => openDatabase({ kind: 'pglite' }) },
  {
    name: 'PostgreSQL',
    skip:
      url === undefined || url === ''
        ? 'DATABASE_URL is not set (server/scripts/ci-postgres.sh prints one)'
        : undefined,
    open: async () => {
      if (url === undefined) {
        throw new Error('DATABASE_URL is not set');
      }
      const schemaName = `t_${randomBytes(6).toString('hex')}`;
      const database = await openDatabase({ kind: 'postgres', url, schemaName, poolSize: 5 });
      return {
        ...database,
        close: async () => {
          await database.close();
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            await client.query(`DROP SCHEMA IF EXISTS ${schemaName} CASCADE`);
          } finally {
            await client.end();
          }
        },
      };
    },
  },
];

/** Vitest title for a target, carrying the skip reason so a skipped run says why. */
export function targetTitle(target: DatabaseTargetForTests): string {
  return target.skip === undefined ? target.name : `${target.name} — skipped: ${target.skip}`;
}
