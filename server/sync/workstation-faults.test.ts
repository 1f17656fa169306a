/**
 * The real workstation (encrypted SQLite, createWorkstation's WorkstationSync, IPC) syncing through the
 * fault-injecting proxy while officers keep working, with a server restart in the middle. The simulated devices of
 * resilience.test.ts cover thousands of exchanges; this proves the same for the code the app runs: officer work
 * never fails because of sync, and after healing the central chain equals the local one with nothing flagged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { openDatabase, type Database } from '../db/database';
import { auditEntries, chainIssues } from '../db/schema';
import { createTempWorkstation, type TempWorkstation } from '../../electron/core/testing/temp-workstation';
import { consentFor, FORM_VALUES, intakeReady, PERSON } from '../../electron/core/testing/intake-fixtures';
import { startFaultProxy, type FaultProxy } from '../testing/fault-proxy';
import { seededRandom } from '../testing/prng';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

const SEED = Number(process.env.NEXIS_FAULT_SEED ?? '20261125');
const ROUNDS = 60;

describe(`a real workstation syncing through faults (seed ${SEED})`, () => {
  let database: Database;
  let server: TestServer;
  let proxy: FaultProxy;
  let t: TempWorkstation;

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    server = await startTestServer(database);
    proxy = await startFaultProxy(server.port, {
      random: seededRandom(SEED),
      rates: { 'drop-request': 0.1, 'drop-response': 0.1, duplicate: 0.1, delay: 0.08, reorder: 0.08, cut: 0.08 },
      maxDelayMs: 30,
    });
    // Small checkpoints and batches, so countersignatures and multi-batch pushes happen under faults.
    t = createTempWorkstation({ syncIntervalMs: 600_000, checkpointEvery: 7 });
    await intakeReady(t);
    await t.ws.modelReady;
  }, 60_000);

  afterAll(async () => {
    t.cleanup();
    await proxy.close();
    await server.close();
    await database.close();
  });

  it('never fails an officer, and converges exactly after healing', { timeout: 300_000 }, async () => {
    proxy.setFaults(false);
    const code = await enrolmentCode(server, 'NBO-01');
    const enrolled = await t.call('admin', 'sync:enrol', { serverUrl: proxy.url, code });
    expect(enrolled.ok).toBe(true);
    proxy.setFaults(true);

    let failures = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const registered = await t.call('officer', 'applicants:register', {
        personal: PERSON,
        consent: consentFor(t.ws, { 'central-sync': round % 2 === 0 }),
      });
      expect(registered.ok).toBe(true);
      if (registered.ok && round % 3 === 0) {
        const saved = await t.call('officer', 'applicants:saveFeatures', {
          applicantId: registered.value.applicantId,
          values: FORM_VALUES,
        });
        expect(saved.ok).toBe(true);
      }
      const status = await t.call('admin', 'sync:now', {});
      expect(status.ok).toBe(true);
      if (status.ok && status.value.lastError !== null) {
        failures += 1;
      }
      if (round === ROUNDS / 2) {
        // Central restarts on the same database (new port): the proxy follows it, the workstation notices nothing.
        await server.close();
        // The same keyring: restarts keep the server's keys, which live outside the database.
        server = await startTestServer(database, { keyring: server.keyring });
        proxy.setTarget(server.port);
      }
    }
    expect(failures).toBeGreaterThan(0);
    expect(proxy.stats.total).toBeGreaterThan(ROUNDS);

    proxy.setFaults(false);
    let healed = await t.call('admin', 'sync:now', {});
    for (let attempt = 0; attempt < 5 && healed.ok && healed.value.lastError !== null; attempt += 1) {
      healed = await t.call('admin', 'sync:now', {});
    }
    expect(healed).toMatchObject({ ok: true, value: { backlog: 0, lastError: null, state: 'idle' } });

    const local = t.ws.store.sqlite
      .prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq')
      .all();
    const central = await database.db
      .select({ seq: auditEntries.seq, hash: auditEntries.hash })
      .from(auditEntries)
      .where(eq(auditEntries.deviceId, t.ws.deviceKey.deviceId))
      .orderBy(asc(auditEntries.seq));
    expect(central).toEqual(local);
    expect(await database.db.select().from(chainIssues)).toEqual([]);
    const countersigned = healed.ok ? healed.value.countersigned : null;
    expect(countersigned?.seq).toBeGreaterThan(0);
  });
});
