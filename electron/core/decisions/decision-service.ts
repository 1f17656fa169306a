/**
 * Officers' credit decisions on a stored score. Decisions are immutable rows (database triggers refuse UPDATE and
 * DELETE): a correction, a supervisor's review of a referral or a supervisor's verdict on a pending override is a
 * new row that supersedes the current one. Every write checks and inserts inside one transaction together with its
 * audit entry.
 *
 * Four eyes on overrides (on unless the score's signed policy turns it off): a decision that raises the policy
 * outcome to approve is stored `pending` and is no approval until a supervisor other than its author approves it.
 * Rejecting it lets the policy outcome stand: a decline is recorded, or the application is referred again.
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { Role } from '../../../shared/domain/roles';
import { raisesToApproval } from '../../../shared/domain/decisions';
import type { DecisionView, PendingReferralView } from '../../../shared/ipc/scoring';
import type { ApplicantService } from '../applicants/applicant-service';
import type { Clock } from '../clock';
import { decisions, scores } from '../db/schema';
import { NexisError } from '../errors';
import type { Store } from '../store';
import { viewOf } from '../scoring/scoring-service';
import { openScoreRow } from '../scoring/score-seal';
import {
  checkOverride,
  checkReasonCodes,
  checkReviewNote,
  nameTokensOf,
  overrideRequired,
  type DecisionInput,
} from './decision-rules';
import { installedFourEyesPolicy, storedReasonOf, type FourEyesPolicy, type StoredReason } from './four-eyes';

export type DecisionRow = typeof decisions.$inferSelect;

export interface Actor {
  readonly id: string;
  readonly role: Role;
}

type Kind = 'initial' | 'review' | 'correction';

/** A supervisor's verdict on a pending override. */
export type OverrideVerdict =
  | { readonly verdict: 'approve'; readonly note: string }
  | { readonly verdict: 'reject'; readonly note: string; readonly reasonCodes: readonly string[] };

export interface DecisionServiceOptions {
  /** Whether a score's policy asks for four eyes on overrides; default: the installed signed policy releases. */
  readonly fourEyes?: FourEyesPolicy;
}

export class DecisionService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #applicants: ApplicantService;
  readonly #fourEyes: FourEyesPolicy;

  constructor(store: Store, clock: Clock, applicants: ApplicantService, options: DecisionServiceOptions = {}) {
    this.#store = store;
    this.#clock = clock;
    this.#applicants = applicants;
    this.#fourEyes = options.fourEyes ?? installedFourEyesPolicy(store);
  }

  /** The first decision on a score: the applicant's latest score, not decided yet. */
  record(actor: Actor, scoreId: string, input: DecisionInput): DecisionView {
    return this.#store.transaction(() => {
      const score = this.#score(scoreId);
      const latest = this.#store.db
        .select({ id: scores.id })
        .from(scores)
        .where(eq(scores.applicantId, score.applicantId))
        .orderBy(desc(scores.createdAt), desc(sql`rowid`))
        .limit(1)
        .get();
      if (latest?.id !== scoreId) {
        throw new NexisError('CONFLICT', 'The applicant has a newer score: decide on the latest one.');
      }
      const existing = this.#store.db.select().from(decisions).where(eq(decisions.scoreId, scoreId)).limit(1).get();
      if (existing !== undefined) {
        throw new NexisError('CONFLICT', 'This score already has a decision: record a correction instead.');
      }
      return this.#insert(actor, score, input, null, 'initial');
    });
  }

  /** A correction of the current decision by its author or a supervisor; referrals go through review. */
  correct(actor: Actor, decisionId: string, input: DecisionInput): DecisionView {
    return this.#store.transaction(() => {
      const previous = this.#current(decisionId);
      if (previous.decision === 'refer') {
        throw new NexisError('CONFLICT', 'A referral is decided by a supervisor’s review, not corrected.');
      }
      if (previous.fourEyes === 'pending' && previous.officerId !== actor.id) {
        throw new NexisError(
          'FORBIDDEN',
          'A pending override is approved or rejected by a supervisor; only its author may correct it.',
        );
      }
      if (previous.officerId !== actor.id && actor.role !== 'supervisor') {
        throw new NexisError('FORBIDDEN', 'Only the officer who decided, or a supervisor, may correct a decision.');
      }
      return this.#insert(actor, this.#score(previous.scoreId), input, previous, 'correction');
    });
  }

  /** A supervisor decides a current referral made by someone else (four eyes). */
  review(actor: Actor, decisionId: string, input: DecisionInput): DecisionView {
    if (actor.role !== 'supervisor') {
      throw new NexisError('FORBIDDEN', 'Only a supervisor reviews referrals.');
    }
    if (input.decision === 'refer') {
      throw new NexisError('INVALID_INPUT', 'Invalid input — decision: a review approves or declines.');
    }
    return this.#store.transaction(() => {
      const previous = this.#current(decisionId);
      if (previous.decision !== 'refer') {
        throw new NexisError('CONFLICT', 'Only a referral can be reviewed.');
      }
      if (previous.officerId === actor.id) {
        throw new NexisError(
          'FORBIDDEN',
          'A referral must be reviewed by another supervisor than the one who made it.',
        );
      }
      // One written reason serves the review and, when the review departs from the policy, its override.
      const override =
        input.override === undefined ? undefined : { ...input.override, note: input.override.note ?? input.note };
      return this.#insert(actor, this.#score(previous.scoreId), { ...input, override }, previous, 'review');
    });
  }

  /**
   * A supervisor other than its author decides a pending override. Approval puts the requested approval in force
   * (the officer's reason codes and override stay, the supervisor's note is added); rejection lets the policy
   * outcome stand with the reason codes the supervisor gives: a decline, or a referral again (which a supervisor
   * other than the rejecting one then reviews, as any referral).
   */
  decideOverride(actor: Actor, decisionId: string, input: OverrideVerdict): DecisionView {
    if (actor.role !== 'supervisor') {
      throw new NexisError('FORBIDDEN', 'Only a supervisor approves or rejects an override.');
    }
    return this.#store.transaction(() => {
      const previous = this.#current(decisionId);
      if (previous.fourEyes !== 'pending') {
        throw new NexisError('CONFLICT', 'Only an override waiting for approval can be approved or rejected.');
      }
      if (previous.officerId === actor.id) {
        throw new NexisError(
          'FORBIDDEN',
          'An override must be approved or rejected by another supervisor than the one who made it.',
        );
      }
      const score = this.#score(previous.scoreId);
      this.#applicants.requireActive(score.applicantId);
      const asked = storedReasonOf(previous);
      const note = checkReviewNote(input.note, this.#nameTokens(score.applicantId));
      const approving = input.verdict === 'approve';
      const decision = approving ? previous.decision : score.outcome;
      const reasonCodes = approving ? (JSON.parse(previous.reasonCodes) as string[]) : [...input.reasonCodes];
      if (!approving) {
        checkReasonCodes(
          { decision, reasonCodes },
          viewOf(score).reasons.map((r) => r.feature),
        );
      }
      const stored: StoredReason = approving
        ? { reason: asked?.reason ?? null, note, overrideNote: asked?.note ?? null }
        : { reason: null, note };
      return this.#write(
        {
          ...this.#newRow(actor, score),
          decision,
          reasonCodes: JSON.stringify(reasonCodes),
          overrideReason: JSON.stringify(stored),
          supersedes: previous.id,
          fourEyes: approving ? 'approved' : 'rejected',
        },
        approving ? 'decision.override_approved' : 'decision.override_rejected',
        { override: asked?.reason ?? null, requestedBy: previous.officerId },
      );
    });
  }

  /**
   * Whether the applicant has a case still open on this workstation: a referral waiting for review or an override
   * waiting for approval (either not superseded). Retention keeps such an applicant. Reads the rows directly, so it
   * answers for an applicant in any state.
   */
  hasOpenCase(applicantId: string): boolean {
    const open = this.#store.read(() =>
      this.#store.db
        .select({ id: decisions.id })
        .from(decisions)
        .where(
          and(
            eq(decisions.applicantId, applicantId),
            or(eq(decisions.decision, 'refer'), eq(decisions.fourEyes, 'pending')),
            sql`${decisions.id} NOT IN ${this.#superseding()}`,
          ),
        )
        .limit(1)
        .get(),
    );
    return open !== undefined;
  }

  get(decisionId: string): DecisionView {
    return this.#view(this.#row(decisionId));
  }

  /** Newest first. */
  list(applicantId: string): DecisionView[] {
    this.#applicants.get(applicantId);
    const rows = this.#store.read(() =>
      this.#store.db
        .select()
        .from(decisions)
        .where(eq(decisions.applicantId, applicantId))
        .orderBy(desc(decisions.createdAt), desc(sql`rowid`))
        .all(),
    );
    return rows.map((row) => this.#view(row));
  }

  /** The applicant's decision in force (not superseded), newest first; null when none. */
  current(applicantId: string): DecisionView | null {
    return this.list(applicantId).find((d) => d.supersededBy === null) ?? null;
  }

  pendingReviews(): PendingReferralView[] {
    return this.#pending(eq(decisions.decision, 'refer'));
  }

  /** Overrides waiting for a second supervisor, oldest first, with what a supervisor needs to judge them. */
  pendingOverrides(): PendingReferralView[] {
    return this.#pending(eq(decisions.fourEyes, 'pending'));
  }

  /** The ids that some decision supersedes. */
  #superseding() {
    // NOT IN over a list holding NULL matches nothing, so initial decisions (supersedes NULL) are left out.
    return this.#store.db.select({ id: decisions.supersedes }).from(decisions).where(isNotNull(decisions.supersedes));
  }

  #pending(which: SQL): PendingReferralView[] {
    const rows = this.#store.read(() =>
      this.#store.db
        .select()
        .from(decisions)
        .where(and(which, sql`${decisions.id} NOT IN ${this.#superseding()}`))
        .orderBy(decisions.createdAt, sql`rowid`)
        .all(),
    );
    return rows.map((row) => {
      const sealed = this.#store.read(() => this.#sealedScore(row.scoreId));
      if (this.#applicants.dataKey(row.applicantId) === null) {
        // Erased while the case was open: what is left is the pseudonymous outcome, enough to close it.
        return {
          ...this.#view(row),
          score: sealed.score,
          band: sealed.band,
          probabilityOfDefault: sealed.probabilityOfDefault,
          reasons: [],
          requestedAmount: null,
          termMonths: null,
        };
      }
      const score = this.#open(sealed);
      const view = viewOf(score);
      const inputs = JSON.parse(score.inputs) as Record<string, unknown>;
      const numberOf = (key: string): number | null => {
        const value = inputs[key];
        return typeof value === 'number' ? value : null;
      };
      return {
        ...this.#view(row),
        score: view.score,
        band: view.band,
        probabilityOfDefault: view.probabilityOfDefault,
        reasons: view.reasons,
        requestedAmount: numberOf('requestedAmount'),
        termMonths: numberOf('termMonths'),
      };
    });
  }

  #insert(
    actor: Actor,
    score: typeof scores.$inferSelect,
    input: DecisionInput,
    previous: DecisionRow | null,
    kind: Kind,
  ): DecisionView {
    const applicant = this.#applicants.requireActive(score.applicantId);
    const view = viewOf(score);
    checkReasonCodes(
      input,
      view.reasons.map((r) => r.feature),
    );
    const required = overrideRequired(input.decision, score.outcome, kind === 'review' && score.outcome === 'refer');
    const nameTokens =
      input.override?.note === undefined && input.note === undefined ? [] : this.#nameTokens(applicant.id);
    checkOverride(input, required, nameTokens);
    // Only an override raises the outcome: a supervisor deciding a referral the policy itself made is the second
    // pair of eyes the policy asked for, so it takes effect at once.
    const pending = required && raisesToApproval(input.decision, score.outcome) && this.#fourEyes(score.policyVersion);
    const written = kind === 'review' ? checkReviewNote(input.note, nameTokens) : input.override?.note?.trim();
    const note = written === '' || written === undefined ? null : written;
    const stored: StoredReason | null =
      input.override === undefined && note === null ? null : { reason: input.override?.reason ?? null, note };
    return this.#write(
      {
        ...this.#newRow(actor, score),
        decision: input.decision,
        reasonCodes: JSON.stringify(input.reasonCodes),
        overrideReason: stored === null ? null : JSON.stringify(stored),
        supersedes: previous?.id ?? null,
        fourEyes: pending ? 'pending' : null,
      },
      kind === 'initial' ? 'decision.recorded' : kind === 'review' ? 'decision.reviewed' : 'decision.corrected',
      { override: input.override?.reason ?? null },
    );
  }

  #newRow(actor: Actor, score: typeof scores.$inferSelect) {
    return {
      id: `DC-${randomBytes(8).toString('hex').toUpperCase()}`,
      scoreId: score.id,
      applicantId: score.applicantId,
      createdAt: this.#clock.now().toISOString(),
      officerId: actor.id,
      policyOutcome: score.outcome,
    };
  }

  /**
   * Inserts the row with its audit entry. The entry carries pseudonymous ids and codes only: written notes stay on
   * the row (and travel to the central API with it only under the applicant's central-sync purpose).
   */
  #write(row: DecisionRow, action: string, extra: Readonly<Record<string, string | null>>): DecisionView {
    this.#store.db.insert(decisions).values(row).run();
    this.#store.audit.append({
      actor: row.officerId,
      action,
      subject: row.applicantId,
      payload: {
        decisionId: row.id,
        scoreId: row.scoreId,
        decision: row.decision,
        policyOutcome: row.policyOutcome,
        reasonCodes: JSON.parse(row.reasonCodes) as string[],
        supersedes: row.supersedes,
        fourEyes: row.fourEyes,
        ...extra,
      },
    });
    return this.#view(row);
  }

  #nameTokens(applicantId: string): string[] {
    return nameTokensOf(this.#applicants.personal(applicantId, ['fullName'])?.fullName);
  }

  /** The score with its inputs and explanation opened (score-seal.ts); CONFLICT once the applicant was erased. */
  #score(scoreId: string): typeof scores.$inferSelect {
    return this.#open(this.#sealedScore(scoreId));
  }

  #sealedScore(scoreId: string): typeof scores.$inferSelect {
    const score = this.#store.db.select().from(scores).where(eq(scores.id, scoreId)).get();
    if (score === undefined) {
      throw new NexisError('NOT_FOUND', 'No score with this id on this workstation.');
    }
    return score;
  }

  #open(score: typeof scores.$inferSelect): typeof scores.$inferSelect {
    return openScoreRow(score, (applicantId) => this.#applicants.dataKey(applicantId));
  }

  #row(decisionId: string): DecisionRow {
    const row = this.#store.read(() =>
      this.#store.db.select().from(decisions).where(eq(decisions.id, decisionId)).get(),
    );
    if (row === undefined) {
      throw new NexisError('NOT_FOUND', 'No decision with this id on this workstation.');
    }
    return row;
  }

  /** A decision that nothing supersedes yet. */
  #current(decisionId: string): DecisionRow {
    const row = this.#row(decisionId);
    const next = this.#store.db
      .select({ id: decisions.id })
      .from(decisions)
      .where(eq(decisions.supersedes, decisionId))
      .get();
    if (next !== undefined) {
      throw new NexisError('CONFLICT', `This decision was already superseded by ${next.id}.`);
    }
    return row;
  }

  #view(row: DecisionRow): DecisionView {
    const next = this.#store.read(() =>
      this.#store.db.select({ id: decisions.id }).from(decisions).where(eq(decisions.supersedes, row.id)).get(),
    );
    const previous =
      row.supersedes === null
        ? undefined
        : this.#store.read(() =>
            this.#store.db
              .select({ decision: decisions.decision })
              .from(decisions)
              .where(eq(decisions.id, row.supersedes ?? ''))
              .get(),
          );
    const stored = storedReasonOf(row);
    const kind: DecisionView['kind'] =
      row.fourEyes === 'approved'
        ? 'override-approval'
        : row.fourEyes === 'rejected'
          ? 'override-rejection'
          : previous === undefined
            ? 'initial'
            : previous.decision === 'refer'
              ? 'review'
              : 'correction';
    return {
      decisionId: row.id,
      scoreId: row.scoreId,
      applicantId: row.applicantId,
      createdAt: row.createdAt,
      officerId: row.officerId,
      decision: row.decision,
      policyOutcome: row.policyOutcome,
      reasonCodes: JSON.parse(row.reasonCodes) as string[],
      override: stored?.reason
        ? { reason: stored.reason, note: stored.overrideNote === undefined ? stored.note : stored.overrideNote }
        : null,
      note: stored?.note ?? null,
      supersedes: row.supersedes,
      supersededBy: next?.id ?? null,
      kind,
      fourEyes: row.fourEyes,
      awaitingApproval: row.fourEyes === 'pending' && next === undefined,
    };
  }
}
