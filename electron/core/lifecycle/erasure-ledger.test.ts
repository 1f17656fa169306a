import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { restoreBackup } from '../system/backup';
import { consentFor, intakeReady, PERSON } from '../testing/intake-fixtures';
import { createTempWorkstation, type TempWorkstation } from '../testing/temp-workstation';
import { ErasureLedger, LEDGER_FILE } from './erasure-ledger';

let temp: TempWorkstation | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

async function ready(): Promise<TempWorkstation> {
  const t = createTempWorkstation();
  temp = t;
  await intakeReady(t);
  return t;
}

function register(t: TempWorkstation, fullName: string): string {
  const officer = t.ws.officers.list().find((o) => o.role === 'officer');
  return t.ws.applicants.register(officer?.id ?? '', { ...PERSON, fullName }, consentFor(t.ws)).applicantId;
}

describe('erasure ledger', () => {
  it('a restored backup cannot bring back an applicant erased after it was taken', async () => {
    const t = await ready();
    const kept = register(t, 'Achieng Kept');
    const erased = register(t, 'Baraka Erased');
    const backup = t.ws.backup('system');
    t.ws.applicants.erase('system', erased, 'data-subject-request');
    t.ws.close();
    restoreBackup(backup.file, join(t.dir, 'nexis.db'), t.key, new Date());

    const ws = t.reopen();
    expect(ws.applicants.get(erased).status).toBe('erased');
    expect(ws.applicants.personal(erased)).toBeNull();
    expect(ws.applicants.get(kept).status).toBe('active');
    const entries = ws.store.sqlite
      .prepare<[string], { actor: string; payload: string }>(
        "SELECT actor, payload FROM audit_log WHERE action = 'applicant.erased' AND subject = ?",
      )
      .all(erased);
    // The restored chain did not have the first erasure; the re-applied one is marked so.
    expect(entries.map((e) => JSON.parse(e.payload) as unknown)).toEqual([
      { reason: 'data-subject-request', reapplied: true },
    ]);
    // Nothing re-applied twice: the next open finds the applicant already erased.
    expect(t.reopen().applicants.reapplyLedger()).toEqual([]);
  });

  it('finishes an erasure a crash interrupted between the ledger and the commit', async () => {
    const t = await ready();
    const applicantId = register(t, 'Chebet Crash');
    t.ws.close();
    // What a crash right after the fsynced ledger line leaves: the line, and no change in the database.
    new ErasureLedger(join(t.dir, LEDGER_FILE), t.key).record({
      applicantId,
      erasedAt: new Date().toISOString(),
      reason: 'retention-expired',
    });
    expect(t.reopen().applicants.get(applicantId).status).toBe('erased');
  });

  it('drops a torn last line, and refuses a ledger edited outside the app', async () => {
    const t = await ready();
    const first = register(t, 'Daudi First');
    const second = register(t, 'Esther Second');
    t.ws.applicants.erase('system', first, 'data-subject-request');
    const file = join(t.dir, LEDGER_FILE);
    appendFileSync(file, '{"applicantId":"NEX-');
    t.ws.applicants.erase('system', second, 'registered-in-error');
    const ledger = new ErasureLedger(file, t.key);
    expect(ledger.entries().map((e) => e.applicantId)).toEqual([first, second]);

    // Another applicant's id written over the first line: its MAC no longer matches.
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(first, second));
    expect(() => new ErasureLedger(file, t.key).entries()).toThrow(/erasure ledger was changed outside the app/);
    // Lines swapped: the chain breaks.
    const [a = '', b = ''] = text.split('\n');
    writeFileSync(file, `${b}\n${a}\n`);
    expect(() => new ErasureLedger(file, t.key).entries()).toThrow(/line 1 fails its check/);
    // A ledger written under another database key is not this workstation's.
    writeFileSync(file, text);
    expect(() => new ErasureLedger(file, Buffer.alloc(32, 7)).entries()).toThrow(/DB_CORRUPT|changed outside/);
    t.ws.close();
    writeFileSync(file, text.replace(first, second));
    expect(() => t.reopen()).toThrow(/erasure ledger was changed outside the app/);
    writeFileSync(file, text);
    expect(t.reopen().applicants.get(second).status).toBe('erased');
  });
});
