/**
 * deployment/prometheus, checked by the tools that will run it: `promtool check rules|config`, the rule unit tests
 * (`promtool test rules`: every alert fires on its case and stays quiet on its near miss), and `amtool check-config`.
 * The unit tests must be able to fail: a copy of the rules with one threshold loosened fails them. Every metric an
 * alert reads is one the server exports, so no alert silently watches a series that never exists.
 * Debian's prometheus and prometheus-alertmanager packages ship promtool and amtool; CI installs them (.ci/run).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeTempDir } from '../../electron/core/testing/temp-workstation';
import { openDatabase } from '../db/database';
import { startTestServer } from '../testing/test-server';

const DIR = join(process.cwd(), 'deployment', 'prometheus');
const has = (tool: string): boolean => spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0;
const run = (tool: string, args: string[], cwd = DIR) =>
  spawnSync(tool, args, { cwd, encoding: 'utf8', timeout: 60_000 });

interface Rule {
  readonly alert: string;
  readonly expr: string;
}
const rules = (): Rule[] =>
  (parse(readFileSync(join(DIR, 'alerts.yml'), 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
    (g) => g.rules,
  );

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
    const config = run('promtool', ['check', 'config', 'prometheus.yml']);
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
