/**
 * Push benchmark: one simulated device pushes N audit events (default 100,000) through the real sync client and the
 * real HTTP API, against PGlite and, when DATABASE_URL is set, PostgreSQL. Prints events/s and end-to-end time
 * (including countersigning); never fails on a timing. `-- --events 20000` for a quick run.
 */
import { cpus } from 'node:os';
import { PushRequestSchema } from '../../shared/sync/push';
import { deviceEntryCount } from '../sync/console';
import { TEST_DATABASES } from '../testing/databases';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, startTestServer } from '../testing/test-server';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? undefined : Number(process.argv[at + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

const EVENTS = option('events', 100_000);
const BATCH = option('batch', 1000);

async function benchOne(target: (typeof TEST_DATABASES)[number]): Promise<void> {
  const database = await target.open();
  const server = await startTestServer(database);
  try {
    const device = new SimDevice({ checkpointEvery: 500, batchSize: BATCH });
    device.append(EVENTS);
    const client = device.client(server.url);
    await client.enrol(server.url, await enrolmentCode(server, 'BENCH-01'));
    const started = process.hrtime.bigint();
    const report = await client.syncOnce();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const stored = await deviceEntryCount(database.db, device.deviceId);
    if (stored !== EVENTS || report.push.ackedSeq !== EVENTS) {
      throw new Error(`stored ${stored} of ${EVENTS}`);
    }
    console.log(
      `${target.name.padEnd(10)} ${EVENTS} events in ${seconds.toFixed(2)} s = ${Math.round(EVENTS / seconds)} events/s ` +
        `(batches of ${BATCH}; last countersigned checkpoint at ${device.state.countersigned?.seq ?? 0})`,
    );
    const schemaSeconds = routeSchemaSeconds(device);
    console.log(
      `${''.padEnd(10)} of which the push route's zod schema: ${schemaSeconds.toFixed(2)} s ` +
        `(${((100 * schemaSeconds) / seconds).toFixed(1)} % of the push; target ≤ 10 %)`,
    );
  } finally {
    await server.close();
    await database.close();
  }
}

/** The push route's request schema on the same batches, measured alone (beyond JSON.parse, which any route pays). */
function routeSchemaSeconds(device: SimDevice): number {
  const bodies: string[] = [];
  for (let i = 0; i < device.entries.length; i += BATCH) {
    bodies.push(
      JSON.stringify({
        pushId: i + 1,
        head: device.head(),
        anchor: null,
        entries: device.entries.slice(i, i + BATCH),
        checkpoints: [],
      }),
    );
  }
  const parsed = bodies.map((b) => JSON.parse(b) as unknown);
  const started = process.hrtime.bigint();
  for (const body of parsed) {
    PushRequestSchema.parse(body);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function main(): Promise<void> {
  console.log(`push benchmark: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
  for (const target of TEST_DATABASES) {
    if (target.skip !== undefined) {
      console.log(`${target.name.padEnd(10)} skipped: ${target.skip}`);
      continue;
    }
    await benchOne(target);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
