/**
 * deployment/prometheus, checked by the tools that will run it: `promtool check rules|config`, the rule unit tests
 * (`promtool test rules`: every alert fires on its case and stays quiet on its near miss), and `amtool check-config`.
 * The unit tests must be able to fail: a copy of the rules with one threshold loosened fails them. Every metric an
 * alert reads is one the server exports, so no alert silently watches a series that never exists.
 * Debian's prometheus and prometheus-alertmanager packages ship promtool and amtool; CI installs them (.ci/run).
 * Every alert links its section of docs/runbook.md, and that link must resolve: the on-call engineer paged at night
 * follows it, so a renamed heading fails here (no promtool needed), not in the middle of an incident; and every
 * metric the runbook and the incident-response page name is one the server exports, and every SQL statement they
 * give operators runs against the migrated schema.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, TransactionRollbackError } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeTempDir } from '../../electron/core/testing/temp-workstation';
import { openDatabase, type ServerDb } from '../db/database';
import { startTestServer } from '../testing/test-server';

const DIR = join(process.cwd(), 'deployment', 'prometheus');
const has = (tool: string): boolean => spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0;
const run = (tool: string, args: string[], cwd = DIR) =>
  spawnSync(tool, args, { cwd, encoding: 'utf8', timeout: 60_000 });

interface Rule {
  readonly alert: string;
  readonly expr: string;
  readonly annotations?: Readonly<Record<string, string>>;
}
const rulesOf = (yaml: string): Rule[] =>
  (parse(yaml) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);
const rules = (): Rule[] => rulesOf(readFileSync(join(DIR, 'alerts.yml'), 'utf8'));

const RUNBOOK = join(process.cwd(), 'docs', 'runbook.md');
const RUNBOOK_URL = /^docs\/runbook\.md#([a-z0-9-]+)$/;

/**
 * The anchor GitHub gives a heading (github-slugger's rule): lower case, every character that is not a letter, digit,
 * combining mark, connector (`_`), space or hyphen dropped, spaces turned into hyphens; a repeated slug gets `-1`,
 * `-2`, … Headings inside fenced code blocks are not headings.
 */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker !== undefined) {
      if (fence === undefined) {
        fence = marker;
      } else if (marker.startsWith(fence)) {
        fence = undefined;
      }
      continue;
    }
    const heading = fence === undefined ? /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1] : undefined;
    if (heading === undefined) {
      continue;
    }
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Alerts whose runbook_url is missing, malformed, or names an anchor that is not a heading of the runbook. */
function unresolvedRunbookLinks(alertsYaml: string, runbook: string): string[] {
  const anchors = headingAnchors(runbook);
  return rulesOf(alertsYaml)
    .filter((rule) => {
      const anchor = RUNBOOK_URL.exec(rule.annotations?.runbook_url ?? '')?.[1];
      return anchor === undefined || !anchors.has(anchor);
    })
    .map((rule) => rule.alert);
}

/**
 * The SQL the runbook and the incident-response page give operators (fenced `sql` blocks and inline statements):
 * where the product has no command, these statements are the procedure, so they must run against the schema as
 * migrated. Placeholders (`DEV-…`, `<issue seq>`) are filled; promotion needs a standby and is left out.
 */
function operatorSql(markdown: string): string[] {
  const fenced = [...markdown.matchAll(/```sql\n([\s\S]*?)```/g)].flatMap(([, body = '']) => body.split(/;\s*$/m));
  const inline = [...markdown.matchAll(/`((?:SELECT|UPDATE)\b[^`]*?);`/g)].map(([, statement = '']) => statement);
  return [...fenced, ...inline]
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '' && !/^(BEGIN|COMMIT)$/i.test(statement));
}

/** Runs a statement in a transaction that is rolled back; the error message when PostgreSQL refuses it. */
async function refusal(db: ServerDb, statement: string): Promise<string | undefined> {
  const runnable = statement.replaceAll('…', 'X').replace(/<[a-z ]+>/g, '100');
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql.raw(runnable));
      tx.rollback();
    });
  } catch (error) {
    if (error instanceof TransactionRollbackError) {
      return undefined;
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    return `${error instanceof Error ? error.message : String(error)} ${cause}`;
  }
  return undefined;
}

describe('operator SQL in the runbook and incident response (PGlite, migrated schema)', () => {
  it('runs every statement against the real tables, and refuses a wrong one', async () => {
    const statements = ['runbook.md', 'incident-response.md']
      .flatMap((name) => operatorSql(readFileSync(join(process.cwd(), 'docs', name), 'utf8')))
      .filter((statement) => !/\bpg_promote\(/.test(statement));
    expect(statements.length).toBeGreaterThan(10);
    const database = await openDatabase({ kind: 'pglite' });
    try {
      for (const statement of statements) {
        expect(await refusal(database.db, statement), statement).toBeUndefined();
      }
      // The runner would notice a statement that names a column the schema does not have.
      expect(await refusal(database.db, "UPDATE admins SET disabled = true WHERE admin_id = 'ADM-…'")).toMatch(
        /disabled/,
      );
    } finally {
      await database.close();
    }
  });
});

describe('runbook links of the alert rules', () => {
  const alertsYaml = readFileSync(join(DIR, 'alerts.yml'), 'utf8');
  const runbook = readFileSync(RUNBOOK, 'utf8');

  it('computes the anchors GitHub gives headings', () => {
    const anchors = headingAnchors(
      [
        '# Runbook',
        '## Rate-limit violations',
        '## `NexisDeviceSilent`: a device (or two) cannot sync!',
        '## Disk full',
        '## Disk full',
        '```sh',
        '# not a heading',
        '```',
        '### Trailing hashes ##',
      ].join('\n'),
    );
    expect([...anchors]).toEqual([
      'runbook',
      'rate-limit-violations',
      'nexisdevicesilent-a-device-or-two-cannot-sync',
      'disk-full',
      'disk-full-1',
      'trailing-hashes',
    ]);
  });

  it('every alert has a runbook_url whose anchor is a heading of docs/runbook.md', () => {
    const all = rules();
    expect(all.length).toBeGreaterThan(0);
    for (const rule of all) {
      expect(rule.annotations?.runbook_url, `${rule.alert} has no runbook_url`).toMatch(RUNBOOK_URL);
    }
    expect(unresolvedRunbookLinks(alertsYaml, runbook)).toEqual([]);
  });

  it('name only metrics the server exports (runbook and incident response)', async () => {
    const database = await openDatabase({ kind: 'pglite' });
    const server = await startTestServer(database, { processMetrics: true });
    try {
      const exported = [...new Set((await server.metrics.registry.getMetricsAsJSON()).map((m) => m.name))];
      const docs = ['runbook.md', 'incident-response.md'].map((name) =>
        readFileSync(join(process.cwd(), 'docs', name), 'utf8'),
      );
      const named = new Set(docs.flatMap((text) => [...text.matchAll(/\bnexis_[a-z0-9_]+/g)].map(([name]) => name)));
      expect(named.size).toBeGreaterThan(10);
      for (const name of named) {
        // `nexis_fleet_*` in prose names a family: a prefix of at least one exported metric.
        const known = name.endsWith('_')
          ? exported.some((metric) => metric.startsWith(name))
          : exported.includes(name) || exported.includes(name.replace(/_(bucket|sum|count)$/, ''));
        expect(known, `the docs name ${name}`).toBe(true);
      }
    } finally {
      await server.close();
      await database.close();
    }
  });

  it('links between the docs land on headings (runbook, incident response and every page linking to them)', () => {
    const docsDir = join(process.cwd(), 'docs');
    const pages = readdirSync(docsDir).filter((name) => name.endsWith('.md'));
    const anchorsOf = new Map(pages.map((name) => [name, headingAnchors(readFileSync(join(docsDir, name), 'utf8'))]));
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      const text = readFileSync(join(docsDir, page), 'utf8');
      for (const [, target = '', anchor = ''] of text.matchAll(/\]\(((?:[a-z0-9-]+\.md)?)#([^)\s]+)\)/g)) {
        const file = target === '' ? page : target;
        checked += 1;
        if (!(anchorsOf.get(file)?.has(anchor) ?? false)) {
          broken.push(`${page} → ${file}#${anchor}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });

  it('fails when a heading an alert links to is renamed', () => {
    const anchor = RUNBOOK_URL.exec(rules()[0]?.annotations?.runbook_url ?? '')?.[1] ?? '';
    const heading = runbook.split('\n').find((line) => line.startsWith('## ') && headingAnchors(line).has(anchor));
    expect(heading, `no heading for #${anchor}`).toBeDefined();
    const renamed = runbook.replace(`${heading ?? ''}\n`, `${heading ?? ''} (renamed)\n`);
    expect(unresolvedRunbookLinks(alertsYaml, renamed)).toEqual([rules()[0]?.alert]);
  });
});

describe.skipIf(!has('promtool'))('alert rules (promtool; skipped: promtool is not installed)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are valid, and every alert fires on its case and stays quiet on its near miss', () => {
    const check = run('promtool', ['check', 'rules', 'alerts.yml']);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    // promtool checks that the token file exists: the same configuration, with this run's file at the secret's path.
    const configDir = makeTempDir('nexis-promtool-');
    dirs.push(configDir);
    writeFileSync(join(configDir, 'metrics-token'), 'a-token-for-promtool-only\n');
    copyFileSync(join(DIR, 'alerts.yml'), join(configDir, 'alerts.yml'));
    const shipped = readFileSync(join(DIR, 'prometheus.yml'), 'utf8');
    expect(shipped).toContain('credentials_file: /run/secrets/metrics-token');
    writeFileSync(
      join(configDir, 'prometheus.yml'),
      shipped.replace('/run/secrets/metrics-token', join(configDir, 'metrics-token')),
    );
    const config = run('promtool', ['check', 'config', join(configDir, 'prometheus.yml')]);
    expect(config.status, config.stdout + config.stderr).toBe(0);
    const tested = run('promtool', ['test', 'rules', 'alerts.test.yml']);
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
    const cases = readFileSync(join(DIR, 'alerts.test.yml'), 'utf8');
    for (const rule of rules()) {
      expect(cases, `${rule.alert} has no unit test`).toContain(`alertname: ${rule.alert}`);
    }
  });

  it('fail when a threshold is loosened (the unit tests bite)', () => {
    const dir = makeTempDir('nexis-alerts-');
    dirs.push(dir);
    copyFileSync(join(DIR, 'alerts.test.yml'), join(dir, 'alerts.test.yml'));
    const loosened = readFileSync(join(DIR, 'alerts.yml'), 'utf8').replace('> 0.01', '> 0.05');
    expect(loosened).not.toBe(readFileSync(join(DIR, 'alerts.yml'), 'utf8'));
    writeFileSync(join(dir, 'alerts.yml'), loosened);
    const tested = run('promtool', ['test', 'rules', 'alerts.test.yml'], dir);
    expect(tested.status).not.toBe(0);
    expect(tested.stdout + tested.stderr).toContain('NexisHighErrorRatio');
  });

  it('read only metrics the server exports', async () => {
    const database = await openDatabase({ kind: 'pglite' });
    const server = await startTestServer(database, { processMetrics: true });
    try {
      const exported = new Set((await server.metrics.registry.getMetricsAsJSON()).map((m) => m.name));
      for (const rule of rules()) {
        for (const [name] of rule.expr.matchAll(/\bnexis_[a-z0-9_]+/g)) {
          const base = name.replace(/_(bucket|sum|count)$/, '');
          expect(exported.has(name) || exported.has(base), `${rule.alert} reads ${name}`).toBe(true);
        }
      }
    } finally {
      await server.close();
      await database.close();
    }
  });
});

describe.skipIf(!has('amtool'))('alertmanager routing (amtool; skipped: amtool is not installed)', () => {
  it('is a valid configuration', () => {
    const check = run('amtool', ['check-config', 'alertmanager.yml']);
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });
});
