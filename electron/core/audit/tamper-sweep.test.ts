/**
 * Tamper sweep (issue 13): random edits, deletions, insertions and reorderings of a real audit log through SQL, each
 * of which the production verifier must report at the exact sequence the attack predicts. bench/tamper.bench.ts runs
 * the same property with many more cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../db/open';
import { makeTempDir } from '../testing/temp-workstation';
import {
  applyTampering,
  createAuditFixture,
  tamperingArbitrary,
  verdictProblem,
  verifyTampered,
  TAMPERING_KINDS,
  type AuditFixture,
} from '../testing/tamper';
import { verifyAuditChain } from './verify';

let fixture: AuditFixture;
beforeAll(() => {
  fixture = createAuditFixture(613, 50);
});
afterAll(() => {
  fixture.temp.cleanup();
});

describe('tamper sweep over the audit tables', () => {
  it('reports every random tampering at the first sequence it affects', async () => {
    const reported = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(tamperingArbitrary(fixture), async (tampering) => {
        const { expected, result } = await verifyTampered(fixture, tampering);
        expect(verdictProblem(tampering, expected, result)).toBeNull();
        if (expected !== null) {
          reported.set(tampering.kind, (reported.get(tampering.kind) ?? 0) + 1);
        }
      }),
      { numRuns: 1_500 },
    );
    // The sweep is only as good as its cases: every kind of attack was made, and made a difference, many times.
    for (const kind of TAMPERING_KINDS) {
      expect(reported.get(kind) ?? 0, kind).toBeGreaterThanOrEqual(kind === 'dropCheckpoints' ? 3 : 10);
    }
    // Every run rolled back: the log is exactly as the device wrote it.
    expect(await verifyAuditChain(fixture.sqlite, fixture.device)).toMatchObject({ ok: true, headSeq: 613 });
    expect(fixture.sqlite.prepare('SELECT * FROM audit_log ORDER BY seq').all()).toEqual(fixture.entries);
  });

  it('finds the same tamperings in a file changed, committed and reopened', async () => {
    const dir = makeTempDir('nexis-tamper-');
    const { file, key } = { file: fixture.temp.ws.databaseFile, key: fixture.temp.key };
    fixture.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    await fc.assert(
      fc.asyncProperty(tamperingArbitrary(fixture), fc.nat(), async (tampering, run) => {
        const copy = join(dir, `copy-${run}-${Math.random().toString(36).slice(2)}.db`);
        copyFileSync(file, copy);
        const writer = openDatabase({ file: copy, key, create: false });
        writer.sqlite.exec(
          'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; ' +
            'DROP TRIGGER audit_checkpoints_no_update; DROP TRIGGER audit_checkpoints_no_delete;',
        );
        const expected = writer.sqlite.transaction(() =>
          applyTampering({ ...fixture, sqlite: writer.sqlite }, tampering),
        )();
        writer.sqlite.close();
        const reader = openDatabase({ file: copy, key, create: false });
        try {
          const result = await verifyAuditChain(reader.sqlite, fixture.device);
          expect(verdictProblem(tampering, expected, result)).toBeNull();
        } finally {
          reader.sqlite.close();
        }
      }),
      { numRuns: 100 },
    );
  });

  it('refuses an edited signature text even where it still decodes to the signed bytes', async () => {
    const { sqlite, device, checkpoints } = fixture;
    const target = checkpoints[2];
    if (target === undefined) {
      throw new Error('the fixture has checkpoints');
    }
    for (const edited of [`${target.signature} `, `${target.signature}\n`, `.${target.signature}`]) {
      expect(Buffer.from(edited, 'base64').equals(Buffer.from(target.signature, 'base64'))).toBe(true);
      sqlite.exec('BEGIN IMMEDIATE');
      try {
        sqlite.exec('DROP TRIGGER audit_checkpoints_no_update');
        sqlite.prepare('UPDATE audit_checkpoints SET signature = ? WHERE seq = ?').run(edited, target.seq);
        expect(await verifyAuditChain(sqlite, device)).toMatchObject({
          ok: false,
          firstBadSeq: target.seq,
          reason: expect.stringMatching(/signature/) as unknown,
        });
      } finally {
        sqlite.exec('ROLLBACK');
      }
    }
  });

  it('cannot see what no signature covers: the tail after the last checkpoint (why sync seals the head first)', async () => {
    const { sqlite, device, entries } = fixture;
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      sqlite.exec('DROP TRIGGER audit_checkpoints_no_delete; DROP TRIGGER audit_log_no_delete;');
      // Without the head's seal, cutting the entries after the last periodic checkpoint leaves a valid shorter chain.
      sqlite.prepare('DELETE FROM audit_checkpoints WHERE seq = ?').run(entries.length);
      sqlite.prepare('DELETE FROM audit_log WHERE seq > 600').run();
      expect(await verifyAuditChain(sqlite, device)).toMatchObject({ ok: true, headSeq: 600 });
    } finally {
      sqlite.exec('ROLLBACK');
    }
  });
});
