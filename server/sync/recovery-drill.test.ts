/**
 * The recovery drill (issue 13, docs/data-lifecycle.md "Recovery drill"), end to end with a real centre:
 *
 *  1. a workstation works, syncs, and writes a recovery bundle to the administrator's drive folder;
 *  2. it goes on working after the bundle (a registration, an erasure, a consent withdrawal), syncs, and dies;
 *  3. a central administrator revokes it, then issues a recovery code for its device id;
 *  4. the bank's IT restores the bundle on a new machine with the offline recovery identity (`recovery:restore`);
 *  5. the restored workstation refuses to sync until it re-enrols with the code, then takes back and checks the chain
 *     tail it pushed after the bundle, carries out again the erasure and the withdrawal the tail holds, and
 *  6. continues: new work syncs, the centre acknowledges it, and no fork or other chain issue is ever flagged.
 */
import { readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_FILE } from '../../electron/core/db/keys';
import { readRecoveryBundle } from '../../electron/core/recovery/recovery-bundle';
import { runRecoveryCommand } from '../../electron/core/recovery/recovery-command';
import { consentFor, FORM_VALUES, intakeReady, PERSON } from '../../electron/core/testing/intake-fixtures';
import {
  ADMIN,
  createTempWorkstation,
  makeTempDir,
  TEST_SCRYPT_COST,
  type TempWorkstation,
} from '../../electron/core/testing/temp-workstation';
import { createWorkstation, type Workstation } from '../../electron/core/workstation';
import { openDatabase, type Database as ServerDatabase } from '../db/database';
import { rowsOf } from '../db/rows';
import { testTrustOptions } from '../testing/releases';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

describe('recovery drill: a dead workstation restored from its bundle continues its chain at the centre', () => {
  let pgDir: string;
  let database: ServerDatabase;
  let server: TestServer;
  let t: TempWorkstation;
  let identity: string;
  let recipient: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    identity = await generateX25519Identity();
    recipient = await identityToRecipient(identity);
    pgDir = makeTempDir('nexis-drill-pg-');
    database = await openDatabase({ kind: 'pglite', dataDir: pgDir });
    server = await startTestServer(database);
    t = createTempWorkstation({ syncIntervalMs: 600_000, recoveryRecipients: [recipient], ...testTrustOptions() });
    await intakeReady(t);
    await t.ws.modelReady;
    const enrolled = await t.call('admin', 'sync:enrol', {
      serverUrl: server.url,
      code: await enrolmentCode(server, 'NBO-01'),
    });
    if (!enrolled.ok) {
      throw new Error(`${enrolled.error.code}: ${enrolled.error.message}`);
    }
  }, 60_000);

  afterAll(async () => {
    t.cleanup();
    await server.close();
    await database.close();
    for (const dir of [pgDir, ...dirs]) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  async function register(call: TempWorkstation['call'], name: string): Promise<string> {
    const registered = await call('officer', 'applicants:register', {
      personal: { ...PERSON, fullName: name },
      consent: consentFor(t.ws, { 'central-sync': true }),
      values: FORM_VALUES,
    });
    if (!registered.ok) {
      throw new Error(registered.error.message);
    }
    const scored = await call('officer', 'scoring:score', { applicantId: registered.value.applicantId });
    expect(scored).toMatchObject({ ok: true });
    return registered.value.applicantId;
  }

  const centre = async (deviceId: string) => {
    const [device] = rowsOf<{ acked_seq: number | string; chain_status: string; revoked_at: unknown }>(
      await database.db.execute(
        sql`SELECT acked_seq, chain_status, revoked_at FROM devices WHERE device_id = ${deviceId}`,
      ),
    );
    const issues = rowsOf<{ kind: string }>(
      await database.db.execute(sql`SELECT kind FROM chain_issues WHERE device_id = ${deviceId}`),
    );
    return {
      ackedSeq: Number(device?.acked_seq),
      status: device?.chain_status,
      revoked: device?.revoked_at !== null,
      issues,
    };
  };

  it('restores, re-enrols, takes back its tail and continues without a fork', async () => {
    const deviceId = t.ws.deviceKey.deviceId;
    const kept = await register(t.call.bind(t), 'Wanjiru Kept');
    const erasedLater = await register(t.call.bind(t), 'Baraka Erased');
    expect(await t.call('admin', 'sync:now', {})).toMatchObject({ ok: true });

    // 1. The daily bundle, to the administrator's drive folder.
    const drive = realpathSync(makeTempDir('nexis-drill-drive-'));
    dirs.push(drive);
    expect(await t.call('admin', 'recovery:setFolder', { folder: drive })).toMatchObject({ ok: true });
    const run = await t.call('admin', 'recovery:runNow', {});
    if (!run.ok) {
      throw new Error(run.error.message);
    }
    const bundleFile = join(drive, run.value.fileName);
    const bundleHead = (await readRecoveryBundle(bundleFile, identity)).header.auditHead.seq;

    // 2. Work after the bundle, synced, then the laptop dies.
    const afterBundle = await register(t.call.bind(t), 'Achieng After');
    t.ws.applicants.erase('system', erasedLater, 'data-subject-request');
    expect(await t.call('officer', 'consent:withdraw', { applicantId: kept, purpose: 'central-sync' })).toMatchObject({
      ok: true,
    });
    expect(await t.call('admin', 'sync:now', {})).toMatchObject({ ok: true });
    const deadHead = t.ws.store.read(() => t.ws.store.audit.head());
    expect(deadHead.seq).toBeGreaterThan(bundleHead);
    expect((await centre(deviceId)).ackedSeq).toBe(deadHead.seq);
    t.ws.close();

    // 3. The centre: the dead laptop is revoked, and a recovery code is issued for its device id.
    expect((await server.publish('POST', `/v1/admin/devices/${deviceId}/revoke`)).status).toBe(201);
    const issued = await server.admin('POST', `/v1/admin/devices/${deviceId}/recovery-code`, {});
    expect(issued.status).toBe(201);
    const recoveryCode = (issued.body as { code: string }).code;

    // 4. Bank IT restores the bundle on a new machine with the offline identity.
    const newMachine = join(makeTempDir('nexis-drill-new-'), 'data');
    dirs.push(join(newMachine, '..'));
    const identityFile = join(drive, '..', `${run.value.fileName}.identity`);
    writeFileSync(identityFile, `${identity}\n`, { mode: 0o600 });
    dirs.push(identityFile);
    const lines: string[] = [];
    expect(
      await runRecoveryCommand(['recovery:restore', bundleFile, '--identity', identityFile, '--data', newMachine], {
        write: (line) => lines.push(line),
      }),
    ).toBe(0);
    const options = {
      dataDir: newMachine,
      dbKey: Buffer.from(readFileSync(join(newMachine, KEY_FILE), 'utf8').trim(), 'hex'),
      clock: t.clock,
      scryptCost: TEST_SCRYPT_COST,
      syncIntervalMs: 600_000,
      recoveryRecipients: [recipient],
      ...testTrustOptions(),
    };
    const ws: Workstation = createWorkstation(options);
    try {
      await ws.modelReady;
      const call = ws.dispatch.bind(ws) as TempWorkstation['call'];
      expect(ws.deviceKey.deviceId).toBe(deviceId);
      // The restored database is the bundle's: the work after it is not here, and the erased applicant still is.
      expect(ws.store.read(() => ws.store.audit.head()).seq).toBe(bundleHead);
      expect(ws.applicants.isActive(erasedLater)).toBe(true);
      expect(ws.applicants.isActive(afterBundle)).toBe(false);

      // 5. Nothing happens before the rejoin: no sign-in (it would write an entry at bundleHead + 1, forking the
      // chain), no sync.
      expect(await call('admin', 'auth:signIn', { username: ADMIN.username, password: ADMIN.password })).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', message: expect.stringMatching(/recovery:rejoin/) },
      });
      expect(ws.sync.status()).toMatchObject({ recoveryPending: { bundleHeadSeq: bundleHead } });
      const held = await ws.sync.syncNow();
      expect(held.lastError).toMatchObject({ code: 'RECOVERY_PENDING' });
      expect(ws.store.read(() => ws.store.audit.head()).seq).toBe(bundleHead);
      expect((await centre(deviceId)).ackedSeq).toBe(deadHead.seq);
    } finally {
      ws.close();
    }

    const io = { write: (line: string) => lines.push(line), workstation: options };
    // An ordinary enrolment code cannot reinstate the device.
    const ordinary = await enrolmentCode(server, 'NBO-01');
    await expect(runRecoveryCommand(['recovery:rejoin', '--data', newMachine, '--code', ordinary], io)).rejects.toThrow(
      /enrol/i,
    );
    expect(await runRecoveryCommand(['recovery:rejoin', '--data', newMachine, '--code', recoveryCode], io)).toBe(0);
    expect(lines.at(-1)).toMatch(new RegExp(`rejoined ${deviceId}`));
    // Done once: a second rejoin is refused.
    await expect(
      runRecoveryCommand(['recovery:rejoin', '--data', newMachine, '--code', recoveryCode], io),
    ).rejects.toThrow(/not restored from a recovery bundle/);

    {
      const recoveredWs = createWorkstation(options);
      try {
        // The tail is back verbatim, and the privacy-relevant work in it is carried out here too.
        const tailEntry = recoveredWs.store.sqlite
          .prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?')
          .get(deadHead.seq);
        expect(tailEntry?.hash).toBe(deadHead.hash);
        expect(recoveredWs.applicants.isActive(erasedLater)).toBe(false);
        expect(recoveredWs.consent.purposes(kept).find((p) => p.purpose === 'central-sync')?.active).toBe(false);
        const [recoveredEntry] = recoveredWs.audit.list({ page: 1, pageSize: 5, action: 'device.recovered' }).entries;
        expect(recoveredEntry?.payload).toMatchObject({
          bundleHeadSeq: bundleHead,
          tailFrom: bundleHead + 1,
          tailTo: deadHead.seq,
          erasedAgain: 1,
          withdrawnAgain: 1,
        });
      } finally {
        recoveredWs.close();
      }
    }
    // 6. New work continues the centre's head: acknowledged, and no chain issue anywhere.
    const again = createWorkstation(options);
    try {
      await again.modelReady;
      const call2 = again.dispatch.bind(again) as TempWorkstation['call'];
      expect(await call2('admin', 'auth:signIn', { username: ADMIN.username, password: ADMIN.password })).toMatchObject(
        {
          ok: true,
        },
      );
      expect(
        await call2('officer', 'auth:signIn', { username: 'otieno.officer', password: 'officer secret 456' }),
      ).toMatchObject({ ok: true });
      const fresh = await call2('officer', 'applicants:register', {
        personal: { ...PERSON, fullName: 'Njeri New' },
        consent: consentFor(again, { 'central-sync': true }),
        values: FORM_VALUES,
      });
      expect(fresh).toMatchObject({ ok: true });
      const synced = await call2('admin', 'sync:now', {});
      expect(synced).toMatchObject({ ok: true, value: { lastError: null, backlog: 0, revoked: false } });
      const head = again.store.read(() => again.store.audit.head());
      expect(head.seq).toBeGreaterThan(deadHead.seq);
      expect(await centre(deviceId)).toEqual({ ackedSeq: head.seq, status: 'ok', revoked: false, issues: [] });
      expect(await call2('admin', 'audit:verify', {})).toMatchObject({ ok: true, value: { ok: true } });
    } finally {
      again.close();
    }
    expect(readdirSync(drive).length).toBeGreaterThan(0);
    expect(lines.join('\n')).toContain(deviceId);
  }, 180_000);
});
