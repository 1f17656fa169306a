import { and, asc, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainHash, checkpointMessage, GENESIS_HASH } from '../../audit-chain';
import type { Attachment, PushEntry } from '../../shared/sync/push';
import type { Database } from '../db/database';
import { auditEntries, devices } from '../db/schema';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { errorCode, request } from '../testing/http';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

/** An entry as a workstation would build it after `prev`, hashed the way the server checks it. */
function entryAfter(
  prev: { seq: number; hash: string },
  fields: { actor?: string; subject?: string | null; payload?: string; ts?: string; attachment?: Attachment },
): PushEntry {
  const record = {
    seq: prev.seq + 1,
    ts: fields.ts ?? '2026-11-25T08:00:00.000Z',
    actor: fields.actor ?? 'OFF-00000000000000AA',
    action: 'score.computed',
    subject: fields.subject === undefined ? 'APP-00000001' : fields.subject,
    payload: fields.payload ?? '{}',
    prevHash: prev.hash,
  };
  const entry: PushEntry = { ...record, hash: chainHash(prev.hash, record) };
  return fields.attachment === undefined ? entry : { ...entry, attachment: fields.attachment };
}

function chainOf(fields: Parameters<typeof entryAfter>[1][]): PushEntry[] {
  const out: PushEntry[] = [];
  for (const f of fields) {
    out.push(entryAfter(out.at(-1) ?? { seq: 0, hash: GENESIS_HASH }, f));
  }
  return out;
}

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`stored audit rows on ${targetTitle(target)}`, () => {
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

    async function enrolled(): Promise<SimDevice> {
      const device = new SimDevice();
      await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'NBO-01'));
      return device;
    }

    async function push(
      device: SimDevice,
      entries: PushEntry[],
      checkpoints: { seq: number; headHash: string; signature: string }[] = [],
    ) {
      const last = entries.at(-1);
      const body = {
        pushId: device.state.nextPushId(),
        head: last === undefined ? { seq: 0, hash: GENESIS_HASH } : { seq: last.seq, hash: last.hash },
        anchor: null,
        entries,
        checkpoints,
      };
      return request(server.url, 'POST', '/v1/sync/push', { body, token: device.state.token(new Date(), 0) });
    }

    const storedRows = (deviceId: string) =>
      database.db.select().from(auditEntries).where(eq(auditEntries.deviceId, deviceId)).orderBy(asc(auditEntries.seq));

    it('stores every column as pushed: quotes, backslashes, non-BMP text, JSON nulls and absent attachments', async () => {
      const device = await enrolled();
      const entries = chainOf([
        { subject: null, payload: '{"a":"\\"quoted\\" \\\\ back\\nslash","e":"😀 é ü"}', actor: 'OFF-"x"\\y' },
        {
          attachment: {
            kind: 'score.result',
            body: { outcome: 'approve', band: null, nested: { list: [1, null, 'two', { deep: null }] } },
          },
        },
        {
          attachment: {
            kind: 'decision.record',
            body: { codes: ['R1'], override: { by: 'OFF-1', note: 'officer’s 😀 note' } },
          },
        },
        { attachment: { kind: 'applicant.record', body: { name: 'Wanjiku' } } },
        { attachment: { kind: 'consent.receipt', body: { purposes: ['scoring'], at: null } } },
      ]);
      const response = await push(device, entries);
      expect(response.status).toBe(200);
      const rows = await storedRows(device.deviceId);
      expect(rows.map((r) => [r.seq, r.ts, r.actor, r.action, r.subject, r.payload, r.prevHash, r.hash])).toEqual(
        entries.map((e) => [e.seq, e.ts, e.actor, e.action, e.subject, e.payload, e.prevHash, e.hash]),
      );
      expect(rows.map((r) => [r.attachmentKind, r.attachment, r.attachmentSealed === null])).toEqual([
        [null, null, true],
        ['score.result', { outcome: 'approve', band: null, nested: { list: [1, null, 'two', { deep: null }] } }, true],
        ['decision.record', { codes: ['R1'], override: { by: 'OFF-1', note: null } }, false],
        ['applicant.record', null, false],
        ['consent.receipt', { purposes: ['scoring'], at: null }, true],
      ]);
      // SQL NULL, not a jsonb null: erasure and the console test `attachment IS NULL`.
      const nulls = await database.db
        .select({ seq: auditEntries.seq })
        .from(auditEntries)
        .where(and(eq(auditEntries.deviceId, device.deviceId), isNull(auditEntries.attachment)))
        .orderBy(asc(auditEntries.seq));
      expect(nulls.map((r) => r.seq)).toEqual([1, 4]);
      expect(new Set(rows.map((r) => r.branchId))).toEqual(new Set(['NBO-01']));
      expect(new Set(rows.map((r) => r.receivedAt.getTime())).size).toBe(1);
    });

    it('stores a lone UTF-16 surrogate in a text column as U+FFFD, as the UTF-8 wire encoding always has', async () => {
      const device = await enrolled();
      // Hashing encodes the payload text as UTF-8 too, so the stored payload still hashes to the entry's hash.
      const entries = chainOf([{ payload: '{"a":"x\ud800y"}', actor: 'OFF-\udc00' }]);
      const response = await push(device, entries);
      expect(response.status).toBe(200);
      const [row] = await storedRows(device.deviceId);
      expect(row?.payload).toBe('{"a":"x\ufffdy"}');
      expect(row?.actor).toBe('OFF-\ufffd');
      expect(chainHash(GENESIS_HASH, { ...entries[0], payload: row?.payload ?? '' } as PushEntry)).toBe(
        entries[0]?.hash,
      );
    });

    it('refuses a batch whose readable attachment holds a lone surrogate (jsonb cannot hold one) and stores none of it', async () => {
      const device = await enrolled();
      const entries = chainOf([{}, { attachment: { kind: 'score.result', body: { outcome: 'x\ud800' } } }]);
      const response = await push(device, entries);
      expect(response.status).toBe(500);
      expect(errorCode(response.body)).toBe('INTERNAL');
      expect(await storedRows(device.deviceId)).toEqual([]);
    });

    it('refuses a batch with a NUL character in a text column (PostgreSQL text cannot hold one) and stores none of it', async () => {
      const device = await enrolled();
      const entries = chainOf([{}, { payload: '{"a":"x\u0000y"}' }]);
      expect(entries[1]?.payload).toContain('\u0000');
      const response = await push(device, entries);
      expect(response.status).toBe(500);
      expect(errorCode(response.body)).toBe('INTERNAL');
      expect(await storedRows(device.deviceId)).toEqual([]);
    });

    it('keeps the entries of a push refused for a bad checkpoint signature stored and acknowledged, with the issue', async () => {
      const device = await enrolled();
      const entries = chainOf([{}, {}, {}]);
      const head = entries[2];
      // Well-formed, but signed over another message.
      const signature = device.key.sign(checkpointMessage(device.deviceId, 2, head?.hash ?? ''));
      const response = await push(device, entries, [{ seq: 3, headHash: head?.hash ?? '', signature }]);
      expect(response.status).toBe(409);
      expect(errorCode(response.body)).toBe('CHAIN_CONFLICT');
      expect((await storedRows(device.deviceId)).map((r) => r.seq)).toEqual([1, 2, 3]);
      const [row] = await database.db.select().from(devices).where(eq(devices.deviceId, device.deviceId));
      expect(row).toMatchObject({ ackedSeq: 3, ackedHash: head?.hash, reportedHeadSeq: 3, chainStatus: 'flagged' });
      expect(row?.lastContactAt).not.toBeNull();
    });
  });
}
