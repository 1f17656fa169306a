/**
 * Officers' credit decisions on a stored score. Decisions are immutable rows (database triggers refuse UPDATE and
 * DELETE): a correction, or a supervisor's review of a referral, is a new row that supersedes the current one.
 * Every write checks and inserts inside one transaction together with its audit entry.
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Role } from '../../../shared/domain/roles';
import type { OverrideReason } from '../../../shared/domain/decisions';
import type { DecisionView, PendingReferralView } from '../../../shared/ipc/scoring';
import type { ApplicantService } from '../applicants/applicant-service';
import type { Clock } from '../clock';
import { decisions, scores } from '../db/schema';
import { NexisError } from '../errors';
import type { Store } from '../store';
import { viewOf } from '../scoring/scoring-service';
import {
  checkOverride,
  checkReasonCodes,
  checkReviewNote,
  nameTokensOf,
  overrideRequired,
  type DecisionInput,
} from './decision-rules';

export type DecisionRow = typeof decisions.$inferSelect;

export interface Actor {
  readonly id: string;
  readonly role: Role;
}

type Kind = DecisionView['kind'];

/**
 * The `override_reason` column holds the decision's written reason as JSON: the override reason when the decision
 * departs from the policy (else null) and the note (an override note, or a supervisor's reason for a review).
 */
interface StoredReason {
  readonly reason: OverrideReason | null;
  readonly note: string | null;
}

export class DecisionService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #applicants: ApplicantService;

  constructor(store: Store, clock: Clock, applicants: ApplicantService) {
    this.#store = store;
    this.#clock = clock;
    this.#applicants = applicants;
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
    // NOT IN over a list holding NULL matches nothing, so initial decisions (supersedes NULL) are left out.
    const superseding = this.#store.db
      .select({ id: decisions.supersedes })
      .from(decisions)
      .where(isNotNull(decisions.supersedes));
    const rows = this.#store.read(() =>
      this.#store.db
        .select()
        .from(decisions)
        .where(and(eq(decisions.decision, 'refer'), sql`${decisions.id} NOT IN ${superseding}`))
        .orderBy(decisions.createdAt)
        .all(),
    );
    return rows.map((row) => {
      const score = this.#store.read(() => this.#score(row.scoreId));
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
      input.override?.note === undefined && input.note === undefined
        ? []
        : nameTokensOf(this.#applicants.personal(applicant.id, ['fullName'])?.fullName);
    checkOverride(input, required, nameTokens);
    const written = kind === 'review' ? checkReviewNote(input.note, nameTokens) : input.override?.note?.trim();
    const note = written === '' || written === undefined ? null : written;
    const stored: StoredReason | null =
      input.override === undefined && note === null ? null : { reason: input.override?.reason ?? null, note };
    const row: DecisionRow = {
      id: `DC-${randomBytes(8).toString('hex').toUpperCase()}`,
      scoreId: score.id,
      applicantId: score.applicantId,
      createdAt: this.#clock.now().toISOString(),
      officerId: actor.id,
      decision: input.decision,
      policyOutcome: score.outcome,
      reasonCodes: JSON.stringify(input.reasonCodes),
      overrideReason: stored === null ? null : JSON.stringify(stored),
      supersedes: previous?.id ?? null,
      fourEyes: null,
    };
    this.#store.db.insert(decisions).values(row).run();
    this.#store.audit.append({
      actor: actor.id,
      action: kind === 'initial' ? 'decision.recorded' : kind === 'review' ? 'decision.reviewed' : 'decision.corrected',
      subject: score.applicantId,
      payload: {
        decisionId: row.id,
        scoreId: score.id,
        decision: row.decision,
        policyOutcome: row.policyOutcome,
        reasonCodes: [...input.reasonCodes],
        override: input.override?.reason ?? null,
        supersedes: row.supersedes,
      },
    });
    return this.#view(row);
  }

  #score(scoreId: string): typeof scores.$inferSelect {
    const score = this.#store.db.select().from(scores).where(eq(scores.id, scoreId)).get();
    if (score === undefined) {
      throw new NexisError('NOT_FOUND', 'No score with this id on this workstation.');
    }
    return score;
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
    const stored = row.overrideReason === null ? null : (JSON.parse(row.overrideReason) as StoredReason);
    return {
      decisionId: row.id,
      scoreId: row.scoreId,
      applicantId: row.applicantId,
      createdAt: row.createdAt,
      officerId: row.officerId,
      decision: row.decision,
      policyOutcome: row.policyOutcome,
      reasonCodes: JSON.parse(row.reasonCodes) as string[],
      override: stored?.reason ? { reason: stored.reason, note: stored.note } : null,
      note: stored?.note ?? null,
      supersedes: row.supersedes,
      supersededBy: next?.id ?? null,
      kind: previous === undefined ? 'initial' : previous.decision === 'refer' ? 'review' : 'correction',
    };
  }
}
