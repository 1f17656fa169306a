/**
 * GET /v1/sync/chain (shared/sync/recovery.ts) on PGlite and PostgreSQL: a device that pushed 2,500 entries gets
 * them back in pages exactly as it pushed them, without attachments, with its countersigned checkpoints, and never
 * sees another device's chain.
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainHash, checkpointMessage, GENESIS_HASH, publicKeyFromBase64, verifySignature } from '../../audit-chain';
import { ServerKeysResponseSchema } from '../../shared/sync/auth';
import { countersignatureMessage } from '../../shared/sync/messages';
import { ChainPageSchema, type ChainPage } from '../../shared/sync/recovery';
import type { Database } from '../db/database';
import { auditEntries, devices } from '../db/schema';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { errorCode, request } from '../testing/http';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

const ENTRIES = 2500;
const CHECKPOINT_EVERY = 50;

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`own chain tail on ${targetTitle(target)}`, () => {
    let database: Database;
    let server: TestServer;
    let device: SimDevice;
    let other: SimDevice;

    const tokenOf = (d: SimDevice): string => d.state.token(new Date(), 0) ?? '';
    const page = async (d: SimDevice, query: string): Promise<ChainPage> => {
      const answer = await request(server.url, 'GET', `/v1/sync/chain?${query}`, { token: tokenOf(d) });
      expect(answer.status, query).toBe(200);
      return ChainPageSchema.parse(answer.body);
    };

    beforeAll(async () => {
      database = await target.open();
      server = await startTestServer(database);
      // Some entries carry an attachment centrally; the tail must come back without them.
      device = new SimDevice({
        checkpointEvery: CHECKPOINT_EVERY,
        attachmentFor: (entry) =>
          entry.action === 'score.computed' ? { kind: 'score.result', body: { score: entry.seq % 100 } } : null,
      });
      await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'NBO-01'));
      device.append(ENTRIES);
      await device.client(server.url).syncOnce();
      other = new SimDevice({ checkpointEvery: 5 });
      await other.client(server.url).enrol(server.url, await enrolmentCode(server, 'NBO-01'));
      other.append(12);
      await other.client(server.url).syncOnce();
    }, 120_000);
    afterAll(async () => {
      await server.close();
      await database.close();
    });

    it('returns pages of 1,000 verbatim, consecutive from `after`, with `more` right and no attachments', async () => {
      const stored = await database.db
        .select({ seq: auditEntries.seq })
        .from(auditEntries)
        .where(and(eq(auditEntries.deviceId, device.deviceId), isNotNull(auditEntries.attachment)));
      expect(stored.length).toBeGreaterThan(0);

      const head = device.head();
      const pages: ChainPage[] = [];
      let after = 0;
      for (;;) {
        const next = await page(device, `after=${after}`);
        pages.push(next);
        const last = next.entries.at(-1);
        if (!next.more || last === undefined) {
          break;
        }
        after = last.seq;
      }
      expect(pages.map((p) => [p.entries.length, p.more])).toEqual([
        [1000, true],
        [1000, true],
        [500, false],
      ]);
      const entries = pages.flatMap((p) => p.entries);
      // Exactly the device's own records (ts, payload text and hashes as it pushed them), and nothing else.
      expect(entries).toEqual(device.entries);
      for (const entry of entries) {
        expect(Object.keys(entry)).not.toContain('attachment');
      }
      let prev = GENESIS_HASH;
      for (const [i, entry] of entries.entries()) {
        expect(entry.seq).toBe(i + 1);
        expect(entry.prevHash).toBe(prev);
        expect(chainHash(entry.prevHash, entry)).toBe(entry.hash);
        prev = entry.hash;
      }
      const [row] = await database.db
        .select({ lastPushId: devices.lastPushId })
        .from(devices)
        .where(eq(devices.deviceId, device.deviceId));
      expect(row?.lastPushId).toBeGreaterThanOrEqual(ENTRIES / 500);
      for (const p of pages) {
        expect(p.head).toEqual(head);
        expect(p.lastPushId).toBe(row?.lastPushId);
      }
    });

    it('returns the checkpoints of the page, signed by the device and countersigned by the server', async () => {
      const keys = await request(server.url, 'GET', '/v1/sync/server-keys', { token: tokenOf(device) });
      const serverKeys = new Map(
        ServerKeysResponseSchema.parse(keys.body).keys.map((k) => [k.keyId, publicKeyFromBase64(k.publicKey)]),
      );
      const deviceKey = publicKeyFromBase64(device.key.publicKey);
      const ranges: [number, number, number][] = [
        [0, 1000, 20],
        [1000, 2000, 20],
        [2000, ENTRIES, 10],
      ];
      for (const [after, upTo, expected] of ranges) {
        const { checkpoints, entries } = await page(device, `after=${after}`);
        expect(checkpoints.map((c) => c.seq)).toEqual(
          Array.from({ length: expected }, (_, i) => after + (i + 1) * CHECKPOINT_EVERY),
        );
        expect(entries.at(-1)?.seq).toBe(upTo);
        for (const c of checkpoints) {
          expect(c.headHash).toBe(entries.find((e) => e.seq === c.seq)?.hash);
          expect(verifySignature(deviceKey, checkpointMessage(device.deviceId, c.seq, c.headHash), c.signature)).toBe(
            true,
          );
          expect(c.countersignature).toMatchObject({ deviceId: device.deviceId, seq: c.seq, headHash: c.headHash });
          const serverKey = serverKeys.get(c.countersignature.keyId);
          expect(serverKey).toBeDefined();
          if (serverKey !== undefined) {
            const message = countersignatureMessage(device.deviceId, c.seq, c.headHash);
            expect(verifySignature(serverKey, message, c.countersignature.serverSignature)).toBe(true);
          }
        }
      }
      // A page that ends between checkpoints carries only those up to its last entry.
      const short = await page(device, 'after=120&limit=75');
      expect(short.entries.map((e) => e.seq)).toEqual(Array.from({ length: 75 }, (_, i) => 121 + i));
      expect(short.checkpoints.map((c) => c.seq)).toEqual([150]);
      expect(short.more).toBe(true);
    });

    it('gives each device only its own chain, whatever the query says', async () => {
      const own = await page(other, 'after=0');
      expect(own.entries).toEqual(other.entries);
      expect(own.checkpoints.map((c) => c.seq)).toEqual([5, 10]);
      expect(own.checkpoints.every((c) => c.countersignature.deviceId === other.deviceId)).toBe(true);
      expect(own.head).toEqual(other.head());
      expect(own.more).toBe(false);
      const named = await request(server.url, 'GET', `/v1/sync/chain?after=0&deviceId=${device.deviceId}`, {
        token: tokenOf(other),
      });
      expect(named.status).toBe(400);
      expect(errorCode(named.body)).toBe('INVALID_INPUT');
    });

    it('answers an empty page after the head, and the last entries right up to it', async () => {
      const beyond = await page(device, `after=${ENTRIES + 10}`);
      expect(beyond).toEqual({
        entries: [],
        checkpoints: [],
        head: device.head(),
        lastPushId: beyond.lastPushId,
        more: false,
      });
      const atHead = await page(device, `after=${ENTRIES}`);
      expect(atHead.entries).toEqual([]);
      expect(atHead.more).toBe(false);
      const last = await page(device, `after=${ENTRIES - 1}&limit=1`);
      expect(last.entries).toEqual(device.entries.slice(-1));
      expect(last.checkpoints.map((c) => c.seq)).toEqual([ENTRIES]);
      expect(last.more).toBe(false);
    });

    it('refuses bad query values, and callers without a device token', async () => {
      for (const query of [
        '',
        'after=-1',
        'after=abc',
        'after=1.5',
        'after=0&limit=0',
        'after=0&limit=1001',
        'after=0&limit=x',
        'after=1e400',
      ]) {
        const answer = await request(server.url, 'GET', `/v1/sync/chain?${query}`, { token: tokenOf(device) });
        expect(answer.status, query).toBe(400);
        expect(errorCode(answer.body), query).toBe('INVALID_INPUT');
      }
      expect((await request(server.url, 'GET', '/v1/sync/chain?after=0')).status).toBe(401);
      expect((await request(server.url, 'GET', '/v1/sync/chain?after=0', { token: server.adminToken })).status).toBe(
        401,
      );
    });
  });
}
