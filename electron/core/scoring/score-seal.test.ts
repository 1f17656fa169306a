/**
 * Score inputs and explanations are sealed under the applicant's key: nothing of the behavioural values is in the
 * row in clear, they open for the services while the applicant is active, and an erasure leaves them unreadable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { scores } from '../db/schema';
import { NexisError } from '../errors';
import { createScoringHarness, DECLINE_VALUES, REFER_VALUES, type ScoringHarness } from './scoring-fixtures';
import { replayDecision } from './replay';
import { ERASED_FIELD, openScoreRow, sealPlainScores } from './score-seal';
import type { ScoreRow } from './scoring-service';

let h: ScoringHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The row as stored, sealed fields and all. */
const rawRow = (hh: ScoringHarness, scoreId: string): ScoreRow => {
  const row = hh.t.ws.store.db.select().from(scores).where(eq(scores.id, scoreId)).get();
  if (row === undefined) {
    throw new Error('no row');
  }
  return row;
};

describe('sealed score fields', () => {
  it('stores no behavioural value in clear, opens for the services, and is unreadable after erasure', async () => {
    const hh = (h = await createScoringHarness());
    const marker = 8_123.457;
    const applicantId = await hh.register({ ...REFER_VALUES, savingsBalanceAvg: marker });
    const score = await hh.scoring.score(hh.officerId, applicantId);
    const stored = rawRow(hh, score.scoreId);
    expect(stored.inputs.startsWith('sealed:v1:')).toBe(true);
    expect(stored.explanation.startsWith('sealed:v1:')).toBe(true);
    const table = JSON.stringify(hh.t.ws.store.sqlite.prepare('SELECT * FROM scores').all());
    expect(table).not.toContain(String(marker));
    expect(JSON.parse(hh.scoring.row(score.scoreId).inputs)).toMatchObject({ savingsBalanceAvg: marker });
    expect(hh.scoring.get(score.scoreId).reasons.length).toBeGreaterThan(0);

    // A sealed field moved onto another score does not open there (AAD binds score and field).
    const other = await hh.scoring.score(hh.officerId, applicantId);
    const swapped = { ...rawRow(hh, other.scoreId), inputs: stored.inputs };
    expect(() => openScoreRow(swapped, (id) => hh.t.ws.applicants.dataKey(id))).toThrow(NexisError);

    const referral = hh.decisions.record({ id: hh.officerId, role: 'officer' }, other.scoreId, {
      decision: 'refer',
      reasonCodes: [`model:${other.reasons[0]?.feature ?? ''}`],
    });
    hh.t.ws.applicants.erase('system', applicantId, 'data-subject-request');
    expect(() => hh.scoring.get(score.scoreId)).toThrow(/erased/);
    const replay: unknown = await replayDecision(hh.t.ws.store, hh.model, 'auditor', referral.decisionId, (id) =>
      hh.t.ws.applicants.dataKey(id),
    ).catch((error: unknown) => error);
    expect(replay).toMatchObject({ code: 'CONFLICT' });
    // The referral queue still lists the case with its pseudonymous outcome, so a supervisor can close it.
    expect(hh.decisions.pendingReviews().find((p) => p.applicantId === applicantId)).toMatchObject({
      score: other.score,
      reasons: [],
      requestedAmount: null,
    });
  });

  it('seals rows written before sealing at open; rows of applicants already erased lose their plain values', async () => {
    const hh = (h = await createScoringHarness());
    const active = await hh.register(DECLINE_VALUES);
    const erased = await hh.register(DECLINE_VALUES);
    const a = await hh.scoring.score(hh.officerId, active);
    const e = await hh.scoring.score(hh.officerId, erased);
    const plainA = hh.scoring.row(a.scoreId);
    const plainE = hh.scoring.row(e.scoreId);
    const sql = hh.t.ws.store.sqlite;
    const setPlain = sql.prepare('UPDATE scores SET inputs = ?, explanation = ? WHERE id = ?');
    setPlain.run(plainA.inputs, plainA.explanation, a.scoreId);
    setPlain.run(plainE.inputs, plainE.explanation, e.scoreId);
    hh.t.ws.applicants.erase('system', erased, 'data-subject-request');
    // A plain row reads as before until the upgrade (the services accept both).
    expect(hh.scoring.row(a.scoreId).inputs).toBe(plainA.inputs);

    expect(sealPlainScores(hh.t.ws.store, (id) => hh.t.ws.applicants.dataKey(id))).toBe(2);
    expect(rawRow(hh, a.scoreId).inputs.startsWith('sealed:v1:')).toBe(true);
    expect(hh.scoring.row(a.scoreId).inputs).toBe(plainA.inputs);
    expect(rawRow(hh, e.scoreId)).toMatchObject({ inputs: ERASED_FIELD, explanation: ERASED_FIELD });
    expect(sealPlainScores(hh.t.ws.store, (id) => hh.t.ws.applicants.dataKey(id))).toBe(0);
  });
});
