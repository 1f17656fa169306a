import { generateKeyPairSync, sign } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendServerAudit, type AuditSigner } from '../audit/server-audit';
import type { Database, ServerDb } from '../db/database';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { runVerifyAudit } from './verify-audit';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer: AuditSigner = {
  keyId: 'sig-test',
  sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
};
const spki = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const publicKeyFor = (keyId: string) => (keyId === signer.keyId ? spki : undefined);

async function run(database: Database): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runVerifyAudit(database, publicKeyFor, (line) => lines.push(line));
  return { code, lines };
}

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`verify-audit on ${targetTitle(target)}`, () => {
    let database: Database;

    beforeAll(async () => {
      database = await target.open();
      for (let i = 0; i < 12; i += 1) {
        await database.db.transaction((tx) =>
          appendServerAudit(tx, signer, { actor: 'system', action: 'admin.locked_out' }, new Date(), {
            checkpointEvery: 5,
          }),
        );
      }
    });
    afterAll(async () => {
      await database.close();
    });

    it('exits 0 and summarises a sound chain', async () => {
      const { code, lines } = await run(database);
      expect(code).toBe(0);
      expect(lines.join('\n')).toMatch(/^server audit chain sound: 12 entries, 2 signed checkpoints, head 12 \(/);
    });

    it('exits 2 when the chain cannot be read at all', async () => {
      const unreachable: Database = { ...database, ready: () => Promise.resolve({ ok: false, detail: 'unreachable' }) };
      expect(await run(unreachable)).toEqual({ code: 2, lines: ['verify-audit: cannot verify: unreachable'] });
      const failing: Database = {
        ...database,
        db: { transaction: () => Promise.reject(new Error('connection lost')) } as unknown as ServerDb,
      };
      expect(await run(failing)).toEqual({ code: 2, lines: ['verify-audit: cannot verify: connection lost'] });
    });

    // Last: it breaks the chain for good.
    it('exits 1 and names the first bad sequence of a broken chain', async () => {
      await database.db.execute(sql`ALTER TABLE server_audit DISABLE TRIGGER USER`);
      await database.db.execute(sql`UPDATE server_audit SET action = 'admin.created' WHERE seq = 7`);
      const { code, lines } = await run(database);
      expect(code).toBe(1);
      expect(lines).toContain('first bad sequence 7: entry content does not match its hash (entry altered)');
    });
  });
}
