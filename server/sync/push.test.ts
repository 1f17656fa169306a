import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countersignatureMessage } from '../../shared/sync/messages';
import { DeviceSummarySchema, ChainIssueSchema } from '../../shared/sync/admin';
import { canonicalJson, publicKeyFromBase64, verifySignature } from '../../audit-chain';
import type { Database } from '../db/database';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { errorCode, field, request } from '../testing/http';
import { SimDevice } from '../testing/sim-device';
import { signedOfficer, signedPolicy } from '../testing/releases';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';
import { asc, eq, sql } from 'drizzle-orm';
import { rowsOf } from '../db/rows';
import { auditEntries } from '../db/schema';
import { deviceEntryCount } from './console';

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`push on ${targetTitle(target)}`, () => {
    let database: Database;
    let server: TestServer;

    beforeAll(async () => {
      database = await target.open();
      server = await startTestServer(database);
    });
    afterAll(async () => {
      await server.close();
      await database.close();
    });

    async function enrolled(branch = 'NBO-01', checkpointEvery = 50): Promise<SimDevice> {
      const device = new SimDevice({ checkpointEvery, batchSize: 40 });
      await device.client(server.url).enrol(server.url, await enrolmentCode(server, branch));
      return device;
    }

    async function summary(deviceId: string) {
      const listed = await server.admin('GET', '/v1/admin/devices');
      const devices = DeviceSummarySchema.array().parse(field(listed.body, 'devices'));
      const found = devices.find((d) => d.deviceId === deviceId);
      if (found === undefined) {
        throw new Error('device not listed');
      }
      return found;
    }

    async function issues(deviceId: string) {
      const listed = await server.admin('GET', `/v1/admin/chain-issues?deviceId=${deviceId}`);
      return ChainIssueSchema.array().parse(field(listed.body, 'issues'));
    }

    async function rawPush(device: SimDevice, body: unknown) {
      const token = device.state.token(new Date(), 0);
      const withId = typeof body === 'object' && body !== null ? { pushId: device.state.nextPushId(), ...body } : body;
      return request(server.url, 'POST', '/v1/sync/push', { body: withId, token });
    }

    it('pushes the chain in batches, stores each entry once and countersigns checkpoints the client can verify', async () => {
      const device = await enrolled();
      device.append(130);
      const report = await device.client(server.url).syncOnce();
      expect(report.push.ackedSeq).toBe(130);
      expect(report.push.stored).toBe(130);
      expect(await deviceEntryCount(database.db, device.deviceId)).toBe(130);
      const countersigned = device.state.countersigned;
      expect(countersigned?.seq).toBe(100);
      const serverKey = device.state.serverPublicKey ?? '';
      expect(
        verifySignature(
          publicKeyFromBase64(serverKey),
          countersignatureMessage(device.deviceId, 100, device.hashAt(100) ?? ''),
          countersigned?.serverSignature ?? '',
        ),
      ).toBe(true);
      const seen = await summary(device.deviceId);
      expect(seen).toMatchObject({ ackedSeq: 130, reportedHeadSeq: 130, backlog: 0, chainStatus: 'ok' });
      expect(seen.lastCountersigned?.seq).toBe(100);
    });

    it('acknowledges a resend without a second effect', async () => {
      const device = await enrolled();
      device.append(30);
      await device.client(server.url).syncOnce();
      device.state.ackedSeq = 0;
      const again = await device.client(server.url).syncOnce();
      expect(again.push.sent).toBe(30);
      expect(again.push.stored).toBe(0);
      expect(await deviceEntryCount(database.db, device.deviceId)).toBe(30);
    });

    it('resumes from the server when the device believes it is ahead (OUT_OF_ORDER)', async () => {
      const device = await enrolled();
      device.append(20);
      device.state.ackedSeq = 10;
      const report = await device.client(server.url).syncOnce();
      expect(report.push.ackedSeq).toBe(20);
      expect(await deviceEntryCount(database.db, device.deviceId)).toBe(20);
    });

    it('flags a fork: a different entry at a stored sequence', async () => {
      const device = await enrolled();
      device.append(20);
      await device.client(server.url).syncOnce();
      device.truncateTo(15);
      device.append(10, 'consent.captured');
      device.state.ackedSeq = 10;
      await expect(device.client(server.url).syncOnce()).rejects.toMatchObject({ code: 'CHAIN_CONFLICT' });
      expect((await issues(device.deviceId)).map((i) => [i.kind, i.seq])).toEqual([['fork', 16]]);
      expect((await summary(device.deviceId)).chainStatus).toBe('flagged');
      expect(await deviceEntryCount(database.db, device.deviceId)).toBe(20);
    });

    it('flags a rollback: a head below the acknowledged one', async () => {
      const device = await enrolled();
      device.append(20);
      await device.client(server.url).syncOnce();
      device.truncateTo(12);
      await expect(device.client(server.url).syncOnce()).rejects.toMatchObject({ code: 'CHAIN_CONFLICT' });
      expect((await issues(device.deviceId)).map((i) => i.kind)).toEqual(['rollback']);
    });

    it('does not mistake a late replay of an old push for a rollback', async () => {
      const device = await enrolled();
      device.append(10);
      const old = { head: device.head(), anchor: null, entries: device.entries.slice(0, 10), checkpoints: [] };
      const first = await rawPush(device, old);
      expect(first.status).toBe(200);
      device.append(10);
      await device.client(server.url).syncOnce();
      const token = device.state.token(new Date(), 0);
      const replay = await request(server.url, 'POST', '/v1/sync/push', { body: { pushId: 1, ...old }, token });
      expect(replay.status).toBe(200);
      expect(field(replay.body, 'stored')).toBe(0);
      expect(await issues(device.deviceId)).toEqual([]);
      expect((await summary(device.deviceId)).reportedHeadSeq).toBe(20);
    });

    it('flags a truncation below a countersigned checkpoint', async () => {
      const device = await enrolled('NBO-01', 10);
      device.append(25);
      await device.client(server.url).syncOnce();
      expect(device.state.countersigned?.seq).toBe(20);
      device.truncateTo(18);
      await expect(device.client(server.url).syncOnce()).rejects.toMatchObject({ code: 'CHAIN_CONFLICT' });
      expect((await issues(device.deviceId)).map((i) => i.kind)).toEqual(['truncation']);
    });

    it('flags a gap in the pushed chain and refuses an altered entry, storing nothing', async () => {
      const device = await enrolled();
      device.append(10);
      const head = device.head();
      const gappy = await rawPush(device, {
        head,
        anchor: null,
        entries: [device.entries[0], device.entries[2]],
        checkpoints: [],
      });
      expect(errorCode(gappy.body)).toBe('CHAIN_CONFLICT');
      expect((await issues(device.deviceId)).map((i) => [i.kind, i.seq])).toEqual([['gap', 2]]);

      const other = await enrolled();
      other.append(3);
      const altered = other.entries.map((e) => (e.seq === 2 ? { ...e, payload: canonicalJson({ n: 99 }) } : e));
      const refused = await rawPush(other, { head: other.head(), anchor: null, entries: altered, checkpoints: [] });
      expect(refused.status).toBe(400);
      expect(errorCode(refused.body)).toBe('HASH_MISMATCH');
      expect(await deviceEntryCount(database.db, other.deviceId)).toBe(0);
    });

    it('refuses malformed pushes with INVALID_INPUT and an oversized body with PAYLOAD_TOO_LARGE', async () => {
      const device = await enrolled();
      device.append(1);
      const unknownKey = await rawPush(device, {
        head: device.head(),
        anchor: null,
        entries: [],
        checkpoints: [],
        x: 1,
      });
      expect(errorCode(unknownKey.body)).toBe('INVALID_INPUT');
      const token = device.state.token(new Date(), 0);
      const notJson = await request(server.url, 'POST', '/v1/sync/push', { token, rawBody: '{"head":' });
      expect(notJson.status).toBe(400);
      const huge = await request(server.url, 'POST', '/v1/sync/push', {
        token,
        rawBody: `"${'x'.repeat(9 * 1024 * 1024)}"`,
      });
      expect(errorCode(huge.body)).toBe('PAYLOAD_TOO_LARGE');
      expect(await deviceEntryCount(database.db, device.deviceId)).toBe(0);
    });

    it('removes the central copy of personal data when central-sync is withdrawn or the applicant erased', async () => {
      const attachmentFor = (entry: { action: string; subject: string | null }) =>
        entry.action === 'applicant.registered'
          ? { kind: 'applicant.record' as const, body: { fullName: 'Amina Njeri', subject: entry.subject } }
          : null;
      const device = new SimDevice({ attachmentFor });
      await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'NBO-01'));
      device.append(1, 'applicant.registered', 'NEX-AAAAA-BBBBB-C');
      device.append(1, 'applicant.registered', 'NEX-DDDDD-EEEEE-F');
      await device.client(server.url).syncOnce();
      const kinds = async () =>
        (
          await database.db
            .select({
              subject: auditEntries.subject,
              kind: auditEntries.attachmentKind,
              body: auditEntries.attachment,
              sealed: auditEntries.attachmentSealed,
            })
            .from(auditEntries)
            .where(eq(auditEntries.deviceId, device.deviceId))
            .orderBy(asc(auditEntries.seq))
        ).map((r) => [r.subject, r.kind, r.body === null && r.sealed === null ? null : 'data']);
      expect(await kinds()).toEqual([
        ['NEX-AAAAA-BBBBB-C', 'applicant.record', 'data'],
        ['NEX-DDDDD-EEEEE-F', 'applicant.record', 'data'],
      ]);
      device.append(1, 'consent.withdrawn', 'NEX-AAAAA-BBBBB-C', { purpose: 'central-sync' });
      await device.client(server.url).syncOnce();
      await server.publish('POST', '/v1/admin/erasure-requests', { applicantId: 'NEX-DDDDD-EEEEE-F' });
      expect((await kinds()).slice(0, 2)).toEqual([
        ['NEX-AAAAA-BBBBB-C', 'applicant.record.removed', null],
        ['NEX-DDDDD-EEEEE-F', 'applicant.record.removed', null],
      ]);
      // The name was never stored readable, and its applicants' data keys are gone.
      const dump = JSON.stringify(rowsOf(await database.db.execute(sql`SELECT * FROM audit_entries`)));
      expect(dump).not.toContain('Amina Njeri');
      const keys = rowsOf<{ applicant_id: string }>(
        await database.db.execute(sql`SELECT applicant_id FROM applicant_keys`),
      );
      expect(keys.map((k) => k.applicant_id)).not.toEqual(expect.arrayContaining(['NEX-AAAAA-BBBBB-C']));
      expect(keys.map((k) => k.applicant_id)).not.toEqual(expect.arrayContaining(['NEX-DDDDD-EEEEE-F']));
    });

    it('passes on branch-raised erasures only for applicants that branch registered; holds the rest', async () => {
      const a = await enrolled('NBO-01');
      const b = await enrolled('MSA-02');
      a.append(1, 'applicant.registered', 'NEX-AAAAA-00001-X');
      b.append(1, 'applicant.registered', 'NEX-BBBBB-00001-X');
      await a.client(server.url).syncOnce();
      await b.client(server.url).syncOnce();
      // B erases its own applicant (passed on) and A's (held), and withdraws consent for A's (held).
      b.append(1, 'applicant.erased', 'NEX-BBBBB-00001-X');
      b.append(1, 'applicant.erased', 'NEX-AAAAA-00001-X');
      b.append(1, 'consent.withdrawn', 'NEX-AAAAA-00001-X', { purpose: 'credit-scoring' });
      await b.client(server.url).syncOnce();
      await a.client(server.url).syncOnce();
      const erasedAtA = () =>
        a.pulled
          .filter((i) => i.kind === 'applicant.erasure')
          .map((i) => (i.body as { applicantId: string }).applicantId)
          .filter((id) => id.includes('-00001-'));
      expect(erasedAtA()).toEqual(['NEX-BBBBB-00001-X']);
      expect(
        a.pulled.some(
          (i) =>
            i.kind === 'consent.withdrawal' && (i.body as { applicantId: string }).applicantId === 'NEX-AAAAA-00001-X',
        ),
      ).toBe(false);
      const pending = await server.admin('GET', '/v1/admin/proposals?status=pending');
      const held = field<{ id: number; kind: string; proposedBy: string; title: string }[]>(
        pending.body,
        'proposals',
      ).filter((p) => p.proposedBy === b.deviceId);
      expect(held.map((p) => p.kind).sort()).toEqual(['applicant.erasure', 'consent.withdrawal']);
      const erasure = held.find((p) => p.kind === 'applicant.erasure');
      const approved = await server.bob.request('POST', `/v1/admin/proposals/${erasure?.id ?? 0}/approve`, {
        reason: 'confirmed with the applicant at NBO-01',
      });
      expect(approved.status).toBe(200);
      await a.client(server.url).syncOnce();
      expect(erasedAtA()).toEqual(['NEX-BBBBB-00001-X', 'NEX-AAAAA-00001-X']);
    });

    it('turns a withdrawal at one branch into a pull item for the others, and serves published releases', async () => {
      const a = await enrolled('NBO-01');
      const b = await enrolled('MSA-02');
      a.append(1, 'applicant.registered', 'APP-0000CAFE');
      a.append(1, 'consent.withdrawn', 'APP-0000CAFE', { purpose: 'central-sync', receiptId: 'RCP-1' });
      await a.client(server.url).syncOnce();
      const policy = signedPolicy(1, { version: '2026.11.1', cutoffs: { approve: 620, refer: 560 }, reasonTexts: {} });
      expect((await server.publish('POST', '/v1/admin/policy-releases', policy)).status).toBe(201);
      expect((await server.publish('POST', '/v1/admin/policy-releases', policy)).status).toBe(409);
      await server.publish(
        'POST',
        '/v1/admin/officers',
        signedOfficer(1, {
          officerId: 'OFF-1A2B3C4D5E6F7A8B',
          username: 'wanjiru',
          role: 'officer',
          branchId: 'NBO-01',
        }),
      );
      await b.client(server.url).syncOnce();
      const kinds = b.pulled.map((item) => item.kind);
      expect(kinds).toContain('consent.withdrawal');
      expect(kinds).toContain('policy.release');
      expect(kinds).not.toContain('officer.upsert');
      await a.client(server.url).syncOnce();
      const own = a.pulled.filter(
        (item) => item.kind === 'consent.withdrawal' && item.body.originDeviceId === a.deviceId,
      );
      expect(own).toEqual([]);
      expect(a.pulled.map((item) => item.kind)).toContain('officer.upsert');
      const activity = await server.admin('GET', '/v1/admin/activity');
      expect(JSON.stringify(activity.body)).toContain('"consent":');
    });
  });
}
