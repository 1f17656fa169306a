/**
 * Deployment benchmark (issue 12): the production topology of server/testing/topology.ts (nginx terminating TLS, two
 * production-bundle instances as nexis_app, one PostgreSQL) against its peer measured in the same run, one instance
 * over plain http with no proxy. Push: N events from D simulated devices at once (aggregate events/s, p99 of one
 * push batch); /health: autocannon's CLI for S seconds with C connections, no pipelining. Prints the figures beside
 * the targets; never fails on a timing. Needs DATABASE_URL (a PostgreSQL superuser URL) and Debian's nginx, and says
 * so and exits 0 without them.
 *
 *   tsx server/cli/bench-deployment.ts [--events 100000] [--devices 20] [--batch 500] [--seconds 10]
 *                                      [--connections 10] [--quick]
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { fmt, machineLine, percentile } from '../../bench/machine';
import { rowsOf } from '../db/rows';
import { deviceEntryCount } from '../sync/console';
import { createEnrolmentCode } from '../sync/enrolment';
import { SimDevice } from '../testing/sim-device';
import { deviceTransport, nginxBinary, REPO, startTopology, type Topology } from '../testing/topology';

const run = promisify(execFile);
type SyncTransport = ReturnType<typeof deviceTransport>;

class BenchError extends Error {
  constructor(
    readonly code: 'BAD_ARGUMENTS' | 'AUTOCANNON_OUTPUT' | 'PUSH_INCOMPLETE' | 'PROXY_UNTRUSTED',
    message: string,
  ) {
    super(message);
    this.name = 'BenchError';
  }
}

const count = (max: number) => z.coerce.number().int().positive().max(max);
const ArgsSchema = z.strictObject({
  events: count(10_000_000).optional(),
  devices: count(1000).optional(),
  batch: count(1000).optional(),
  seconds: count(600).optional(),
  connections: count(1000).optional(),
  quick: z.boolean().optional(),
});

function readArgs(): { events: number; devices: number; batch: number; seconds: number; connections: number } {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      events: { type: 'string' },
      devices: { type: 'string' },
      batch: { type: 'string' },
      seconds: { type: 'string' },
      connections: { type: 'string' },
      quick: { type: 'boolean' },
    },
    strict: true,
  });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    throw new BenchError('BAD_ARGUMENTS', z.prettifyError(parsed.error));
  }
  const a = parsed.data;
  return {
    events: a.events ?? (a.quick === true ? 10_000 : 100_000),
    devices: a.devices ?? 20,
    // The sync client's own default batch size.
    batch: a.batch ?? 500,
    seconds: a.seconds ?? (a.quick === true ? 3 : 10),
    connections: a.connections ?? 10,
  };
}

/**
 * What the bench lifts, and why: every simulated device and autocannon share 127.0.0.1, where a real bank's
 * workstations come from many addresses, a few each. The production values are in the comments.
 */
const BENCH_BUDGETS = {
  NEXIS_RATE_LIMIT_IP_PER_MINUTE: '10000000', // production 1200
  NEXIS_RATE_LIMIT_DEVICE_PER_MINUTE: '100000', // production 600
  NEXIS_RATE_LIMIT_ENROL_PER_MINUTE: '10000', // production 20
} as const;
const BENCH_PER_IP = { rate: '100000r/s', burst: 100_000 } as const; // compose: 50r/s, burst 200

const INSTANCE_ENV = {
  ...BENCH_BUDGETS,
  // compose's pool size; the drain pause is for rolling restarts, which the bench does not do.
  NEXIS_DB_POOL_SIZE: '10',
  NEXIS_DRAIN_SECONDS: '0',
  // compose logs at info (two lines a request); here the harness collects the instances' output in memory.
  NEXIS_LOG_LEVEL: 'warn',
};

/**
 * The machine's CPU time from /proc/stat (Linux): a virtual machine's hypervisor may give its cores to other guests
 * (steal), and other work on the machine takes its share, both of which lower every figure here.
 */
interface CpuTimes {
  readonly total: number;
  readonly idle: number;
  readonly steal: number;
}

function cpuTimes(): CpuTimes | undefined {
  if (!existsSync('/proc/stat')) {
    return undefined;
  }
  const fields = /^cpu\s+(.*)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]?.trim().split(/\s+/).map(Number);
  if (fields === undefined || fields.length < 8 || fields.some((n) => !Number.isFinite(n))) {
    return undefined;
  }
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal };
}

/** Runs a phase and says how much of the machine's CPU time the hypervisor took meanwhile, and how much sat idle. */
async function measured<T>(phase: () => Promise<T>): Promise<{ figures: T; cpu: string }> {
  const before = cpuTimes();
  const figures = await phase();
  const after = cpuTimes();
  if (before === undefined || after === undefined || after.total <= before.total) {
    return { figures, cpu: 'n/a' };
  }
  const span = after.total - before.total;
  const pct = (n: number): string => `${Math.round((100 * n) / span)} %`;
  return { figures, cpu: `steal ${pct(after.steal - before.steal)}, idle ${pct(after.idle - before.idle)}` };
}

interface PushFigures {
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly batches: number;
  readonly p50: number;
  readonly p99: number;
}

/** Times each push request (the sync client's unit of work: one batch, countersigned checkpoints included). */
function timedTransport(inner: SyncTransport, batches: number[]): SyncTransport {
  return {
    async request(method, path, options) {
      if (path !== '/v1/sync/push') {
        return inner.request(method, path, options);
      }
      const started = performance.now();
      try {
        return await inner.request(method, path, options);
      } finally {
        batches.push(performance.now() - started);
      }
    },
  };
}

async function pushBench(
  topology: Topology,
  url: string,
  caPem: string | undefined,
  args: ReturnType<typeof readArgs>,
  branchId: string,
): Promise<PushFigures> {
  const batches: number[] = [];
  const transport = (target: string): SyncTransport => timedTransport(deviceTransport(target, 120_000, caPem), batches);
  const devices = Array.from(
    { length: args.devices },
    () => new SimDevice({ transport, checkpointEvery: 500, batchSize: args.batch }),
  );
  // The chains are built (hashed, checkpoints signed) before the clock starts: the devices' work, not the server's.
  devices.forEach((device, i) => {
    device.append(Math.floor(args.events / args.devices) + (i < args.events % args.devices ? 1 : 0));
  });
  for (const device of devices) {
    const { code } = await createEnrolmentCode(topology.owner.db, branchId, 30, new Date());
    await device.client(url).enrol(url, code);
  }
  const started = performance.now();
  const reports = await Promise.all(devices.map((device) => device.client(url).syncOnce()));
  const seconds = (performance.now() - started) / 1000;
  for (const [i, device] of devices.entries()) {
    const stored = await deviceEntryCount(topology.owner.db, device.deviceId);
    if (stored !== device.entries.length || reports[i]?.push.ackedSeq !== device.entries.length) {
      throw new BenchError(
        'PUSH_INCOMPLETE',
        `device ${i + 1}: ${stored} of ${device.entries.length} events stored, ${reports[i]?.push.ackedSeq} acknowledged`,
      );
    }
  }
  const sorted = [...batches].sort((a, b) => a - b);
  return {
    seconds,
    eventsPerSecond: args.events / seconds,
    batches: batches.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

const AutocannonSchema = z.object({
  latency: z.object({ mean: z.number(), p99: z.number(), max: z.number() }),
  requests: z.object({ average: z.number(), total: z.number() }),
  errors: z.number(),
  timeouts: z.number(),
  non2xx: z.number(),
});
type HealthFigures = z.infer<typeof AutocannonSchema>;

async function healthBench(url: string, args: ReturnType<typeof readArgs>): Promise<HealthFigures> {
  const { stdout } = await run(
    join(REPO, 'node_modules', '.bin', 'autocannon'),
    ['--json', '-c', String(args.connections), '-d', String(args.seconds), `${url}/health`],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new BenchError('AUTOCANNON_OUTPUT', 'autocannon printed something that is not JSON');
  }
  const parsed = AutocannonSchema.safeParse(json);
  if (!parsed.success) {
    throw new BenchError('AUTOCANNON_OUTPUT', `autocannon's JSON is not as expected: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ')).join('\n');
}

const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');

async function main(): Promise<void> {
  const args = readArgs();
  console.log(machineLine());
  const superuserUrl = process.env.DATABASE_URL ?? '';
  if (superuserUrl === '' || nginxBinary() === undefined) {
    console.log(
      'deployment benchmark skipped: it needs DATABASE_URL (a PostgreSQL superuser URL) and nginx ' +
        `(${superuserUrl === '' ? 'DATABASE_URL is not set' : 'nginx is not installed'})`,
    );
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'nexis-bench-deploy-'));
  let topology: Topology | undefined;
  const cleanUp = async (): Promise<void> => {
    await topology?.stop();
    topology = undefined;
    rmSync(dir, { recursive: true, force: true });
  };
  // Ctrl-C or a kill mid-run still stops nginx and the instances and drops the scratch database.
  const onSignal = (signal: NodeJS.Signals): void => {
    void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const up = await startTopology({ superuserUrl, dir, instanceEnv: INSTANCE_ENV, perIp: BENCH_PER_IP });
    topology = up;
    const { proxy, tls, instances, owner } = up;
    const version = rowsOf<{ server_version: string }>(await owner.db.execute(sql`SHOW server_version`))[0];
    // autocannon does not check certificates (its TLS client sets rejectUnauthorized: false), so the proxy is first
    // checked to answer over TLS with this run's CA, as a workstation would.
    const pinned = await deviceTransport(proxy.url, 5_000, tls.caPem).request('GET', '/health');
    if (pinned.status !== 200) {
      throw new BenchError('PROXY_UNTRUSTED', `the proxy answered ${pinned.status} over TLS with the run's CA`);
    }
    console.log(
      `deployment benchmark: nginx (TLS, per-IP budget ${BENCH_PER_IP.rate} burst ${BENCH_PER_IP.burst}) → 2 instances ` +
        `→ PostgreSQL ${version?.server_version ?? '?'}, beside 1 instance over plain http (same run, same database)`,
    );
    console.log(
      `bench settings (all devices and autocannon share 127.0.0.1): ` +
        Object.entries(INSTANCE_ENV)
          .map(([k, v]) => `${k}=${v}`)
          .join(' '),
    );
    const pushLabel = `${fmt(args.events)} events, ${args.devices} devices, batches of ${args.batch}`;
    console.log(`push through nginx: ${pushLabel} …`);
    const { figures: pushProxy, cpu: pushProxyCpu } = await measured(() =>
      pushBench(up, proxy.url, tls.caPem, args, 'BENCH-PROXY'),
    );
    console.log(`push direct to ${instances[0].name}: ${pushLabel} …`);
    const { figures: pushDirect, cpu: pushDirectCpu } = await measured(() =>
      pushBench(up, instances[0].url, undefined, args, 'BENCH-DIRECT'),
    );
    const perIpConnections = Number(
      /limit_conn\s+nexis_conn_per_ip\s+(\d+);/.exec(
        readFileSync(join(REPO, 'deployment', 'nginx', 'nexis.conf.template'), 'utf8'),
      )?.[1] ?? Number.NaN,
    );
    if (args.connections > perIpConnections) {
      console.log(
        `note: nginx accepts ${perIpConnections} connections per address; the ${args.connections - perIpConnections} ` +
          'beyond are refused and counted as errors',
      );
    }
    const healthLabel = `${args.connections} connections, ${args.seconds} s, no pipelining`;
    console.log(`GET /health through nginx: ${healthLabel} …`);
    const { figures: healthProxy, cpu: healthProxyCpu } = await measured(() => healthBench(proxy.url, args));
    console.log(`GET /health direct to ${instances[0].name}: ${healthLabel} …`);
    const { figures: healthDirect, cpu: healthDirectCpu } = await measured(() => healthBench(instances[0].url, args));

    const failed = (h: HealthFigures): number => h.errors + h.timeouts + h.non2xx;
    const rows: string[][] = [
      ['measure', 'nginx+TLS, 2 instances', 'direct, 1 instance', 'target (nginx)', ''],
      [
        'push events/s',
        fmt(Math.round(pushProxy.eventsPerSecond)),
        fmt(Math.round(pushDirect.eventsPerSecond)),
        '>= 20,000',
        met(pushProxy.eventsPerSecond >= 20_000),
      ],
      ['push wall time', `${pushProxy.seconds.toFixed(2)} s`, `${pushDirect.seconds.toFixed(2)} s`, '', ''],
      [
        `push batch p50 / p99 (n=${pushProxy.batches})`,
        `${pushProxy.p50.toFixed(1)} / ${pushProxy.p99.toFixed(1)} ms`,
        `${pushDirect.p50.toFixed(1)} / ${pushDirect.p99.toFixed(1)} ms`,
        '',
        '',
      ],
      ['machine CPU during the push', pushProxyCpu, pushDirectCpu, '', ''],
      [
        '/health requests/s',
        fmt(Math.round(healthProxy.requests.average)),
        fmt(Math.round(healthDirect.requests.average)),
        '>= 10,000',
        met(healthProxy.requests.average >= 10_000),
      ],
      [
        '/health latency mean / p99',
        `${healthProxy.latency.mean.toFixed(2)} / ${healthProxy.latency.p99} ms`,
        `${healthDirect.latency.mean.toFixed(2)} / ${healthDirect.latency.p99} ms`,
        'p99 <= 10 ms',
        met(healthProxy.latency.p99 <= 10),
      ],
      [
        '/health errors+timeouts+non-2xx',
        String(failed(healthProxy)),
        String(failed(healthDirect)),
        '0',
        met(failed(healthProxy) === 0),
      ],
      ['machine CPU during /health', healthProxyCpu, healthDirectCpu, '', ''],
    ];
    console.log(`\n${table(rows)}\n`);
    console.log(
      'Timings never fail the run. The same cores run the load generators (simulated devices, autocannon), nginx, ' +
        'both instances and PostgreSQL; steal is CPU time the hypervisor gave to other guests.',
    );
  } catch (error) {
    // What the proxy and the instances said, before their folder goes: a failed run should say why.
    if (topology !== undefined) {
      const tail = (text: string): string => text.split('\n').slice(-15).join('\n');
      console.error(`nginx error log:\n${tail(topology.proxy.errorLog())}`);
      console.error(`nginx access log (last lines):\n${tail(topology.proxy.accessLog())}`);
      for (const instance of topology.instances) {
        console.error(`${instance.name} output:\n${tail(instance.output())}`);
      }
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchError ? `${error.code}: ${error.message}` : error);
  process.exit(1);
});
