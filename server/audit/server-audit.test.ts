import { generateKeyPairSync, sign } from 'node:crypto';
import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuditChainError,
  canonicalJson,
  chainHash,
  checkpointMessage,
  GENESIS_HASH,
  publicKeyFromBase64,
  verifySignature,
  type AuditPayload,
} from '../../audit-chain';
import type { Database } from '../db/database';
import { serverAudit, serverAuditCheckpoints } from '../db/schema';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { appendServerAudit, listServerAudit, verifyServerAudit, type AuditSigner } from './server-audit';

interface TestSigner extends AuditSigner {
  /** SPKI DER base64. */
  readonly publicKey: string;
}

/** A fresh Ed25519 key made for this run: no private key is ever committed. */
function makeSigner(keyId: string): TestSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    keyId,
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  };
}

const ADMIN = 'ADM-0123456789ABCDEF';
const NOW = new Date('2026-11-25T08:00:00.000Z');
const at = (i: number) => new Date(NOW.getTime() + i * 1_000);

/** The database's own message: Drizzle wraps a failed query and keeps the driver's error as the cause. */
async function refusal(query: Promise<unknown>): Promise<string> {
  try {
    await query;
  } catch (error) {
    const cause = error instanceof Error ? error.cause : undefined;
    return cause instanceof Error ? cause.message : String(error);
  }
  return 'not refused';
}

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`server audit chain on ${targetTitle(target)}`, () => {
    let database: Database;
    const signer = makeSigner('sig-2026-11-25-aaaaaa');
    const keyring = new Map([[signer.keyId, signer.publicKey]]);
    const publicKeyFor = (keyId: string) => keyring.get(keyId);

    beforeAll(async () => {
      database = await target.open();
    });
    afterAll(async () => {
      await database.close();
    });
    // One database per target (opening one costs seconds); each test starts from an empty chain.
    beforeEach(async () => {
      // The chain refuses TRUNCATE too: the reset disables its triggers first, as only the table owner can.
      for (const statement of [
        sql`ALTER TABLE server_audit DISABLE TRIGGER USER`,
        sql`ALTER TABLE server_audit_checkpoints DISABLE TRIGGER USER`,
        sql`TRUNCATE server_audit, server_audit_checkpoints`,
        sql`ALTER TABLE server_audit ENABLE TRIGGER USER`,
        sql`ALTER TABLE server_audit_checkpoints ENABLE TRIGGER USER`,
      ]) {
        await database.db.execute(statement);
      }
      await protect(true);
    });

    /** As an attacker with owner rights would: switch the append-only triggers off (or back on). */
    async function protect(on: boolean): Promise<void> {
      for (const table of ['server_audit', 'server_audit_checkpoints']) {
        await database.db.execute(sql.raw(`ALTER TABLE ${table} ${on ? 'ENABLE' : 'DISABLE'} TRIGGER USER`));
      }
    }

    async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
      await protect(false);
      await database.db.execute(statement);
    }

    async function append(
      n: number,
      options: { checkpointEvery?: number; by?: AuditSigner; payload?: (i: number) => AuditPayload } = {},
    ): Promise<void> {
      for (let i = 1; i <= n; i += 1) {
        await database.db.transaction((tx) =>
          appendServerAudit(
            tx,
            options.by ?? signer,
            {
              actor: i % 4 === 0 ? 'system' : ADMIN,
              action: i % 2 === 0 ? 'admin.signed_in' : 'proposal.approved',
              subject: i % 3 === 0 ? null : `ADM-${String(i).padStart(16, '0')}`,
              payload: options.payload?.(i) ?? { i, roles: ['auditor'], nested: { ok: i % 2 === 0 } },
            },
            at(i),
            { checkpointEvery: options.checkpointEvery ?? 10 },
          ),
        );
      }
    }

    const verify = (options?: { pageSize?: number }) => verifyServerAudit(database.db, publicKeyFor, options);
    const rows = () => database.db.select().from(serverAudit).orderBy(asc(serverAudit.seq));

    it("stores entries exactly in the workstation's format", async () => {
      await append(3, { payload: (i) => ({ z: i, a: [1e21, 0.1], é: 'x' }) });
      let prevHash = GENESIS_HASH;
      const stored = await rows();
      expect(stored.map((r) => r.seq)).toEqual([1, 2, 3]);
      for (const row of stored) {
        expect(row.ts).toBe(at(row.seq).toISOString());
        expect(row.payload).toBe(canonicalJson({ z: row.seq, a: [1e21, 0.1], é: 'x' }));
        expect(row.subject).toBe(row.seq === 3 ? null : `ADM-${String(row.seq).padStart(16, '0')}`);
        expect(row.prevHash).toBe(prevHash);
        expect(row.hash).toBe(chainHash(prevHash, row));
        prevHash = row.hash;
      }
      expect(await verify()).toEqual({ ok: true, entries: 3, headSeq: 3, headHash: prevHash, checkpoints: 0 });
    });

    it('keeps the chain gap-free under 20 concurrent appenders', async () => {
      const appended = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          database.db.transaction((tx) =>
            appendServerAudit(tx, signer, { actor: ADMIN, action: 'admin.signed_in', payload: { i } }, at(i), {
              checkpointEvery: 5,
            }),
          ),
        ),
      );
      expect(appended.map((a) => a.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await verify()).toMatchObject({ ok: true, entries: 20, headSeq: 20, checkpoints: 4 });
    });

    it('writes nothing when the transaction of the effect rolls back', async () => {
      await append(2);
      await expect(
        database.db.transaction(async (tx) => {
          await appendServerAudit(tx, signer, { actor: ADMIN, action: 'admin.created' }, NOW);
          throw new Error('the effect failed');
        }),
      ).rejects.toThrow('the effect failed');
      expect((await rows()).map((r) => r.seq)).toEqual([1, 2]);
    });

    it('signs a checkpoint every N entries with CENTRAL as the signer, across a key rotation', async () => {
      const next = makeSigner('sig-2026-12-01-bbbbbb');
      keyring.set(next.keyId, next.publicKey);
      await append(10);
      await append(15, { by: next });
      const checkpoints = await database.db
        .select()
        .from(serverAuditCheckpoints)
        .orderBy(asc(serverAuditCheckpoints.seq));
      expect(checkpoints.map((c) => [c.seq, c.keyId])).toEqual([
        [10, signer.keyId],
        [20, next.keyId],
      ]);
      const heads = new Map((await rows()).map((r) => [r.seq, r.hash]));
      for (const c of checkpoints) {
        expect(c.headHash).toBe(heads.get(c.seq));
        const key = publicKeyFromBase64(keyring.get(c.keyId) ?? '');
        expect(verifySignature(key, checkpointMessage('CENTRAL', c.seq, c.headHash), c.signature)).toBe(true);
      }
      expect(await verify()).toMatchObject({ ok: true, entries: 25, checkpoints: 2 });
      expect(await verify({ pageSize: 7 })).toMatchObject({ ok: true, entries: 25, checkpoints: 2 });
    });

    it('refuses UPDATE and DELETE on both tables while the triggers stand', async () => {
      await append(10);
      for (const statement of [
        sql`UPDATE server_audit SET actor = 'system' WHERE seq = 1`,
        sql`DELETE FROM server_audit WHERE seq = 1`,
        sql`UPDATE server_audit_checkpoints SET key_id = 'x' WHERE seq = 10`,
        sql`DELETE FROM server_audit_checkpoints`,
      ]) {
        expect(await refusal(database.db.execute(statement))).toMatch(/append-only/);
      }
      expect(await verify()).toMatchObject({ ok: true, entries: 10 });
    });

    it('reports the first bad sequence of a row changed through SQL, whatever the page size', async () => {
      await append(25);
      await tamper(sql`UPDATE server_audit SET payload = '{"i":999}' WHERE seq = 13`);
      for (const pageSize of [undefined, 1, 6, 13]) {
        expect(await verify({ pageSize })).toEqual({
          ok: false,
          firstBadSeq: 13,
          reason: 'entry content does not match its hash (entry altered)',
          entries: 12,
        });
      }
    });

    it('reports a deleted row as a gap, and a cut tail through the checkpoint that covered it', async () => {
      await append(25);
      await tamper(sql`DELETE FROM server_audit WHERE seq = 4`);
      expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 4, reason: expect.stringMatching(/gap/) });

      // The chain refuses TRUNCATE too: the reset disables its triggers first, as only the table owner can.
      for (const statement of [
        sql`ALTER TABLE server_audit DISABLE TRIGGER USER`,
        sql`ALTER TABLE server_audit_checkpoints DISABLE TRIGGER USER`,
        sql`TRUNCATE server_audit, server_audit_checkpoints`,
        sql`ALTER TABLE server_audit ENABLE TRIGGER USER`,
        sql`ALTER TABLE server_audit_checkpoints ENABLE TRIGGER USER`,
      ]) {
        await database.db.execute(statement);
      }
      await protect(true);
      await append(25);
      await tamper(sql`DELETE FROM server_audit WHERE seq > 15`);
      expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 16, reason: expect.stringMatching(/truncated/) });
    });

    it('reads a row planted below sequence 1 instead of skipping it', async () => {
      await append(3);
      await tamper(
        sql`INSERT INTO server_audit (seq, ts, actor, action, subject, payload, prev_hash, hash)
            VALUES (0, '2026-01-01T00:00:00.000Z', 'system', 'admin.created', NULL, '{}', ${GENESIS_HASH}, ${GENESIS_HASH})`,
      );
      expect(await verify({ pageSize: 2 })).toMatchObject({ ok: false, firstBadSeq: 1 });
    });

    it('catches a rewritten history with every hash recomputed, through the signed checkpoint', async () => {
      await append(20);
      await tamper(sql`UPDATE server_audit SET actor = 'system' WHERE seq = 5`);
      let prevHash = GENESIS_HASH;
      for (const row of await rows()) {
        const hash = chainHash(prevHash, row);
        await database.db.execute(
          sql`UPDATE server_audit SET prev_hash = ${prevHash}, hash = ${hash} WHERE seq = ${row.seq}`,
        );
        prevHash = hash;
      }
      expect(await verify()).toMatchObject({
        ok: false,
        firstBadSeq: 10,
        reason: expect.stringMatching(/does not match the chain/),
      });
    });

    it('reports a checkpoint signature forged with another key at its sequence', async () => {
      await append(20);
      const [row] = await database.db.select().from(serverAuditCheckpoints).orderBy(asc(serverAuditCheckpoints.seq));
      const forger = makeSigner(signer.keyId);
      const forged = forger.sign(checkpointMessage('CENTRAL', 10, row?.headHash ?? ''));
      await tamper(sql`UPDATE server_audit_checkpoints SET signature = ${forged} WHERE seq = 10`);
      expect(await verify()).toEqual({
        ok: false,
        firstBadSeq: 10,
        reason: 'checkpoint signature at entry 10 is invalid',
        entries: 9,
      });
    });

    it('reports a checkpoint naming an unknown key id at its sequence', async () => {
      await append(20);
      await tamper(sql`UPDATE server_audit_checkpoints SET key_id = 'sig-unknown' WHERE seq = 20`);
      expect(await verify()).toMatchObject({
        ok: false,
        firstBadSeq: 20,
        reason: expect.stringMatching(/key id "sig-unknown", which is unknown/),
      });
      // A verifier without the keyring cannot vouch for any checkpoint either.
      expect(await verifyServerAudit(database.db, () => undefined)).toMatchObject({ ok: false, firstBadSeq: 10 });
      expect(await verifyServerAudit(database.db, () => 'not a key')).toMatchObject({ ok: false, firstBadSeq: 10 });
    });

    it('refuses personal fields and non-pseudonymous actors, and writes nothing', async () => {
      const attempt = (entry: Parameters<typeof appendServerAudit>[2]) =>
        database.db.transaction((tx) => appendServerAudit(tx, signer, entry, NOW));
      for (const [entry, code] of [
        [{ actor: ADMIN, action: 'admin.created', payload: { username: 'alice' } }, 'PERSONAL_FIELD'],
        [{ actor: ADMIN, action: 'admin.created', payload: { admin: { name: 'Alice A' } } }, 'PERSONAL_FIELD'],
        [{ actor: 'alice', action: 'admin.signed_in' }, 'NOT_PSEUDONYMOUS'],
      ] as const) {
        const error: unknown = await attempt(entry).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AuditChainError);
        expect((error as AuditChainError).code).toBe(code);
      }
      expect(await rows()).toEqual([]);
      await expect(
        database.db.transaction((tx) =>
          appendServerAudit(tx, signer, { actor: ADMIN, action: 'x' }, NOW, { checkpointEvery: 0 }),
        ),
      ).rejects.toThrow(/checkpointEvery/);
    });

    it('lists newest first, filtered by action prefix and actor, paged by sequence', async () => {
      await append(12);
      const page = await listServerAudit(database.db, { limit: 5 });
      expect(page.map((e) => e.seq)).toEqual([12, 11, 10, 9, 8]);
      expect(page[0]).toEqual({
        seq: 12,
        ts: at(12).toISOString(),
        actor: 'system',
        action: 'admin.signed_in',
        subject: null,
        payload: { i: 12, nested: { ok: true }, roles: ['auditor'] },
      });
      expect((await listServerAudit(database.db, { before: 8, limit: 3 })).map((e) => e.seq)).toEqual([7, 6, 5]);
      const signIns = await listServerAudit(database.db, { action: 'admin.' });
      expect(signIns.map((e) => e.seq)).toEqual([12, 10, 8, 6, 4, 2]);
      expect(await listServerAudit(database.db, { action: 'admin_' })).toEqual([]);
      expect((await listServerAudit(database.db, { actor: 'system' })).map((e) => e.seq)).toEqual([12, 8, 4]);
      expect(await listServerAudit(database.db, { limit: 10_000 })).toHaveLength(12);
    });
  });
}
