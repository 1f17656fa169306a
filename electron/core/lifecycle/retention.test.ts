import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createScoringHarness, DECLINE_VALUES, REFER_VALUES, type ScoringHarness } from '../scoring/scoring-fixtures';
import { verifyAuditChain } from '../audit/verify';
import { PERSON } from '../testing/intake-fixtures';
import { addMonths, BACKUP_DAYS, backupTime, RETENTION_ACTOR } from './retention';

let h: ScoringHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DAY = 24 * 60 * 60 * 1000;

async function harness(): Promise<ScoringHarness> {
  h = await createScoringHarness();
  return h;
}

async function signedInSupervisor(hh: ScoringHarness, connection: string, username: string): Promise<string> {
  const created = await hh.supervisor(username);
  await hh.t.call(connection, 'auth:signIn', { username, password: 'temporary pass 123' });
  const changed = await hh.t.call(connection, 'auth:changePassword', {
    currentPassword: 'temporary pass 123',
    newPassword: 'kept until released 789',
  });
  expect(changed).toMatchObject({ ok: true });
  return created.id;
}

function statusOf(hh: ScoringHarness, applicantId: string): string {
  return hh.t.ws.applicants.get(applicantId).status;
}

function entries(hh: ScoringHarness, action: string) {
  return hh.t.ws.store.sqlite
    .prepare<[string], { actor: string; subject: string | null; payload: string }>(
      'SELECT actor, subject, payload FROM audit_log WHERE action = ? ORDER BY seq',
    )
    .all(action);
}

describe('addMonths', () => {
  it('adds calendar months in UTC and keeps the day inside the target month', () => {
    expect(addMonths('2026-01-31T10:00:00.000Z', 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonths('2027-01-31T10:00:00.000Z', 13).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(addMonths('2026-03-15T00:00:00.000Z', 24).toISOString()).toBe('2028-03-15T00:00:00.000Z');
    expect(addMonths('2026-12-01T23:59:59.999Z', 12).toISOString()).toBe('2027-12-01T23:59:59.999Z');
  });
});

describe('retention rule', () => {
  it('erases applicants whose term ran out, counted from the last decision or registration; keeps holds and open cases', async () => {
    const hh = await harness();
    const ws = hh.t.ws;
    const officer = { id: hh.officerId, role: 'officer' as const };
    const start = hh.t.clock.now().toISOString();

    const undecided = await hh.register();
    const decided = await hh.register(DECLINE_VALUES);
    const referred = await hh.register(REFER_VALUES);
    const held = await hh.register();
    const supervisorId = await signedInSupervisor(hh, 'sup', 'sam.supervisor');
    const hold = await hh.t.call('sup', 'applicants:setLegalHold', {
      applicantId: held,
      reason: 'litigation',
      note: 'Court file pending at the branch',
    });
    expect(hold).toMatchObject({ ok: true });
    if (!hold.ok) {
      return;
    }

    // Decisions a month after registration: the term of `decided` counts from then.
    hh.t.clock.advance(31 * DAY);
    const declineScore = await hh.scoring.score(hh.officerId, decided);
    hh.decisions.record(officer, declineScore.scoreId, {
      decision: 'decline',
      reasonCodes: [`model:${declineScore.reasons[0]?.feature ?? ''}`],
    });
    const referScore = await hh.scoring.score(hh.officerId, referred);
    expect(referScore.outcome).toBe('refer');
    const referral = hh.decisions.record(officer, referScore.scoreId, {
      decision: 'refer',
      reasonCodes: [`model:${referScore.reasons[0]?.feature ?? ''}`],
    });
    // One day before the 24-month term of the undecided applicant: nothing goes.
    hh.t.clock.set(new Date(addMonths(start, 24).getTime() - DAY));
    expect(ws.retention.run().erased).toEqual([]);
    expect(ws.retention.view(undecided)).toMatchObject({
      months: 24,
      countedFrom: 'registration',
      dueAt: addMonths(start, 24).toISOString(),
      keptBy: null,
    });

    // Past it: the undecided applicant goes; the decided one is still inside its term; the others are kept.
    hh.t.clock.set(new Date(addMonths(start, 24).getTime() + DAY));
    const first = ws.retention.run();
    expect(first.erased).toEqual([undecided]);
    expect(first.kept).toEqual([{ applicantId: held, because: 'legal-hold' }]);
    expect(statusOf(hh, undecided)).toBe('erased');
    expect(ws.applicants.personal(undecided)).toBeNull();
    expect(statusOf(hh, decided)).toBe('active');
    expect(ws.retention.view(decided)).toMatchObject({ countedFrom: 'last-decision', keptBy: null });
    expect(ws.retention.view(held)).toMatchObject({ keptBy: 'legal-hold' });

    // A month on, the decided applicant's term (from its decision) has run out too.
    // The referral, decided then too, is past its term but still open: kept.
    hh.t.clock.advance(31 * DAY);
    const second = ws.retention.run();
    expect(second.erased).toEqual([decided]);
    expect(second.kept).toEqual(
      expect.arrayContaining([
        { applicantId: referred, because: 'open-case' },
        { applicantId: held, because: 'legal-hold' },
      ]),
    );

    // The referral is reviewed: the case closes, and its new decision restarts the term.
    const supervisor = { id: supervisorId, role: 'supervisor' as const };
    hh.decisions.review(supervisor, referral.decisionId, {
      decision: 'decline',
      reasonCodes: [`model:${referScore.reasons[0]?.feature ?? ''}`],
      note: 'Income too irregular for this amount',
    });
    expect(ws.retention.run().erased).toEqual([]);
    expect(ws.retention.view(referred)).toMatchObject({ countedFrom: 'last-decision', keptBy: null });

    // Releasing the hold lets the rule apply at its next run.
    // (The supervisor's session locked while two years passed: sign in again.)
    await hh.t.call('sup2', 'auth:signIn', { username: 'sam.supervisor', password: 'kept until released 789' });
    const released = await hh.t.call('sup2', 'applicants:releaseLegalHold', { holdId: hold.value.id });
    expect(released).toMatchObject({ ok: true, value: { releasedBy: supervisorId } });
    expect(ws.retention.run().erased).toEqual([held]);

    // Audited as retention expiries by the rule itself, with counts only; the chain still verifies.
    const erasures = entries(hh, 'applicant.erased');
    expect(erasures.map((e) => [e.actor, e.subject, JSON.parse(e.payload)])).toEqual([
      [RETENTION_ACTOR, undecided, { reason: 'retention-expired' }],
      [RETENTION_ACTOR, decided, { reason: 'retention-expired' }],
      [RETENTION_ACTOR, held, { reason: 'retention-expired' }],
    ]);
    expect(JSON.parse(entries(hh, 'retention.applied')[0]?.payload ?? '{}')).toEqual({
      erased: 1,
      keptLegalHold: 1,
      keptOpenCase: 0,
      termUnknown: 0,
    });
    expect(entries(hh, 'applicant.legal_hold_set').map((e) => JSON.parse(e.payload))).toEqual([
      { holdId: hold.value.id, reason: 'litigation' },
    ]);
    expect(await verifyAuditChain(ws.store.sqlite, ws.deviceKey)).toMatchObject({ ok: true });
    // Erasure checkpointed the WAL: no older copy of the shredded pages is left in it.
    expect(ws.store.sqlite.pragma('wal_checkpoint(PASSIVE)', { simple: true })).toBe(0);
  });

  it('keeps an applicant whose override waits for a second supervisor', async () => {
    const hh = await harness();
    const applicantId = await hh.register(DECLINE_VALUES);
    const score = await hh.scoring.score(hh.officerId, applicantId);
    const pending = hh.decisions.record({ id: hh.officerId, role: 'officer' }, score.scoreId, {
      decision: 'approve',
      reasonCodes: ['meets-policy'],
      override: { reason: 'guarantor-or-collateral', note: 'Guarantor signed at the branch.' },
    });
    expect(pending.awaitingApproval).toBe(true);
    hh.t.clock.advance(25 * 31 * DAY);
    expect(hh.t.ws.retention.run().kept).toEqual([{ applicantId, because: 'open-case' }]);
    expect(hh.t.ws.retention.view(applicantId)?.keptBy).toBe('open-case');
  });

  it('runs when the workstation opens, and never erases an applicant whose term is unknown', async () => {
    const hh = await harness();
    const kept = await hh.register();
    const erased = await hh.register();
    // A receipt from before migration 0004 whose term could not be recovered.
    hh.t.ws.store.sqlite
      .prepare('UPDATE consent_receipts SET retention_months = NULL WHERE applicant_id = ?')
      .run(kept);
    hh.t.clock.advance(25 * 31 * DAY);
    const ws = hh.t.reopen();
    expect(ws.applicants.get(erased).status).toBe('erased');
    expect(ws.applicants.get(kept).status).toBe('active');
    expect(ws.retention.view(kept)).toMatchObject({ months: null, dueAt: null });
    expect(JSON.parse(entries(hh, 'retention.applied')[0]?.payload ?? '{}')).toMatchObject({ termUnknown: 1 });
  });

  it('legal holds: supervisors only, one open hold at a time, a note without personal data', async () => {
    const hh = await harness();
    const applicantId = await hh.register();
    await signedInSupervisor(hh, 'sup', 'sam.supervisor');
    const input = { applicantId, reason: 'regulator-inquiry' as const, note: 'Inquiry reference on file' };
    expect(await hh.t.call('officer', 'applicants:setLegalHold', input)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const withName = await hh.t.call('sup', 'applicants:setLegalHold', {
      ...input,
      note: `Hold for ${PERSON.fullName.split(' ')[0] ?? ''} case`,
    });
    expect(withName).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await hh.t.call('sup', 'applicants:setLegalHold', { ...input, note: '  ' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(
      await hh.t.call('sup', 'applicants:setLegalHold', { ...input, reason: 'because' as 'complaint' }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const set = await hh.t.call('sup', 'applicants:setLegalHold', input);
    expect(set.ok).toBe(true);
    expect(await hh.t.call('sup', 'applicants:setLegalHold', input)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await hh.t.call('sup', 'applicants:releaseLegalHold', { holdId: 'LH-0000' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await hh.t.call('sup', 'applicants:releaseLegalHold', { holdId: 'LH-0000000000000000' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    if (set.ok) {
      expect((await hh.t.call('sup', 'applicants:releaseLegalHold', { holdId: set.value.id })).ok).toBe(true);
      expect(await hh.t.call('sup', 'applicants:releaseLegalHold', { holdId: set.value.id })).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT' },
      });
    }
    // The note stays in the table: the audit trail carries reason codes only.
    const audit = JSON.stringify(
      hh.t.ws.store.sqlite.prepare("SELECT * FROM audit_log WHERE action LIKE 'applicant.legal_hold%'").all(),
    );
    expect(audit).not.toContain('Inquiry reference');
    expect(hh.t.ws.applicantDetail(applicantId).retention?.holds).toHaveLength(1);
  });

  it('deletes local backups older than the backup term, and nothing else in the folder', async () => {
    const hh = await harness();
    const ws = hh.t.ws;
    const old = ws.backup('system');
    hh.t.clock.advance(20 * DAY);
    const recent = ws.backup('system');
    const other = join(dirname(old.file), 'copied-by-hand.db');
    writeFileSync(other, 'x');
    hh.t.clock.advance((BACKUP_DAYS - 20) * DAY + 60_000);
    expect(ws.retention.run().expiredBackups).toBe(1);
    expect(existsSync(old.file)).toBe(false);
    expect(existsSync(recent.file)).toBe(true);
    expect(existsSync(other)).toBe(true);
    expect(JSON.parse(entries(hh, 'database.backup_expired')[0]?.payload ?? '{}')).toEqual({
      count: 1,
      days: BACKUP_DAYS,
    });
    expect(backupTime('nexis-2026-01-05T08-00-00-000Z.db')?.toISOString()).toBe('2026-01-05T08:00:00.000Z');
    expect(backupTime('nexis-2026-13-05T08-00-00-000Z.db')).toBeNull();
  });
});
