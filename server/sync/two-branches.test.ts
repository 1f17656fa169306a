/**
 * The issue's "done when", end to end with real parts: two encrypted workstations (two data folders) and one central
 * API (PGlite, and PostgreSQL when DATABASE_URL is set), wired exactly as the app wires them (createWorkstation →
 * WorkstationSync, driven through IPC). Both work offline, reconnect and converge; the console (on branch A) sees
 * both; a model release published centrally is installed on both after verification and a tampered one on neither;
 * an erasure requested at branch A is applied at branch B; officers published centrally arrive with no usable
 * password; a revoked device is refused.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../db/database';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { auditEntries } from '../db/schema';
import { ADMIN, createTempWorkstation, type TempWorkstation } from '../../electron/core/testing/temp-workstation';
import { consentFor, FORM_VALUES, intakeReady, PERSON } from '../../electron/core/testing/intake-fixtures';
import { verifyAuditChain } from '../../electron/core/audit/verify';
import { computeSpecHash } from '../../shared/features';
import { sha256Hex } from '../../models/core/hash';
import { signPackage } from '../../models/package/signing';
import type { SyncStatusView } from '../../shared/ipc/sync';
import { startFaultProxy, type FaultProxy } from '../testing/fault-proxy';
import { signedOfficer, signedPolicy, testModelDir, testReleaseKey, testTrustOptions } from '../testing/releases';
import { openSealedAttachment } from './attachment-vault';
import { secretsFromKeyring } from '../security/secrets';
import { startTestServer, type TestServer } from '../testing/test-server';

async function ok<T>(
  result: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
) {
  const settled = await result;
  if (!settled.ok) {
    throw new Error(`${settled.error.code}: ${settled.error.message}`);
  }
  return settled.value;
}

async function localChain(t: TempWorkstation): Promise<{ seq: number; hash: string }[]> {
  return t.ws.store.sqlite
    .prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq')
    .all();
}

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`two branches and one central API on ${targetTitle(target)}`, () => {
    let database: Database;
    let server: TestServer;
    let proxy: FaultProxy;
    let a: TempWorkstation;
    let b: TempWorkstation;
    const applicants: { a?: string; b?: string } = {};

    const syncNow = (t: TempWorkstation): Promise<SyncStatusView> => ok(t.call('admin', 'sync:now', {}));
    /** Carol's central credentials with a fresh TOTP code, for the console on branch A. */
    const centralAdmin = () => ({
      username: 'carol',
      password: server.carol.password,
      totp: server.carol.nextTotp(),
      serverUrl: proxy.url,
    });
    /** Four eyes: what carol proposed from the console, bob approves over the admin API. */
    const approve = async (answer: { proposal: { id: number } }): Promise<void> => {
      const decided = await server.bob.request('POST', `/v1/admin/proposals/${answer.proposal.id}/approve`, {
        reason: 'diff checked',
      });
      expect(decided.status).toBe(200);
    };

    async function registerScoreDecide(t: TempWorkstation, centralSync: boolean): Promise<string> {
      const { applicantId } = await ok(
        t.call('officer', 'applicants:register', {
          personal: PERSON,
          consent: consentFor(t.ws, { 'central-sync': centralSync }),
        }),
      );
      await ok(t.call('officer', 'applicants:saveFeatures', { applicantId, values: FORM_VALUES }));
      const score = await ok(t.call('officer', 'scoring:score', { applicantId }));
      const decision = score.outcome === 'refer' ? 'refer' : score.outcome;
      await ok(
        t.call('officer', 'decisions:record', {
          scoreId: score.scoreId,
          decision,
          reasonCodes: [`model:${score.reasons[0]?.feature ?? 'none'}`],
        }),
      );
      return applicantId;
    }

    beforeAll(async () => {
      database = await target.open();
      server = await startTestServer(database);
      // Loopback proxy with no faults: pointing it at a closed port is how a branch goes offline.
      proxy = await startFaultProxy(server.port, { rates: {}, random: Math.random });
      proxy.setFaults(false);
      // Background sync every 10 minutes: the test drives sync through `sync:now`, as the console does.
      // Both branches trust the run-time "bank" key and start on the default package signed with it.
      a = createTempWorkstation({ syncIntervalMs: 600_000, checkpointEvery: 10, ...testTrustOptions() });
      b = createTempWorkstation({ syncIntervalMs: 600_000, checkpointEvery: 10, ...testTrustOptions() });
      for (const t of [a, b]) {
        await intakeReady(t);
        await t.ws.modelReady;
      }
    }, 60_000);

    afterAll(async () => {
      a.cleanup();
      b.cleanup();
      await proxy.close();
      await server.close();
      await database.close();
    });

    it('enrols each workstation for its branch through the console on branch A', async () => {
      const before = await ok(a.call('admin', 'sync:status', {}));
      expect(before).toMatchObject({ enrolled: false, state: 'not-configured' });
      expect(await a.call('admin', 'console:overview', {})).toMatchObject({
        ok: false,
        error: { code: 'CONSOLE_NOT_CONNECTED' },
      });
      const wrong = await a.call('admin', 'console:signIn', {
        username: 'carol',
        password: 'not the password at all',
        totp: '000000',
        serverUrl: proxy.url,
      });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'CENTRAL_REFUSED' } });
      expect(await ok(a.call('admin', 'console:signIn', centralAdmin()))).toMatchObject({
        status: 'connected',
        connection: { admin: { username: 'carol' } },
      });

      const codeA = await ok(a.call('admin', 'console:createEnrolmentCode', { branchId: 'NBO-01', ttlMinutes: 30 }));
      const codeB = await ok(a.call('admin', 'console:createEnrolmentCode', { branchId: 'MSA-01', ttlMinutes: 30 }));
      const bad = await b.call('admin', 'sync:enrol', { serverUrl: proxy.url, code: 'AAAAA-AAAAA-AAAAA-AAAAA' });
      expect(bad).toMatchObject({ ok: false, error: { code: 'CENTRAL_REFUSED' } });
      expect(await ok(a.call('admin', 'sync:enrol', { serverUrl: proxy.url, code: codeA.code }))).toMatchObject({
        enrolled: true,
        branchId: 'NBO-01',
      });
      expect(await ok(b.call('admin', 'sync:enrol', { serverUrl: proxy.url, code: codeB.code }))).toMatchObject({
        enrolled: true,
        branchId: 'MSA-01',
      });
      // The central session lives for the unlocked session only: a lock forgets it, and the unlocked session must connect again.
      await ok(a.call('admin', 'auth:lock', {}));
      await ok(a.call('admin', 'auth:unlock', { password: ADMIN.password }));
      expect(await a.call('admin', 'console:overview', {})).toMatchObject({
        ok: false,
        error: { code: 'CONSOLE_NOT_CONNECTED' },
      });
      await ok(a.call('admin', 'console:signIn', centralAdmin()));
      // Plain http is refused for anything but this machine: tokens and personal data never cross a network in clear.
      expect(
        await a.call('admin', 'console:signIn', {
          username: 'carol',
          password: server.carol.password,
          totp: '000000',
          serverUrl: 'http://10.0.0.5:8787',
        }),
      ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      // A code is single-use: B's code cannot enrol A again, and A is enrolled already anyway.
      expect(await a.call('admin', 'sync:enrol', { serverUrl: proxy.url, code: codeB.code })).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT' },
      });
    });

    it('keeps working offline, then converges: central holds each chain exactly, with the countersignature', async () => {
      proxy.setTarget(1); // nothing listens on port 1: both branches are offline
      applicants.a = await registerScoreDecide(a, true);
      applicants.b = await registerScoreDecide(b, false);
      for (const t of [a, b]) {
        const offline = await syncNow(t);
        expect(offline.state).toBe('error');
        expect(offline.lastError?.code).toBe('NETWORK');
        expect(offline.backlog).toBeGreaterThan(0);
        expect(t.ws.status().sync.state).toBe('error');
      }

      proxy.setTarget(server.port);
      for (const t of [a, b]) {
        const online = await syncNow(t);
        expect(online).toMatchObject({ state: 'idle', backlog: 0, lastError: null });
        expect(online.countersigned).not.toBeNull();
        const stored = await database.db
          .select({ seq: auditEntries.seq, hash: auditEntries.hash })
          .from(auditEntries)
          .where(eq(auditEntries.deviceId, t.ws.deviceKey.deviceId))
          .orderBy(asc(auditEntries.seq));
        expect(stored).toEqual(await localChain(t));
      }

      // Attachments: personal data only where central-sync was granted; scores and decisions always, pseudonymous.
      const kinds = async (subject: string) =>
        (
          await database.db
            .select({ action: auditEntries.action, kind: auditEntries.attachmentKind })
            .from(auditEntries)
            .where(eq(auditEntries.subject, subject))
        ).map((r) => `${r.action}:${r.kind ?? '-'}`);
      expect(await kinds(applicants.a ?? '')).toEqual(
        expect.arrayContaining([
          'applicant.registered:applicant.record',
          'consent.captured:consent.receipt',
          'behaviour.captured:behaviour.summary',
          'applicant.scored:score.result',
          'decision.recorded:decision.record',
        ]),
      );
      const bKinds = await kinds(applicants.b ?? '');
      expect(bKinds).toEqual(
        expect.arrayContaining([
          'applicant.registered:-',
          'behaviour.captured:-',
          'applicant.scored:score.result',
          'decision.recorded:decision.record',
        ]),
      );
      // Branch A's applicant agreed to central sync: the record is held centrally, sealed under the applicant's key.
      const everything = JSON.stringify(await database.db.select().from(auditEntries));
      expect(everything).not.toContain(PERSON.fullName);
      const [record] = await database.db
        .select()
        .from(auditEntries)
        .where(and(eq(auditEntries.subject, applicants.a ?? ''), eq(auditEntries.attachmentKind, 'applicant.record')));
      const opened = await openSealedAttachment(database.db, secretsFromKeyring(server.keyring), {
        applicantId: applicants.a ?? '',
        deviceId: record?.deviceId ?? '',
        seq: record?.seq ?? 0,
        kind: 'applicant.record',
        sealed: record?.attachmentSealed ?? '',
      });
      expect(JSON.stringify(opened)).toContain(PERSON.fullName);
      const bRows = JSON.stringify(
        await database.db
          .select()
          .from(auditEntries)
          .where(eq(auditEntries.subject, applicants.b ?? '')),
      );
      expect(bRows).not.toContain(PERSON.nationalId);

      const overview = await ok(a.call('admin', 'console:overview', {}));
      expect(overview.devices.map((d) => [d.branchId, d.chainStatus, d.backlog, d.status]).sort()).toEqual([
        ['MSA-01', 'ok', 0, 'active'],
        ['NBO-01', 'ok', 0, 'active'],
      ]);
      expect(overview.issues).toEqual([]);
      expect(overview.activity.branches.map((x) => x.branchId).sort()).toEqual(['MSA-01', 'NBO-01']);
      expect(overview.devices.every((d) => d.lastCountersigned !== null)).toBe(true);
    });

    it('removes central personal data on a central-sync withdrawal, and again when a branch pushes it late', async () => {
      const rowsOf = async (subject: string) =>
        database.db
          .select({ kind: auditEntries.attachmentKind, attachment: auditEntries.attachment })
          .from(auditEntries)
          .where(eq(auditEntries.subject, subject));
      const withdrawn = applicants.a ?? '';
      await ok(a.call('admin', 'console:requestWithdrawal', { applicantId: withdrawn, purpose: 'central-sync' }));
      const after = await rowsOf(withdrawn);
      expect(after.map((r) => r.kind)).toEqual(
        expect.arrayContaining(['applicant.record.removed', 'behaviour.summary.removed', 'score.result']),
      );
      const score = after.find((r) => r.kind === 'score.result')?.attachment as Record<string, unknown>;
      expect(score).toHaveProperty('score');
      expect(score).not.toHaveProperty('contributions');
      expect(JSON.stringify(after)).not.toContain(PERSON.fullName);

      // Registered with central-sync while the erasure request is already on the feed: the push that carries the
      // record comes first, and the record is removed as it arrives; the pull then erases it at the branch.
      const { applicantId: late } = await ok(
        a.call('officer', 'applicants:register', {
          personal: PERSON,
          consent: consentFor(a.ws, { 'central-sync': true }),
        }),
      );
      await approve(await ok(a.call('admin', 'console:requestErasure', { applicantId: late })));
      await syncNow(a);
      expect(JSON.stringify(await rowsOf(late))).not.toContain(PERSON.nationalId);
      expect((await rowsOf(late)).map((r) => r.kind)).toContain('applicant.record.removed');
      expect(a.ws.applicants.get(late).status).toBe('erased');
    });

    it('puts a centrally published policy in force on both branches; scores record it and replay under it', async () => {
      const refused = await ok(
        a.call(
          'admin',
          'console:publishPolicy',
          signedPolicy(1, {
            version: 'pol-bad',
            cutoffs: { approve: 500, refer: 600 },
            reasonTexts: {},
          }),
        ),
      );
      expect(refused.proposal).toMatchObject({
        kind: 'policy.release',
        status: 'pending',
        title: 'Policy release pol-bad',
      });
      await approve(refused);
      // Off the model's 300–850 scale: would approve everyone by accident; refused like the unordered one.
      await approve(
        await ok(
          a.call(
            'admin',
            'console:publishPolicy',
            signedPolicy(2, {
              version: 'pol-off-scale',
              cutoffs: { approve: 250, refer: 100 },
              reasonTexts: {},
            }),
          ),
        ),
      );
      await approve(
        await ok(
          a.call(
            'admin',
            'console:publishPolicy',
            signedPolicy(3, {
              version: 'pol-2026-11',
              cutoffs: { approve: 600, refer: 540 },
              reasonTexts: {
                'income-not-verified': { en: 'We could not check your income.', sw: 'Hatukuweza kuthibitisha.' },
              },
            }),
          ),
        ),
      );
      for (const t of [a, b]) {
        const status = await syncNow(t);
        expect(status.policy.current).toBe('pol-2026-11');
        expect(status.lastPullRejected).toMatchObject({ kind: 'policy.release' });
        const refusedPolicies = t.ws.audit
          .list({ page: 1, pageSize: 200, action: 'policy.release_refused' })
          .entries.map((e) => e.payload.version);
        expect(refusedPolicies.sort()).toEqual(['pol-bad', 'pol-off-scale']);
        expect((await ok(t.call('admin', 'model:status', {}))).policyVersion).toBe('pol-2026-11');
        // Its reason texts are kept by version: letters for scores decided under it use them.
        expect(t.ws.sync.policyReasonTexts('pol-2026-11')?.['income-not-verified']?.en).toBe(
          'We could not check your income.',
        );
      }
      // The fixture's values score 593: approved under the package's default (560), referred under the bank's 600.
      const { applicantId } = await ok(
        a.call('officer', 'applicants:register', { personal: PERSON, consent: consentFor(a.ws) }),
      );
      await ok(a.call('officer', 'applicants:saveFeatures', { applicantId, values: FORM_VALUES }));
      const score = await ok(a.call('officer', 'scoring:score', { applicantId }));
      expect(score).toMatchObject({ score: 593, outcome: 'refer', policyVersion: 'pol-2026-11' });
      const decision = await ok(
        a.call('officer', 'decisions:record', {
          scoreId: score.scoreId,
          decision: 'refer',
          reasonCodes: [`model:${score.reasons[0]?.feature ?? 'none'}`],
        }),
      );
      const replay = await ok(a.call('admin', 'decisions:replay', { decisionId: decision.decisionId }));
      expect(replay).toMatchObject({ reproduced: true, policyVersion: 'pol-2026-11' });
      // A newer policy does not stop the replay of decisions made under the earlier one.
      await approve(
        await ok(
          a.call(
            'admin',
            'console:publishPolicy',
            signedPolicy(4, {
              version: 'pol-2026-12',
              cutoffs: { approve: 590, refer: 530 },
              reasonTexts: {},
            }),
          ),
        ),
      );
      expect((await syncNow(a)).policy.current).toBe('pol-2026-12');
      expect(await ok(a.call('admin', 'decisions:replay', { decisionId: decision.decisionId }))).toMatchObject({
        reproduced: true,
        policyVersion: 'pol-2026-11',
      });
      expect((await syncNow(b)).policy.current).toBe('pol-2026-12');
    });

    it('refuses policy releases signed with another key, altered after signing, older, or moving too far', async () => {
      const forger = generateKeyPairSync('ed25519').privateKey;
      const forged = signedPolicy(
        10,
        { version: 'pol-forged', cutoffs: { approve: 301, refer: 300 }, reasonTexts: {} },
        forger,
      );
      // The console refuses it before it leaves…
      expect(await a.call('admin', 'console:publishPolicy', forged)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
      // …and should two administrators publish it at the centre anyway, every branch refuses it, and the rest.
      const genuine = signedPolicy(11, {
        version: 'pol-altered',
        cutoffs: { approve: 600, refer: 540 },
        reasonTexts: {},
      });
      const altered = { ...genuine, release: { ...genuine.release, cutoffs: { approve: 301, refer: 300 } } };
      const older = signedPolicy(2, { version: 'pol-older', cutoffs: { approve: 595, refer: 535 }, reasonTexts: {} });
      const jump = signedPolicy(12, { version: 'pol-jump', cutoffs: { approve: 700, refer: 640 }, reasonTexts: {} });
      for (const release of [forged, altered, older, jump]) {
        expect((await server.publish('POST', '/v1/admin/policy-releases', release)).status).toBe(201);
      }
      for (const t of [a, b]) {
        const status = await syncNow(t);
        expect(status.policy.current).toBe('pol-2026-12');
        expect(status.lastPullRejected?.reason).toMatch(/moves a cut-off by 110 points/);
        const refusals = new Map(
          t.ws.audit
            .list({ page: 1, pageSize: 200, action: 'policy.release_refused' })
            .entries.map((e) => [e.payload.version, String(e.payload.reason)]),
        );
        expect(refusals.get('pol-forged')).toMatch(/^signed with key [0-9a-f]{16}, not the bank's release key/);
        expect(refusals.get('pol-altered')).toMatch(/the release was altered/);
        expect(refusals.get('pol-older')).toMatch(/older than the policy in force \(serial 2; serial 4/);
        expect(refusals.get('pol-jump')).toMatch(/without declaring largeMove/);
        expect((await ok(t.call('admin', 'model:status', {}))).policyVersion).toBe('pol-2026-12');
      }
    });

    it('installs a centrally published model release on both branches only after verification', async () => {
      const published = await ok(
        a.call('admin', 'console:publishModel', { version: '2026.11.1', packageDir: testModelDir() }),
      );
      expect(published.modelHash).toMatch(/^sha256:/);
      expect(published.proposal.diff).toEqual(
        expect.arrayContaining([{ label: 'Model version', before: null, after: '1.0.0' }]),
      );
      await approve(published);
      // A tampered package is refused by the console before it leaves, and by every branch if it arrives anyway.
      const tamperedOnnx = Buffer.from(readFileSync(join(testModelDir(), 'model.onnx')));
      tamperedOnnx[tamperedOnnx.length - 1] = (tamperedOnnx.at(-1) ?? 0) ^ 0xff;
      const sneaked = await server.publish('POST', '/v1/admin/model-releases', {
        version: '2026.11.2-evil',
        files: {
          'manifest.json': readFileSync(join(testModelDir(), 'manifest.json')).toString('base64'),
          'model.onnx': tamperedOnnx.toString('base64'),
          'signature.json': readFileSync(join(testModelDir(), 'signature.json')).toString('base64'),
        },
      });
      expect(sneaked.status).toBe(201);

      for (const t of [a, b]) {
        const status = await syncNow(t);
        expect(status.model.current).toBe('2026.11.1');
        expect(status.model.lastRejected).toMatchObject({ version: '2026.11.2-evil' });
        const model = await ok(t.call('admin', 'model:status', {}));
        expect(model.state).toBe('verified');
        expect(model.source).toBe(join(t.dir, 'models', '2026.11.1'));
        const actions = t.ws.audit.list({ page: 1, pageSize: 200 }).entries.map((e) => e.action);
        expect(actions).toEqual(expect.arrayContaining(['model.release_installed', 'model.release_refused']));
      }

      // Signed with the trusted key but built on another feature specification: it verifies, the model service refuses
      // it at load, and it never becomes current nor a rollback target.
      const manifest = JSON.parse(readFileSync(join(testModelDir(), 'manifest.json'), 'utf8')) as {
        spec: { version: string };
        specHash: string;
      };
      manifest.spec.version = '9.9.9';
      manifest.specHash = computeSpecHash(manifest.spec as never, sha256Hex);
      const files = new Map<string, Uint8Array>([
        ['manifest.json', Buffer.from(JSON.stringify(manifest))],
        ['model.onnx', readFileSync(join(testModelDir(), 'model.onnx'))],
      ]);
      const signature = signPackage(files, testReleaseKey());
      const foreign = await server.publish('POST', '/v1/admin/model-releases', {
        version: '2026.11.2-foreign',
        files: {
          'manifest.json': Buffer.from(files.get('manifest.json') ?? []).toString('base64'),
          'model.onnx': Buffer.from(files.get('model.onnx') ?? []).toString('base64'),
          'signature.json': Buffer.from(JSON.stringify(signature)).toString('base64'),
        },
      });
      expect(foreign.status).toBe(201);
      const afterForeign = await syncNow(a);
      expect(afterForeign.model).toMatchObject({
        current: '2026.11.1',
        previous: null,
        lastRejected: { version: '2026.11.2-foreign' },
      });
      expect(existsSync(join(a.dir, 'models', '2026.11.2-foreign'))).toBe(false);
      expect((await ok(a.call('admin', 'model:status', {}))).source).toBe(join(a.dir, 'models', '2026.11.1'));
      // A second release, then a rollback on branch B brings the first back.
      await approve(
        await ok(a.call('admin', 'console:publishModel', { version: '2026.11.3', packageDir: testModelDir() })),
      );
      expect((await syncNow(b)).model).toMatchObject({ current: '2026.11.3', previous: '2026.11.1' });
      const rolledBack = await ok(b.call('admin', 'sync:rollbackModel', {}));
      expect(rolledBack.model).toMatchObject({ current: '2026.11.1', previous: '2026.11.3' });
      expect((await ok(b.call('admin', 'model:status', {}))).source).toBe(join(b.dir, 'models', '2026.11.1'));
      // The release survives a restart: the workstation loads the installed release, not the shipped package.
      b.reopen({ syncIntervalMs: 600_000 });
      await b.ws.modelReady;
      await ok(b.call('admin', 'auth:signIn', { username: ADMIN.username, password: ADMIN.password }));
      await ok(b.call('officer', 'auth:signIn', { username: 'otieno.officer', password: 'officer secret 456' }));
      expect(b.ws.model.status()).toMatchObject({
        source: join(b.dir, 'models', '2026.11.1'),
        policyVersion: 'pol-2026-12',
      });
    });

    it('applies at branch B an erasure requested at branch A, audited, and both chains still verify', async () => {
      const applicantId = applicants.b ?? '';
      // Proposed but not yet approved: nothing reaches the branches. (Checked after B's own sync, not between the
      // approval and it: B may sync in the background at any time, which made that check a race.)
      const proposed = await ok(a.call('admin', 'console:requestErasure', { applicantId }));
      await syncNow(b);
      expect(b.ws.applicants.get(applicantId).status).toBe('active');
      await approve(proposed);
      await syncNow(b);
      expect(b.ws.applicants.get(applicantId).status).toBe('erased');
      expect(b.ws.applicants.personal(applicantId)).toBeNull();
      expect(b.ws.audit.forSubject(applicantId).at(-1)).toMatchObject({ action: 'applicant.erased', actor: 'system' });
      // The erasure itself reaches central on B's next sync; A's console sees both chains still fine.
      expect((await syncNow(b)).backlog).toBe(0);
      for (const t of [a, b]) {
        expect((await verifyAuditChain(t.ws.store.sqlite, t.ws.deviceKey)).ok).toBe(true);
      }
      const overview = await ok(a.call('admin', 'console:overview', {}));
      expect(overview.devices.every((d) => d.chainStatus === 'ok')).toBe(true);
    });

    it('brings centrally published officers with no usable password; an admin here gives them one', async () => {
      const published = await server.publish(
        'POST',
        '/v1/admin/officers',
        signedOfficer(1, { officerId: 'OFF-00000000CAFE0001', username: 'baraka.supervisor', role: 'supervisor' }),
      );
      expect(published.status).toBe(201);
      await syncNow(a);
      const synced = a.ws.officers.list().find((o) => o.username === 'baraka.supervisor');
      expect(synced).toMatchObject({ id: 'OFF-00000000CAFE0001', role: 'supervisor', mustChangePassword: true });
      expect(await a.call('x', 'auth:signIn', { username: 'baraka.supervisor', password: '' })).toMatchObject({
        ok: false,
      });
      await ok(
        a.call('admin', 'officers:resetPassword', {
          officerId: 'OFF-00000000CAFE0001',
          newPassword: 'one time pass 789',
        }),
      );
      await ok(a.call('x', 'auth:signIn', { username: 'baraka.supervisor', password: 'one time pass 789' }));
    });

    it('imports loan outcomes from the console: a bad file is refused by row, a good one stored once', async () => {
      const { applicantId } = await ok(
        a.call('officer', 'applicants:register', {
          personal: PERSON,
          consent: consentFor(a.ws, { 'central-sync': false }),
        }),
      );
      await ok(a.call('officer', 'applicants:saveFeatures', { applicantId, values: FORM_VALUES }));
      const score = await ok(a.call('officer', 'scoring:score', { applicantId }));
      expect(score.outcome).toBe('approve');
      const { decisionId } = await ok(
        a.call('officer', 'decisions:record', { scoreId: score.scoreId, decision: 'approve', reasonCodes: [] }),
      );
      await syncNow(a);
      const today = new Date().toISOString().slice(0, 10);

      // Every problem by its line; nothing of the file stored, the good row included.
      const refused = await ok(
        a.call('admin', 'console:importOutcomes', {
          csv: `decision_id,status,as_of\n${decisionId},repaid,${today}\nDC-FFFFFFFFFFFFFFFF,repaid,${today}\n${decisionId},bankrupt,${today}\n`,
        }),
      );
      expect(refused).toMatchObject({ ok: false, errorCount: 2 });
      expect(refused.ok ? [] : refused.errors.map((e) => [e.row, e.code])).toEqual([
        [3, 'unknown-decision'],
        [4, 'unknown-status'],
      ]);
      const before = await ok(a.call('admin', 'console:monitoring', { performanceMonths: 12 }));
      const withOutcome = (report: typeof before): number =>
        report.models.reduce(
          (n, m) => n + (m.segments.find((g) => g.branchId === null)?.performance.withOutcome ?? 0),
          0,
        );
      expect(withOutcome(before)).toBe(0);

      const csv = `decision_id,status,as_of\r\n${decisionId},repaid,${today}\r\n`;
      const stored = await ok(a.call('admin', 'console:importOutcomes', { csv }));
      expect(stored).toMatchObject({ ok: true, result: { rows: 1, imported: 1, unchanged: 0 } });
      // Idempotent: the same file again stores nothing new.
      expect(await ok(a.call('admin', 'console:importOutcomes', { csv }))).toMatchObject({
        ok: true,
        result: { rows: 1, imported: 0, unchanged: 1 },
      });
      expect(withOutcome(await ok(a.call('admin', 'console:monitoring', { performanceMonths: 12 })))).toBe(1);
      // The workstation's trail records the import by id and counts, never the file's rows.
      const audited = a.ws.audit.list({ page: 1, pageSize: 50, action: 'console.outcomes_imported' }).entries;
      expect(audited).toHaveLength(2);
      expect(audited[0]?.payload).toMatchObject({ rows: '1' });
      expect(JSON.stringify(audited)).not.toContain(decisionId);
      // An empty file is refused before it leaves the workstation.
      expect(await a.call('admin', 'console:importOutcomes', { csv: '' })).toMatchObject({ ok: false });
    });

    it('refuses a device the console revoked; its officers keep working offline', async () => {
      await approve(await ok(a.call('admin', 'console:revokeDevice', { deviceId: b.ws.deviceKey.deviceId })));
      const status = await syncNow(b);
      expect(status).toMatchObject({ revoked: true, state: 'error' });
      await registerScoreDecide(b, false);
      const overview = await ok(a.call('admin', 'console:overview', {}));
      expect(overview.devices.find((d) => d.branchId === 'MSA-01')?.status).toBe('revoked');
    });
  });
}
