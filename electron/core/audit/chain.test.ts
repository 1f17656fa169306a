import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTempWorkstation, type TempWorkstation } from '../testing/temp-workstation';
import { MAX_CHECKPOINT_GAP, verifyAuditChain } from './verify';

let temp: TempWorkstation | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

/** A workstation with `n` audit entries and a checkpoint every 10. */
function withEntries(n: number): TempWorkstation {
  const t = createTempWorkstation({ checkpointEvery: 10 });
  const { store } = t.ws;
  store.transaction(() => {
    for (let i = 0; i < n; i += 1) {
      store.audit.append({
        actor: 'OFF-TEST',
        action: 'test.event',
        subject: `S-${i}`,
        payload: { i, even: i % 2 === 0 },
      });
    }
  });
  return t;
}

/** Tampering as an attacker holding the key would: drop the append-only triggers, then edit through SQL. */
function tamper(t: TempWorkstation, sql: string, ...params: unknown[]): void {
  const { sqlite } = t.ws.store;
  sqlite.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  sqlite.exec('DROP TRIGGER audit_checkpoints_no_update; DROP TRIGGER audit_checkpoints_no_delete;');
  sqlite.prepare(sql).run(...params);
}

const verify = (t: TempWorkstation) => verifyAuditChain(t.ws.store.sqlite, t.ws.deviceKey);

describe('audit chain', () => {
  it('verifies an untouched chain with its signed checkpoints', async () => {
    temp = withEntries(35);
    expect(await verify(temp)).toMatchObject({ ok: true, entries: 35, headSeq: 35, checkpoints: 3 });
  });

  it('reports checkpoints removed from a stretch longer than the signing period allows', async () => {
    temp = withEntries(MAX_CHECKPOINT_GAP + 20);
    expect(await verify(temp)).toMatchObject({ ok: true });
    tamper(temp, 'DELETE FROM audit_checkpoints');
    expect(await verify(temp)).toMatchObject({
      ok: false,
      firstBadSeq: MAX_CHECKPOINT_GAP + 1,
      reason: expect.stringContaining('covered by no signed checkpoint') as unknown,
    });
  });

  it('refuses a signing period longer than verification accepts', () => {
    expect(() => createTempWorkstation({ checkpointEvery: MAX_CHECKPOINT_GAP + 1 })).toThrow(/checkpointEvery/);
  });

  it('refuses UPDATE and DELETE through SQL while the triggers stand', () => {
    temp = withEntries(3);
    const { sqlite } = temp.ws.store;
    expect(() => sqlite.prepare("UPDATE audit_log SET action = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => sqlite.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/append-only/);
  });

  it('refuses an append outside a transaction, so a change cannot commit without its entry', () => {
    temp = withEntries(0);
    expect(() => temp?.ws.store.audit.append({ actor: 'a', action: 'x' })).toThrow(/inside the transaction/);
  });

  it('refuses personal fields in payloads', () => {
    temp = withEntries(0);
    const { store } = temp.ws;
    expect(() =>
      store.transaction(() => store.audit.append({ actor: 'a', action: 'x', payload: { fullName: 'A B' } })),
    ).toThrow(/personal field/);
    expect(store.audit.head().seq).toBe(0);
  });

  it('reports the first bad sequence number for any altered, deleted or swapped row', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom('payload', 'actor', 'ts', 'hash', 'delete', 'swap'),
        async (seq, kind) => {
          const t = withEntries(30);
          try {
            switch (kind) {
              case 'payload':
                tamper(t, 'UPDATE audit_log SET payload = ? WHERE seq = ?', '{"i":999}', seq);
                break;
              case 'actor':
                tamper(t, "UPDATE audit_log SET actor = 'OFF-OTHER' WHERE seq = ?", seq);
                break;
              case 'ts':
                tamper(t, "UPDATE audit_log SET ts = '2020-01-01T00:00:00.000Z' WHERE seq = ?", seq);
                break;
              case 'hash':
                tamper(t, 'UPDATE audit_log SET hash = ? WHERE seq = ?', 'f'.repeat(64), seq);
                break;
              case 'delete':
                tamper(t, 'DELETE FROM audit_log WHERE seq = ?', seq);
                break;
              case 'swap': {
                // Reorder: exchange the contents of two neighbouring rows.
                const other = seq === 30 ? 29 : seq + 1;
                const first = Math.min(seq, other);
                tamper(t, 'UPDATE audit_log SET seq = -1 WHERE seq = ?', first);
                t.ws.store.sqlite.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(first, first + 1);
                t.ws.store.sqlite.prepare('UPDATE audit_log SET seq = ? WHERE seq = -1').run(first + 1);
                const result = await verify(t);
                expect(result).toMatchObject({ ok: false, firstBadSeq: first });
                return;
              }
            }
            const result = await verify(t);
            if (kind === 'delete' && seq === 30) {
              // Removing the newest entry is truncation: the checkpoint at 30 reveals it.
              expect(result).toMatchObject({ ok: false, firstBadSeq: 30 });
              return;
            }
            expect(result).toMatchObject({ ok: false, firstBadSeq: seq });
          } finally {
            t.cleanup();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('detects a rewritten history even when every hash is recomputed, through the signed checkpoints', async () => {
    temp = withEntries(20);
    const { sqlite } = temp.ws.store;
    const { chainHash, GENESIS_HASH } = await import('../../../audit-chain');
    tamper(temp, "UPDATE audit_log SET actor = 'OFF-FORGED' WHERE seq = 5");
    // Recompute the chain from entry 5 on, as a careful forger would.
    let prev = GENESIS_HASH;
    const rows = sqlite.prepare('SELECT * FROM audit_log ORDER BY seq').all() as {
      seq: number;
      ts: string;
      actor: string;
      action: string;
      subject: string | null;
      payload: string;
    }[];
    for (const row of rows) {
      const hash = chainHash(prev, row);
      sqlite.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, row.seq);
      prev = hash;
    }
    expect(await verify(temp)).toMatchObject({
      ok: false,
      firstBadSeq: 10,
      reason: expect.stringMatching(/checkpoint/),
    });
  });

  it('detects truncation of the tail past a signed checkpoint', async () => {
    temp = withEntries(25);
    tamper(temp, 'DELETE FROM audit_log WHERE seq > 15');
    expect(await verify(temp)).toMatchObject({
      ok: false,
      firstBadSeq: 16,
      reason: expect.stringMatching(/truncated/),
    });
  });

  it('detects a checkpoint signed by another key', async () => {
    temp = withEntries(10);
    tamper(temp, 'UPDATE audit_checkpoints SET signature = ? WHERE seq = 10', Buffer.alloc(64, 1).toString('base64'));
    expect(await verify(temp)).toMatchObject({
      ok: false,
      firstBadSeq: 10,
      reason: expect.stringMatching(/signature/),
    });
  });
});
