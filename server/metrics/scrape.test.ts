/**
 * A real Prometheus (Debian's package; CI installs it) scrapes a running server's metrics listener, with the bearer
 * token the deployment uses, and ingests its series: the target is up and the API's own metrics are queryable through
 * Prometheus's HTTP API. Loopback only; Prometheus is killed in afterAll whatever happens.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../electron/core/testing/temp-workstation';
import { openDatabase, type Database } from '../db/database';
import { request } from '../testing/http';
import { startTestServer, type TestServer } from '../testing/test-server';
import { startMetricsListener, type MetricsListener } from './listener';

const hasPrometheus = spawnSync('prometheus', ['--version'], { encoding: 'utf8' }).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

interface QueryAnswer {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe.skipIf(!hasPrometheus)('a real Prometheus scrape (skipped: prometheus is not installed)', () => {
  let database: Database | undefined;
  let server: TestServer | undefined;
  let listener: MetricsListener | undefined;
  let prometheus: ChildProcess | undefined;
  const dir = makeTempDir('nexis-prometheus-');

  afterAll(async () => {
    prometheus?.kill('SIGKILL');
    await listener?.close();
    await server?.close();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ingests the API metrics through the token-guarded listener', { timeout: 90_000 }, async () => {
    database = await openDatabase({ kind: 'pglite' });
    server = await startTestServer(database, { processMetrics: true });
    const token = 'scrape-token-0123456789abcdef';
    listener = await startMetricsListener(server.metrics.registry, { host: '127.0.0.1', port: 0, token });
    await request(server.url, 'GET', '/health/ready');

    const tokenFile = join(dir, 'metrics-token');
    writeFileSync(tokenFile, token, { mode: 0o600 });
    // The job and options of deployment/prometheus/prometheus.yml, pointed at this run's listener.
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        '  - job_name: nexis-api',
        '    metrics_path: /metrics',
        `    authorization: { credentials_file: ${tokenFile} }`,
        `    static_configs: [{ targets: ['127.0.0.1:${listener.port}'] }]`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const output = { text: '' };
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout?.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    prometheus.stderr?.on('data', (chunk: Buffer) => (output.text += chunk.toString()));

    const query = async (expr: string): Promise<QueryAnswer | undefined> => {
      try {
        const answer = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expr)}`);
        return answer.ok ? ((await answer.json()) as QueryAnswer) : undefined;
      } catch {
        return undefined;
      }
    };
    const expr = 'nexis_http_requests_total{job="nexis-api",route="/health/ready",status_code="200"}';
    let up: QueryAnswer | undefined;
    let ingested: QueryAnswer | undefined;
    for (let attempt = 0; attempt < 60; attempt++) {
      up = await query('up{job="nexis-api"}');
      ingested = await query(expr);
      if (up?.data.result[0]?.value[1] === '1' && (ingested?.data.result.length ?? 0) > 0) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(up?.data.result[0]?.value[1], output.text.slice(-2000)).toBe('1');
    expect(Number(ingested?.data.result[0]?.value[1])).toBeGreaterThanOrEqual(1);
    const memory = await query('nexis_process_resident_memory_bytes / nexis_memory_limit_bytes');
    expect(Number(memory?.data.result[0]?.value[1])).toBeGreaterThan(0);
  });
});
