/**
 * `/health` under load: autocannon (its CLI, JSON output) against a real server on 127.0.0.1 (PGlite; liveness does
 * not touch the database). Prints mean/p99 latency, throughput and errors; never fails on a timing.
 * `-- --seconds 10 --connections 10`.
 */
import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { promisify } from 'node:util';
import { openDatabase } from '../db/database';
import { startTestServer } from '../testing/test-server';

const run = promisify(execFile);

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? undefined : Number(process.argv[at + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

interface AutocannonResult {
  latency: { mean: number; p99: number; max: number };
  requests: { average: number; total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

async function main(): Promise<void> {
  const seconds = option('seconds', 10);
  const connections = option('connections', 10);
  const database = await openDatabase({ kind: 'pglite' });
  const server = await startTestServer(database);
  try {
    const { stdout } = await run(
      'npx',
      ['autocannon', '--json', '-c', String(connections), '-d', String(seconds), `${server.url}/health`],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const result = JSON.parse(stdout) as AutocannonResult;
    console.log(`health benchmark: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
    console.log(
      `GET /health, ${connections} connections, ${seconds} s: mean ${result.latency.mean.toFixed(2)} ms, ` +
        `p99 ${result.latency.p99} ms, max ${result.latency.max} ms, ${Math.round(result.requests.average)} req/s, ` +
        `${result.requests.total} requests, errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}`,
    );
  } finally {
    await server.close();
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
