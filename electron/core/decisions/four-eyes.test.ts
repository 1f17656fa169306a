/**
 * Four eyes on overrides, on the real encrypted workstation and the shipped model: a raise to approve waits for a
 * second supervisor, who approves it (then it is in force) or rejects it (then the policy outcome stands).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DecisionView, PendingReferral, ReplayReport } from '../../../shared/ipc/scoring';
import type { PolicyRelease } from '../../../shared/sync/pull';
import { NexisError } from '../errors';
import { PERSON } from '../testing/intake-fixtures';
import {
  APPROVE_VALUES,
  createScoringHarness,
  DECLINE_VALUES,
  REFER_VALUES,
  type ScoringHarness,
} from '../scoring/scoring-fixtures';
import { replayDecision } from '../scoring/replay';
import { createAttachmentFor } from '../sync/attachments';
import { metaSyncStateStore } from '../sync/meta-state';
import { installPolicyRelease } from '../sync/releases';
import { policyCutoffs } from '../sync/workstation-handlers';
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

async function harness(): Promise<ScoringHarness> {
  return h ?? (h = await createScoringHarness());
}

async function scored(values: Readonly<Record<string, number | null>> = DECLINE_VALUES) {
  const hh = await harness();
  const applicantId = await hh.register(values);
  const score = await hh.scoring.score(hh.officerId, applicantId);
  const officer: Actor = { id: hh.officerId, role: 'officer' };
  return { hh, applicantId, score, officer };
}

const auditOf = (hh: ScoringHarness) =>
  hh.t.ws.store.sqlite
    .prepare<[], { actor: string; action: string; payload: string }>(
      "SELECT actor, action, payload FROM audit_log WHERE action LIKE 'decision.%' ORDER BY seq",
    )
    .all()
    .map((e) => ({ actor: e.actor, action: e.action, payload: JSON.parse(e.payload) as Record<string, unknown> }));

const OFFICER_NOTE = 'Guarantor signed; land title seen at the branch.';
const SUPERVISOR_NOTE = 'Title deed checked against the registry extract.';

/** An officer's raise of a declined score to approve (the override the four eyes are for). */
async function raisedDecline() {
  const s = await scored(DECLINE_VALUES);
  expect(s.score.outcome).toBe('decline');
  const pending = s.hh.decisions.record(s.officer, s.score.scoreId, {
    decision: 'approve',
    reasonCodes: ['meets-policy'],
    override: { reason: 'guarantor-or-collateral', note: OFFICER_NOTE },
  });
  return { ...s, pending };
}

describe('a raise to approve waits for a second supervisor', () => {
  it('stores the override as pending: not an approval, listed for supervisors, an open case, no letter', async () => {
    const { hh, applicantId, pending } = await raisedDecline();
    expect(DecisionView.parse(pending)).toEqual(pending);
    expect(pending).toMatchObject({
      decision: 'approve',
      policyOutcome: 'decline',
      kind: 'initial',
      fourEyes: 'pending',
      awaitingApproval: true,
      override: { reason: 'guarantor-or-collateral', note: OFFICER_NOTE },
    });
    const [listed] = hh.decisions.pendingOverrides();
    expect(PendingReferral.parse(listed)).toEqual(listed);
    expect(listed).toMatchObject({ decisionId: pending.decisionId, score: expect.any(Number) as number });
    expect(hh.decisions.pendingReviews()).toEqual([]);
    expect(hh.decisions.hasOpenCase(applicantId)).toBe(true);
    await expect(hh.letters.applicantLetter(hh.officerId, pending.decisionId)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/second supervisor’s approval/) as string,
    });
    await expect(hh.letters.bankCopy(hh.officerId, pending.decisionId)).rejects.toMatchObject({ code: 'CONFLICT' });
    const [entry] = auditOf(hh);
    expect(entry).toMatchObject({
      action: 'decision.recorded',
      payload: { decisionId: pending.decisionId, fourEyes: 'pending', override: 'guarantor-or-collateral' },
    });
    expect(JSON.stringify(entry)).not.toContain('land title');
  });

  it('the deciding officer cannot approve it, nor can an officer, nor can the author of a supervisor’s raise', async () => {
    const { hh, officer, pending } = await raisedDecline();
    const approve = { verdict: 'approve' as const, note: SUPERVISOR_NOTE };
    expect(code(() => hh.decisions.decideOverride(officer, pending.decisionId, approve))).toMatch(/^FORBIDDEN/);
    const first = await hh.supervisor('sam.supervisor');
    const second = await hh.supervisor('ruth.supervisor');
    // A supervisor's own raise needs a second supervisor too.
    const own = await scored(DECLINE_VALUES);
    const ownPending = hh.decisions.record(first, own.score.scoreId, {
      decision: 'approve',
      reasonCodes: [],
      override: { reason: 'long-customer-relationship' },
    });
    expect(ownPending.fourEyes).toBe('pending');
    expect(code(() => hh.decisions.decideOverride(first, ownPending.decisionId, approve))).toMatch(
      /^FORBIDDEN: .*another supervisor/,
    );
    // Nor can another supervisor slip the approval in as a correction.
    expect(
      code(() =>
        hh.decisions.correct(second, pending.decisionId, {
          decision: 'approve',
          reasonCodes: [],
          override: { reason: 'other', note: 'Looks fine' },
        }),
      ),
    ).toMatch(/^FORBIDDEN: .*only its author/);
    expect(hh.decisions.decideOverride(second, ownPending.decisionId, approve).decision).toBe('approve');
  });

  it('a supervisor other than the author approves it: the approval is in force with both reasons', async () => {
    const { hh, applicantId, officer, pending } = await raisedDecline();
    const supervisor = await hh.supervisor('sam.supervisor');
    const approved = hh.decisions.decideOverride(supervisor, pending.decisionId, {
      verdict: 'approve',
      note: `  ${SUPERVISOR_NOTE}  `,
    });
    expect(DecisionView.parse(approved)).toEqual(approved);
    expect(approved).toMatchObject({
      decision: 'approve',
      policyOutcome: 'decline',
      officerId: supervisor.id,
      kind: 'override-approval',
      fourEyes: 'approved',
      awaitingApproval: false,
      supersedes: pending.decisionId,
      reasonCodes: ['meets-policy'],
      override: { reason: 'guarantor-or-collateral', note: OFFICER_NOTE },
      note: SUPERVISOR_NOTE,
    });
    expect(hh.decisions.get(pending.decisionId)).toMatchObject({ awaitingApproval: false, fourEyes: 'pending' });
    expect(hh.decisions.current(applicantId)?.decisionId).toBe(approved.decisionId);
    expect(hh.decisions.pendingOverrides()).toEqual([]);
    expect(hh.decisions.hasOpenCase(applicantId)).toBe(false);
    const letter = await hh.letters.applicantLetter(officer.id, approved.decisionId);
    expect(letter.pages).toBeGreaterThan(0);

    const entries = auditOf(hh);
    expect(entries.map((e) => e.action)).toEqual(['decision.recorded', 'decision.override_approved']);
    expect(entries[1]).toMatchObject({
      actor: supervisor.id,
      payload: {
        decisionId: approved.decisionId,
        supersedes: pending.decisionId,
        fourEyes: 'approved',
        override: 'guarantor-or-collateral',
        requestedBy: officer.id,
      },
    });
    // Codes and pseudonymous ids only: both notes stay on the decision rows.
    expect(JSON.stringify(entries)).not.toContain('registry extract');
    expect(
      code(() => hh.decisions.decideOverride(supervisor, pending.decisionId, { verdict: 'approve', note: 'again' })),
    ).toMatch(/^CONFLICT: .*superseded/);
  });

  it('rejecting a raise from a decline records the decline, with the supervisor’s reasons', async () => {
    const { hh, applicantId, score, officer, pending } = await raisedDecline();
    const supervisor = await hh.supervisor('sam.supervisor');
    const reject = { verdict: 'reject' as const, note: 'The guarantor has arrears of his own.' };
    expect(
      code(() => hh.decisions.decideOverride(supervisor, pending.decisionId, { ...reject, reasonCodes: [] })),
    ).toMatch(/^INVALID_INPUT: .*at least one reason/);
    const top = `model:${score.reasons[0]?.feature ?? ''}`;
    const rejected = hh.decisions.decideOverride(supervisor, pending.decisionId, {
      ...reject,
      reasonCodes: [top, 'existing-arrears-confirmed'],
    });
    expect(rejected).toMatchObject({
      decision: 'decline',
      kind: 'override-rejection',
      fourEyes: 'rejected',
      override: null,
      note: reject.note,
      reasonCodes: [top, 'existing-arrears-confirmed'],
    });
    expect(hh.decisions.current(applicantId)?.decision).toBe('decline');
    expect(hh.decisions.hasOpenCase(applicantId)).toBe(false);
    expect(auditOf(hh).at(-1)).toMatchObject({
      action: 'decision.override_rejected',
      payload: { decision: 'decline', fourEyes: 'rejected', requestedBy: officer.id },
    });
    expect((await hh.letters.applicantLetter(officer.id, rejected.decisionId)).pages).toBeGreaterThan(0);
  });

  it('rejecting a raise from a referral refers the application again, for another supervisor to review', async () => {
    const { hh, applicantId, score, officer } = await scored(REFER_VALUES);
    expect(score.outcome).toBe('refer');
    const pending = hh.decisions.record(officer, score.scoreId, {
      decision: 'approve',
      reasonCodes: ['meets-policy'],
      override: { reason: 'additional-income-documented', note: 'Rental income contract seen.' },
    });
    expect(pending.fourEyes).toBe('pending');
    const rejecter = await hh.supervisor('sam.supervisor');
    const reviewer = await hh.supervisor('ruth.supervisor');
    const referral = hh.decisions.decideOverride(rejecter, pending.decisionId, {
      verdict: 'reject',
      note: 'The contract is unsigned; needs a proper review.',
      reasonCodes: ['income-not-verified'],
    });
    expect(referral).toMatchObject({ decision: 'refer', kind: 'override-rejection', fourEyes: 'rejected' });
    expect(hh.decisions.pendingReviews().map((d) => d.decisionId)).toEqual([referral.decisionId]);
    expect(hh.decisions.hasOpenCase(applicantId)).toBe(true);
    expect(
      code(() =>
        hh.decisions.review(rejecter, referral.decisionId, {
          decision: 'decline',
          reasonCodes: ['income-not-verified'],
        }),
      ),
    ).toMatch(/^FORBIDDEN/);
    const reviewed = hh.decisions.review(reviewer, referral.decisionId, {
      decision: 'decline',
      reasonCodes: ['income-not-verified'],
      note: 'Income could not be confirmed.',
    });
    expect(reviewed.kind).toBe('review');
    expect(hh.decisions.hasOpenCase(applicantId)).toBe(false);
  });

  it('a supervisor’s review that raises a decline the officer referred needs a second supervisor', async () => {
    const { hh, score, officer } = await scored(DECLINE_VALUES);
    const referral = hh.decisions.record(officer, score.scoreId, {
      decision: 'refer',
      reasonCodes: ['income-not-verified'],
      override: { reason: 'additional-income-documented' },
    });
    expect(referral.fourEyes).toBeNull();
    const reviewer = await hh.supervisor('sam.supervisor');
    const reviewed = hh.decisions.review(reviewer, referral.decisionId, {
      decision: 'approve',
      reasonCodes: [],
      note: 'Second salary confirmed by the employer.',
      override: { reason: 'additional-income-documented' },
    });
    expect(reviewed).toMatchObject({ kind: 'review', fourEyes: 'pending', awaitingApproval: true });
    expect(
      code(() => hh.decisions.decideOverride(reviewer, reviewed.decisionId, { verdict: 'approve', note: 'ok' })),
    ).toMatch(/^FORBIDDEN/);
  });

  it('leaves decisions that do not raise the outcome to approve as they were', async () => {
    const hh = await harness();
    const officer: Actor = { id: hh.officerId, role: 'officer' };
    const follow = await scored(APPROVE_VALUES);
    expect(follow.score.outcome).toBe('approve');
    const approved = hh.decisions.record(officer, follow.score.scoreId, { decision: 'approve', reasonCodes: [] });
    const corrected = hh.decisions.correct(officer, approved.decisionId, {
      decision: 'decline',
      reasonCodes: ['income-not-verified'],
      override: { reason: 'recent-adverse-information' },
    });
    const referred = await scored(DECLINE_VALUES);
    const raisedToRefer = hh.decisions.record(officer, referred.score.scoreId, {
      decision: 'refer',
      reasonCodes: ['income-not-verified'],
      override: { reason: 'additional-income-documented' },
    });
    // A supervisor deciding a referral the policy itself made is the second pair of eyes the policy asked for.
    const policyReferral = await scored(REFER_VALUES);
    const referral = hh.decisions.record(officer, policyReferral.score.scoreId, {
      decision: 'refer',
      reasonCodes: ['income-not-verified'],
    });
    const supervisor = await hh.supervisor('sam.supervisor');
    const reviewed = hh.decisions.review(supervisor, referral.decisionId, {
      decision: 'approve',
      reasonCodes: ['meets-policy'],
      note: 'Payslips for three months seen.',
    });
    for (const view of [approved, corrected, raisedToRefer, reviewed]) {
      expect(view).toMatchObject({ fourEyes: null, awaitingApproval: false });
    }
    expect(hh.decisions.pendingOverrides()).toEqual([]);
    expect(auditOf(hh).every((e) => e.payload.fourEyes === null)).toBe(true);
  });

  it('the author may withdraw a pending override by correcting it; the record says so', async () => {
    const { hh, applicantId, officer, pending } = await raisedDecline();
    const withdrawn = hh.decisions.correct(officer, pending.decisionId, {
      decision: 'decline',
      reasonCodes: ['policy-knock-out'],
    });
    expect(withdrawn).toMatchObject({ kind: 'correction', fourEyes: null });
    expect(hh.decisions.pendingOverrides()).toEqual([]);
    expect(hh.decisions.hasOpenCase(applicantId)).toBe(false);
    const report = await replayDecision(hh.t.ws.store, hh.model, 'auditor-id', pending.decisionId, (a) =>
      hh.t.ws.applicants.dataKey(a),
    );
    expect(report.fourEyes).toMatchObject({ verdict: 'withdrawn', verdictDecisionId: withdrawn.decisionId });
    expect(report.fourEyes?.supervisorNote).toBeNull();
  });

  it('refuses bad verdicts with typed errors', async () => {
    const { hh, pending } = await raisedDecline();
    const supervisor = await hh.supervisor('sam.supervisor');
    const surname = PERSON.fullName.split(' ').at(-1) ?? '';
    expect(
      code(() => hh.decisions.decideOverride(supervisor, pending.decisionId, { verdict: 'approve', note: ' ' })),
    ).toMatch(/^INVALID_INPUT: Reason for your decision: write why/);
    expect(
      code(() =>
        hh.decisions.decideOverride(supervisor, pending.decisionId, {
          verdict: 'approve',
          note: `Spoke to ${surname} at the branch.`,
        }),
      ),
    ).toMatch(/^INVALID_INPUT: Reason for your decision: take out the personal data/);
    expect(
      code(() => hh.decisions.decideOverride(supervisor, 'DC-0000000000000000', { verdict: 'approve', note: 'x' })),
    ).toMatch(/^NOT_FOUND/);
    const plain = await scored(APPROVE_VALUES);
    const followed = hh.decisions.record(plain.officer, plain.score.scoreId, { decision: 'approve', reasonCodes: [] });
    expect(
      code(() => hh.decisions.decideOverride(supervisor, followed.decisionId, { verdict: 'approve', note: 'Fine.' })),
    ).toMatch(/^CONFLICT: .*waiting for approval/);
    expect(hh.decisions.pendingOverrides()).toHaveLength(1);
  });
});

describe('the replay record', () => {
  it('carries the officer’s override and the supervisor’s verdict, on the request and on the approval', async () => {
    const { hh, officer, pending } = await raisedDecline();
    const before = ReplayReport.parse(
      await replayDecision(hh.t.ws.store, hh.model, 'auditor-id', pending.decisionId, (a) =>
        hh.t.ws.applicants.dataKey(a),
      ),
    );
    expect(before.fourEyes).toMatchObject({ verdict: 'pending', decidedBy: null, supervisorNote: null });
    const supervisor = await hh.supervisor('sam.supervisor');
    const approved = hh.decisions.decideOverride(supervisor, pending.decisionId, {
      verdict: 'approve',
      note: SUPERVISOR_NOTE,
    });
    const expected = {
      requestDecisionId: pending.decisionId,
      requestedBy: officer.id,
      requestedAt: pending.createdAt,
      requested: 'approve',
      policyOutcome: 'decline',
      overrideReason: 'guarantor-or-collateral',
      overrideNote: OFFICER_NOTE,
      verdict: 'approved',
      verdictDecisionId: approved.decisionId,
      decidedBy: supervisor.id,
      decidedAt: approved.createdAt,
      supervisorNote: SUPERVISOR_NOTE,
    };
    for (const id of [pending.decisionId, approved.decisionId]) {
      const report = ReplayReport.parse(
        await replayDecision(hh.t.ws.store, hh.model, 'auditor-id', id, (a) => hh.t.ws.applicants.dataKey(a)),
      );
      expect(report.reproduced).toBe(true);
      expect(report.fourEyes).toEqual(expected);
    }
  });

  it('is null for a decision outside four eyes', async () => {
    const { hh, score, officer } = await scored(APPROVE_VALUES);
    const decision = hh.decisions.record(officer, score.scoreId, { decision: 'approve', reasonCodes: [] });
    expect(
      (
        await replayDecision(hh.t.ws.store, hh.model, 'auditor-id', decision.decisionId, (a) =>
          hh.t.ws.applicants.dataKey(a),
        )
      ).fourEyes,
    ).toBeNull();
  });
});

describe('what travels to the central API', () => {
  it('the pending row says pending, the approval row says approved; notes stay home without central-sync', async () => {
    const { hh, pending } = await raisedDecline();
    const supervisor = await hh.supervisor('sam.supervisor');
    const approved = hh.decisions.decideOverride(supervisor, pending.decisionId, {
      verdict: 'approve',
      note: SUPERVISOR_NOTE,
    });
    const ws = hh.t.ws;
    const attachmentFor = createAttachmentFor({ ...ws, scoring: hh.scoring, decisions: hh.decisions });
    const entries = ws.store.sqlite
      .prepare<
        [],
        {
          seq: number;
          ts: string;
          actor: string;
          action: string;
          subject: string | null;
          payload: string;
          prevHash: string;
          hash: string;
        }
      >(
        "SELECT seq, ts, actor, action, subject, payload, prev_hash AS prevHash, hash FROM audit_log WHERE action LIKE 'decision.%' ORDER BY seq",
      )
      .all();
    const bodies = entries.map((entry) => attachmentFor(entry));
    expect(bodies.map((b) => b?.kind)).toEqual(['decision.record', 'decision.record']);
    expect(bodies[0]?.body).toMatchObject({ decisionId: pending.decisionId, fourEyes: 'pending', decision: 'approve' });
    expect(bodies[1]?.body).toMatchObject({
      decisionId: approved.decisionId,
      fourEyes: 'approved',
      kind: 'override-approval',
      override: { reason: 'guarantor-or-collateral', note: null },
      note: null,
    });
    expect(JSON.stringify(bodies)).not.toContain('registry extract');
    expect(JSON.stringify(bodies)).not.toContain('land title');
  });
});

describe('the policy option', () => {
  /** Installs a central policy release the way a pulled, verified release is installed, and puts it in force. */
  async function underRelease(release: PolicyRelease) {
    const hh = await harness();
    installPolicyRelease(release, metaSyncStateStore(hh.t.ws.store));
    const cutoffs = policyCutoffs(release);
    if (cutoffs === null) {
      throw new Error('bad test release');
    }
    hh.model.setPolicy(cutoffs);
  }

  const release = (version: string, fourEyesOverrides?: boolean): PolicyRelease => ({
    version,
    cutoffs: { approve: 560, refer: 500 },
    reasonTexts: {},
    ...(fourEyesOverrides === undefined ? {} : { fourEyesOverrides }),
  });

  it('a release signed with fourEyesOverrides: false lets a raise take effect at once, as before', async () => {
    await underRelease(release('2026.12-off', false));
    const { hh, applicantId, score, officer } = await scored(DECLINE_VALUES);
    expect(score.policyVersion).toBe('2026.12-off');
    const view = hh.decisions.record(officer, score.scoreId, {
      decision: 'approve',
      reasonCodes: [],
      override: { reason: 'guarantor-or-collateral' },
    });
    expect(view).toMatchObject({ decision: 'approve', fourEyes: null, awaitingApproval: false, kind: 'initial' });
    expect(hh.decisions.hasOpenCase(applicantId)).toBe(false);
    expect((await hh.letters.applicantLetter(officer.id, view.decisionId)).pages).toBeGreaterThan(0);
  });

  it('a release that does not mention the option keeps four eyes on', async () => {
    await underRelease(release('2026.12-silent'));
    const { score, pending } = await raisedDecline();
    expect(score.policyVersion).toBe('2026.12-silent');
    expect(pending.fourEyes).toBe('pending');
  });
});
