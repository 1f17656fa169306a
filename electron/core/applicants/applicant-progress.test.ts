/**
 * The officer's queue: each listed applicant says where they stand (what to do next) and their latest score,
 * read from a real encrypted workstation with the shipped model.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { consentFor, PERSON } from '../testing/intake-fixtures';
import { createScoringHarness, DECLINE_VALUES, REFER_VALUES, type ScoringHarness } from '../scoring/scoring-fixtures';

let h: ScoringHarness | undefined;
afterAll(async () => {
  await h?.close();
});

describe('applicant queue', () => {
  it('moves each applicant through capture, score, decide, awaiting supervisor and decided, with the score', async () => {
    h = await createScoringHarness();
    const { t, officerId } = h;
    const ws = t.ws;
    const officer = { id: officerId, role: 'officer' as const };
    const row = async (applicantId: string) => {
      // The id without its check symbol is a prefix search, which finds exactly this applicant.
      const r = await t.call('officer', 'applicants:list', { query: applicantId.slice(0, 15), page: 1, pageSize: 5 });
      if (!r.ok) {
        throw new Error(r.error.message);
      }
      return r.value.items[0];
    };

    const fresh = ws.applicants.register(officerId, PERSON, consentFor(ws)).applicantId;
    expect(await row(fresh)).toMatchObject({ stage: 'capture', score: null, band: null, decision: null });

    const referred = await h.register(REFER_VALUES);
    expect(await row(referred)).toMatchObject({ stage: 'score', score: null });
    const score = await h.scoring.score(officerId, referred);
    expect(await row(referred)).toMatchObject({ stage: 'decide', score: score.score, band: score.band });
    // New data after the score must be scored again before deciding.
    t.clock.advance(60_000);
    ws.behaviour.saveForm(officerId, referred, { ...REFER_VALUES, activeLoans: 2 });
    expect(await row(referred)).toMatchObject({ stage: 'score', score: score.score });
    const rescored = await h.scoring.score(officerId, referred);
    expect(rescored.outcome).toBe('refer');
    const top = rescored.reasons[0]?.feature ?? '';
    const referral = h.decisions.record(officer, rescored.scoreId, {
      decision: 'refer',
      reasonCodes: [`model:${top}`],
    });
    expect(await row(referred)).toMatchObject({ stage: 'awaiting-supervisor', decision: 'refer' });

    const supervisor = await h.supervisor('sup.ervisor');
    h.decisions.review(supervisor, referral.decisionId, {
      decision: 'decline',
      reasonCodes: [`model:${top}`],
      note: 'Arrears confirmed with the branch records.',
    });
    expect(await row(referred)).toMatchObject({ stage: 'decided', decision: 'decline', score: rescored.score });

    const withdrawn = ws.applicants.register(officerId, PERSON, consentFor(ws)).applicantId;
    ws.consent.withdraw(officerId, withdrawn, 'credit-scoring');
    expect(await row(withdrawn)).toMatchObject({ stage: 'no-consent' });
  });

  it('shows an override waiting for a second supervisor as awaiting supervisor, not decided', async () => {
    const hh = h ?? (h = await createScoringHarness());
    const applicantId = await hh.register(DECLINE_VALUES);
    const score = await hh.scoring.score(hh.officerId, applicantId);
    hh.decisions.record({ id: hh.officerId, role: 'officer' }, score.scoreId, {
      decision: 'approve',
      reasonCodes: ['meets-policy'],
      override: { reason: 'guarantor-or-collateral', note: 'Guarantor signed at the branch.' },
    });
    const r = await hh.t.call('officer', 'applicants:list', { query: applicantId.slice(0, 15), page: 1, pageSize: 5 });
    expect(r.ok && r.value.items[0]).toMatchObject({ stage: 'awaiting-supervisor', decision: 'approve' });
  });

  it("lists one officer's own applicants when asked for their queue", async () => {
    const hh = h ?? (h = await createScoringHarness());
    const ws = hh.t.ws;
    const other = await hh.supervisor('other.supervisor');
    const mine = ws.applicants.register(hh.officerId, PERSON, consentFor(ws)).applicantId;
    const theirs = ws.applicants.register(other.id, PERSON, consentFor(ws)).applicantId;
    const r = await hh.t.call('officer', 'applicants:list', { mine: true, page: 1, pageSize: 100 });
    const ids = r.ok ? r.value.items.map((i) => i.applicantId) : [];
    expect(ids).toContain(mine);
    expect(ids).not.toContain(theirs);
    expect(r.ok && r.value.items.every((i) => i.createdBy === hh.officerId)).toBe(true);
  });
});
