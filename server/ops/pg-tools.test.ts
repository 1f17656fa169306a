/**
 * How the PostgreSQL tools are called: the connection in PG* variables and never in their arguments, nothing else of
 * the caller's environment, and what reaches the operator free of the password and of row values.
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../electron/core/testing/temp-workstation';
import { connectionFromUrl, OpsError, runPgTool, toolDiagnostic, urlForDatabase } from './pg-tools';

const SECRET = 'p%40ss:w0rd-Zq9';

describe('pg tools', () => {
  const dir = makeTempDir('nexis-pg-tools-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('splits a URL into libpq variables, with the password only in PGPASSWORD', () => {
    const connection = connectionFromUrl(
      `postgres://nexis_app:${SECRET}@db.bank.internal:6432/nexis?sslmode=verify-full&sslrootcert=/etc/ssl/bank-ca.pem`,
    );
    expect(connection.env).toEqual({
      PGHOST: 'db.bank.internal',
      PGPORT: '6432',
      PGDATABASE: 'nexis',
      PGUSER: 'nexis_app',
      PGPASSWORD: 'p@ss:w0rd-Zq9',
      PGSSLMODE: 'verify-full',
      PGSSLROOTCERT: '/etc/ssl/bank-ca.pem',
    });
    expect(connection.label).toBe('db.bank.internal:6432/nexis');
    expect(connectionFromUrl('postgresql:///nexis?host=/var/run/postgresql').env).toMatchObject({
      PGHOST: '/var/run/postgresql',
      PGPORT: '5432',
    });
    expect(new URL(urlForDatabase(connection.url, 'nexis_restored')).pathname).toBe('/nexis_restored');
  });

  it('refuses URLs it cannot pass on faithfully', () => {
    for (const url of [
      'mysql://u:p@h/db',
      'not a url',
      'postgres://u:p@h/',
      'postgres://u:p@h/db?options=-c%20search_path%3Dother',
      // libpq would read these as connection strings once passed as --dbname=<name>.
      'postgres://u:p@h/host%3Devil.example%20dbname%3Dnexis',
      'postgres://u:p@h/postgres%3A%2F%2Fevil.example%2Fnexis',
      'postgres://u:p@h/nexis%20prod',
    ]) {
      expect(() => connectionFromUrl(url), url).toThrow(OpsError);
    }
    expect(() => connectionFromUrl('postgres://u:p@h/host%3Devil')).toThrow(/only letters, digits/);
  });

  it('passes channel_binding on to libpq', () => {
    expect(connectionFromUrl('postgres://u:p@h/nexis-prod_2?channel_binding=require').env).toMatchObject({
      PGCHANNELBINDING: 'require',
      PGDATABASE: 'nexis-prod_2',
    });
  });

  it('keeps the password and row values out of what a failing tool reports', () => {
    const connection = connectionFromUrl(`postgres://u:${SECRET}@h/db`);
    const stderr = [
      'pg_restore: error: could not execute query: ERROR:  duplicate key value violates unique constraint "admins_username"',
      'DETAIL:  Key (username)=(amina.sec) already exists.',
      `pg_restore: connection to "p@ss:w0rd-Zq9" failed`,
      'CONTEXT:  COPY admins, line 1',
    ].join('\n');
    const shown = toolDiagnostic(stderr, connection);
    expect(shown).toContain('duplicate key value');
    expect(shown).not.toContain('amina.sec');
    expect(shown).not.toContain('p@ss:w0rd-Zq9');
    expect(shown).toContain('[redacted]');
    expect(shown).not.toContain('COPY admins');
  });

  it('runs the tool with the connection in its environment only, never its arguments', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const record = join(dir, 'record.txt');
    // A stand-in pg_dump that writes down what it was given, as the real one would receive it.
    writeFileSync(
      join(bin, 'pg_dump'),
      `#!/bin/sh\n{ echo "ARGS $*"; env | sort; } > '${record}'\necho "pg_dump: error: password $PGPASSWORD rejected" >&2\nexit 1\n`,
    );
    chmodSync(join(bin, 'pg_dump'), 0o755);
    const connection = connectionFromUrl(`postgres://u:${SECRET}@h:5433/db`);
    const run = runPgTool('pg_dump', ['--format=custom', '--file=/tmp/x.dump'], connection, {
      ...process.env,
      NEXIS_PG_BIN: bin,
      DATABASE_URL: connection.url,
      NEXIS_SERVER_KEYS: 'not-for-tools',
    });
    await expect(run).rejects.toMatchObject({ code: 'OPS_TOOL_FAILED' });
    await expect(run).rejects.toThrow(/password \[redacted\] rejected/);
    const seen = readFileSync(record, 'utf8');
    expect(seen).toContain('ARGS --format=custom --file=/tmp/x.dump\n');
    expect(seen.split('\n').filter((line) => line.includes('p@ss:w0rd-Zq9'))).toEqual(['PGPASSWORD=p@ss:w0rd-Zq9']);
    expect(seen).toContain('PGHOST=h\n');
    expect(seen).toContain('PGPORT=5433\n');
    expect(seen).not.toContain('DATABASE_URL');
    expect(seen).not.toContain('NEXIS_SERVER_KEYS');
  });

  it('says how to install the tools when they are missing', async () => {
    await expect(
      runPgTool('pg_restore', ['--list', 'x'], undefined, { PATH: '/nonexistent', NEXIS_PG_BIN: join(dir, 'none') }),
    ).rejects.toMatchObject({ code: 'OPS_TOOL_MISSING', message: expect.stringContaining('NEXIS_PG_BIN') as string });
  });
});
