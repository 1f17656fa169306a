import { afterEach, describe, expect, it } from 'vitest';
import { DecisionView, PendingReferral } from '../../../shared/ipc/scoring';
import { NexisError } from '../errors';
import { PERSON } from '../testing/intake-fixtures';
import {
  APPROVE_VALUES,
  createScoringHarness,
  DECLINE_VALUES,
  REFER_VALUES,
  type ScoringHarness,
} from '../scoring/scoring-fixtures';
import type { Actor } from './decision-service';

let h: ScoringHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function code(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof NexisError) {
      return `${error.code}: ${error.message}`;
    }
    throw error;
  }
  return 'no error';
}

async function scored(values: Readonly<Record<string, number | null>> = DECLINE_VALUES) {
  const hh = h ?? (h = await createScoringHarness());
  const applicantId = await hh.register(values);
  const score = await hh.scoring.score(hh.officerId, applicantId);
  const officer: Actor = { id: hh.officerId, role: 'officer' };
  return { hh, applicantId, score, officer };
}

const decisionActions = (hh: ScoringHarness) =>
  hh.t.ws.store.sqlite
    .prepare<[], { action: string; payload: string }>(
      "SELECT action, payload FROM audit_log WHERE action LIKE 'decision.%'",
    )
    .all();

describe('recording decisions', () => {
  it('records a decision that follows the policy with principal reasons, audited', async () => {
    const { hh, score, officer } = await scored();
    expect(score.outcome).toBe('decline');
    const top = score.reasons[0]?.feature ?? '';
    const view = hh.decisions.record(officer, score.scoreId, {
      decision: 'decline',
      reasonCodes: [`model:${top}`, 'affordability-insufficient'],
    });
    expect(DecisionView.parse(view)).toEqual(view);
    expect(view).toMatchObject({ decision: 'decline', policyOutcome: 'decline', override: null, kind: 'initial' });
    const audit = decisionActions(hh);
    expect(audit.map((a) => a.action)).toEqual(['decision.recorded']);
    expect(JSON.parse(audit[0]?.payload ?? '{}')).toMatchObject({
      decisionId: view.decisionId,
      override: null,
      reasonCodes: [`model:${top}`, 'affordability-insufficient'],
    });
  });

  it('checks reason codes: principal reasons of this score or the fixed list; a decline needs one', async () => {
    const { hh, score, officer } = await scored();
    const notAReason = ['mobileMoneyHistoryMonths', 'termMonths', 'requestedAmount'].find(
      (f) => !score.reasons.some((r) => r.feature === f),
    );
    expect(code(() => hh.decisions.record(officer, score.scoreId, { decision: 'decline', reasonCodes: [] }))).toMatch(
      /^INVALID_INPUT: .*at least one reason/,
    );
    expect(
      code(() =>
        hh.decisions.record(officer, score.scoreId, { decision: 'decline', reasonCodes: [`model:${notAReason}`] }),
      ),
    ).toMatch(/^INVALID_INPUT: .*not a principal reason/);
    expect(
      code(() => hh.decisions.record(officer, score.scoreId, { decision: 'decline', reasonCodes: ['made-up'] })),
    ).toMatch(/^INVALID_INPUT: .*not a known reason/);
    expect(decisionActions(hh)).toHaveLength(0);
  });

  it('requires an override reason exactly when the decision departs from the policy outcome', async () => {
    const { hh, score, officer } = await scored();
    const approve = { decision: 'approve' as const, reasonCodes: ['meets-policy'] };
    expect(code(() => hh.decisions.record(officer, score.scoreId, approve))).toMatch(
      /^INVALID_INPUT: .*override reason/,
    );
    expect(
      code(() => hh.decisions.record(officer, score.scoreId, { ...approve, override: { reason: 'other' } })),
    ).toMatch(/explain the override/);
    expect(
      code(() =>
        hh.decisions.record(officer, score.scoreId, {
          decision: 'decline',
          reasonCodes: ['policy-knock-out'],
          override: { reason: 'affordability-concern' },
        }),
      ),
    ).toMatch(/nothing to override/);
    const view = hh.decisions.record(officer, score.scoreId, {
      ...approve,
      override: { reason: 'guarantor-or-collateral', note: 'Guarantor signed; land title seen at branch.' },
    });
    expect(view.override).toEqual({
      reason: 'guarantor-or-collateral',
      note: 'Guarantor signed; land title seen at branch.',
    });
    const payload = decisionActions(hh)[0]?.payload ?? '';
    expect(JSON.parse(payload)).toMatchObject({ override: 'guarantor-or-collateral' });
    expect(payload).not.toContain('land title');
  });

  it('refuses override notes carrying personal data', async () => {
    const { hh, score, officer } = await scored();
    const withNote = (note: string) => () =>
      hh.decisions.record(officer, score.scoreId, {
        decision: 'approve',
        reasonCodes: [],
        override: { reason: 'other', note },
      });
    for (const note of [
      'Called her on 0712 345 678',
      'ID 28765432 checked',
      'mail wanjiru@example.com',
      'Spoke with Wanjiru at home',
      `Mama ${PERSON.fullName.split(' ')[1] ?? ''} is known`,
    ]) {
      expect(code(withNote(note))).toMatch(/^INVALID_INPUT: .*personal data/);
    }
    expect(code(withNote('Known customer for 6 years, salary slip seen'))).toBe('no error');
  });

  it('allows one decision per score and only on the applicant’s latest score', async () => {
    const { hh, applicantId, score, officer } = await scored(APPROVE_VALUES);
    const newer = await hh.scoring.score(hh.officerId, applicantId);
    expect(code(() => hh.decisions.record(officer, score.scoreId, { decision: 'approve', reasonCodes: [] }))).toMatch(
      /^CONFLICT: .*newer score/,
    );
    hh.decisions.record(officer, newer.scoreId, { decision: 'approve', reasonCodes: [] });
    expect(code(() => hh.decisions.record(officer, newer.scoreId, { decision: 'approve', reasonCodes: [] }))).toMatch(
      /^CONFLICT: .*already has a decision/,
    );
  });
});

describe('immutability, corrections and reviews', () => {
  it('decision rows cannot be updated or deleted; a correction supersedes the current decision', async () => {
    const { hh, applicantId, score, officer } = await scored();
    const first = hh.decisions.record(officer, score.scoreId, {
      decision: 'decline',
      reasonCodes: ['policy-knock-out'],
    });
    const sqlite = hh.t.ws.store.sqlite;
    expect(() => sqlite.prepare("UPDATE decisions SET decision = 'approve'").run()).toThrow(/immutable/);
    expect(() => sqlite.prepare('DELETE FROM decisions').run()).toThrow(/immutable/);

    const corrected = hh.decisions.correct(officer, first.decisionId, {
      decision: 'decline',
      reasonCodes: ['income-not-verified'],
    });
    expect(corrected).toMatchObject({ supersedes: first.decisionId, kind: 'correction', supersededBy: null });
    expect(hh.decisions.get(first.decisionId).supersededBy).toBe(corrected.decisionId);
    expect(hh.decisions.list(applicantId).map((d) => d.decisionId)).toEqual([corrected.decisionId, first.decisionId]);
    expect(hh.decisions.current(applicantId)?.decisionId).toBe(corrected.decisionId);
    expect(
      code(() =>
        hh.decisions.correct(officer, first.decisionId, { decision: 'decline', reasonCodes: ['policy-knock-out'] }),
      ),
    ).toMatch(/^CONFLICT: .*superseded/);
    const stranger: Actor = { id: 'someone-else-id', role: 'officer' };
    expect(
      code(() =>
        hh.decisions.correct(stranger, corrected.decisionId, {
          decision: 'decline',
          reasonCodes: ['policy-knock-out'],
        }),
      ),
    ).toMatch(/^FORBIDDEN/);
    expect(decisionActions(hh).map((a) => a.action)).toEqual(['decision.recorded', 'decision.corrected']);
  });

  it('a supervisor other than the referrer decides a referral; officers and the referrer cannot', async () => {
    const { hh, score, officer } = await scored(REFER_VALUES);
    expect(score.outcome).toBe('refer');
    const referral = hh.decisions.record(officer, score.scoreId, {
      decision: 'refer',
      reasonCodes: ['income-not-verified'],
    });
    const first = await hh.supervisor('sam.supervisor');
    const second = await hh.supervisor('ruth.supervisor');
    expect(hh.decisions.pendingReviews().map((d) => d.decisionId)).toEqual([referral.decisionId]);
    expect(
      code(() => hh.decisions.review(officer, referral.decisionId, { decision: 'approve', reasonCodes: [] })),
    ).toMatch(/^FORBIDDEN/);
    expect(
      code(() => hh.decisions.correct(officer, referral.decisionId, { decision: 'approve', reasonCodes: [] })),
    ).toMatch(/^CONFLICT: .*review/);

    // A supervisor's own referral needs another supervisor.
    const ownScore = await scored(REFER_VALUES);
    const own = hh.decisions.record(first, ownScore.score.scoreId, {
      decision: 'refer',
      reasonCodes: ['incomplete-application'],
    });
    expect(code(() => hh.decisions.review(first, own.decisionId, { decision: 'approve', reasonCodes: [] }))).toMatch(
      /^FORBIDDEN: .*another supervisor/,
    );

    // Deciding a referral that the policy referred needs no override reason.
    const reviewed = hh.decisions.review(second, referral.decisionId, {
      decision: 'approve',
      reasonCodes: ['meets-policy'],
      note: 'Payslips for three months seen at the branch.',
    });
    expect(reviewed).toMatchObject({
      kind: 'review',
      supersedes: referral.decisionId,
      override: null,
      note: 'Payslips for three months seen at the branch.',
      policyOutcome: 'refer',
    });
    expect(hh.decisions.pendingReviews().map((d) => d.decisionId)).toEqual([own.decisionId]);
    expect(
      code(() =>
        hh.decisions.review(first, referral.decisionId, { decision: 'decline', reasonCodes: ['policy-knock-out'] }),
      ),
    ).toMatch(/^CONFLICT: .*superseded/);
    expect(decisionActions(hh).map((a) => a.action)).toContain('decision.reviewed');
  });

  it('a review that departs from an approve/decline policy outcome still needs an override', async () => {
    const { hh, score, officer } = await scored(DECLINE_VALUES);
    const referral = hh.decisions.record(officer, score.scoreId, {
      decision: 'refer',
      reasonCodes: ['income-not-verified'],
      override: { reason: 'additional-income-documented' },
    });
    const supervisor = await hh.supervisor('sam.supervisor');
    expect(
      code(() => hh.decisions.review(supervisor, referral.decisionId, { decision: 'approve', reasonCodes: [] })),
    ).toMatch(/^INVALID_INPUT: .*override reason/);
    const declined = hh.decisions.review(supervisor, referral.decisionId, {
      decision: 'decline',
      reasonCodes: ['income-not-verified'],
      note: 'Income could not be confirmed with the employer.',
    });
    expect(declined.override).toBeNull();
  });

  it('a review needs a written reason, held to the override-note rules, for approve and decline alike', async () => {
    const { hh, score, officer } = await scored(REFER_VALUES);
    const referral = hh.decisions.record(officer, score.scoreId, {
      decision: 'refer',
      reasonCodes: ['income-not-verified'],
    });
    const supervisor = await hh.supervisor('sam.supervisor');
    for (const decision of ['approve', 'decline'] as const) {
      const input = { decision, reasonCodes: ['income-not-verified'] };
      expect(code(() => hh.decisions.review(supervisor, referral.decisionId, input))).toMatch(
        /^INVALID_INPUT: Reason for your decision: write why you approve or decline/,
      );
      expect(code(() => hh.decisions.review(supervisor, referral.decisionId, { ...input, note: '   ' }))).toMatch(
        /^INVALID_INPUT: Reason for your decision: write why you approve or decline/,
      );
    }
    // The same rule as an override note: no part of the applicant's name, no phone or id numbers.
    const surname = PERSON.fullName.split(' ').at(-1) ?? '';
    for (const note of [`Spoke to ${surname} at the branch.`, 'Called 0712 345 678 to confirm.']) {
      expect(
        code(() =>
          hh.decisions.review(supervisor, referral.decisionId, { decision: 'approve', reasonCodes: [], note }),
        ),
      ).toMatch(/^INVALID_INPUT: Reason for your decision: take out the personal data/);
    }
    expect(hh.decisions.pendingReviews()).toHaveLength(1);
  });

  it('lists each pending referral with its score, band, reasons and the loan asked for', async () => {
    const { hh, score, officer } = await scored(REFER_VALUES);
    const referral = hh.decisions.record(officer, score.scoreId, {
      decision: 'refer',
      reasonCodes: ['income-not-verified'],
    });
    const [pending] = hh.decisions.pendingReviews();
    expect(PendingReferral.parse(pending)).toEqual(pending);
    expect(pending).toMatchObject({
      decisionId: referral.decisionId,
      score: score.score,
      band: score.band,
      probabilityOfDefault: score.probabilityOfDefault,
      reasons: score.reasons,
      requestedAmount: REFER_VALUES.requestedAmount,
      termMonths: REFER_VALUES.termMonths,
    });
  });
});
