/**
 * Four eyes on overrides: whether the policy a score was judged by asks for a second supervisor on a raise to
 * approve, and the record of a four-eyes pair (the officer's request and the supervisor's verdict) for replay.
 */
import { eq } from 'drizzle-orm';
import type { OverrideReason } from '../../../shared/domain/decisions';
import type { FourEyesRecord } from '../../../shared/ipc/scoring';
import { decisions } from '../db/schema';
import type { Store } from '../store';
import { metaSyncStateStore } from '../sync/meta-state';
import { policyByVersion } from '../sync/releases';

type DecisionRow = typeof decisions.$inferSelect;

/**
 * Tells, by the policy version a score recorded, whether raising its outcome needs four eyes. The policy whose
 * outcome is raised decides (not a release installed later), so the rule for a decision can be replayed. A version
 * that is no installed central release (the model package's own cut-offs) and a release signed before the option
 * existed both mean on: only a bank-signed `fourEyesOverrides: false` turns it off.
 */
export type FourEyesPolicy = (policyVersion: string) => boolean;

export function installedFourEyesPolicy(store: Store): FourEyesPolicy {
  const state = metaSyncStateStore(store);
  return (policyVersion) => policyByVersion(state, policyVersion)?.fourEyesOverrides !== false;
}

/**
 * The `override_reason` column holds the decision's written reason as JSON: the override reason when the decision
 * departs from the policy (else null) and the note (an override note, or a supervisor's reason for a review or a
 * four-eyes verdict). A supervisor's approval keeps the officer's override note apart, in `overrideNote`.
 */
export interface StoredReason {
  readonly reason: OverrideReason | null;
  readonly note: string | null;
  readonly overrideNote?: string | null;
}

export function storedReasonOf(row: DecisionRow): StoredReason | null {
  return row.overrideReason === null ? null : (JSON.parse(row.overrideReason) as StoredReason);
}

function verdictOf(row: DecisionRow | undefined): FourEyesRecord['verdict'] {
  if (row === undefined) {
    return 'pending';
  }
  return row.fourEyes === 'approved' || row.fourEyes === 'rejected' ? row.fourEyes : 'withdrawn';
}

/** The pair a four-eyes row belongs to, or null for a decision that is neither a pending override nor a verdict. */
export function fourEyesRecordOf(store: Store, row: DecisionRow): FourEyesRecord | null {
  const byId = (id: string): DecisionRow | undefined =>
    store.read(() => store.db.select().from(decisions).where(eq(decisions.id, id)).get());
  let request: DecisionRow | undefined;
  // The row that ended the request: a supervisor's verdict, or the author's own correction (withdrawn).
  let verdict: DecisionRow | undefined;
  if (row.fourEyes === 'pending') {
    request = row;
    verdict = store.read(() => store.db.select().from(decisions).where(eq(decisions.supersedes, row.id)).get());
  } else if (row.fourEyes === 'approved' || row.fourEyes === 'rejected') {
    verdict = row;
    request = row.supersedes === null ? undefined : byId(row.supersedes);
  }
  const asked = request === undefined ? null : storedReasonOf(request);
  if (request === undefined || asked?.reason === null || asked?.reason === undefined) {
    return null;
  }
  const decided = verdict === undefined ? null : storedReasonOf(verdict);
  return {
    requestDecisionId: request.id,
    requestedBy: request.officerId,
    requestedAt: request.createdAt,
    requested: request.decision,
    policyOutcome: request.policyOutcome,
    overrideReason: asked.reason,
    overrideNote: asked.note,
    verdict: verdictOf(verdict),
    verdictDecisionId: verdict?.id ?? null,
    decidedBy: verdict?.officerId ?? null,
    decidedAt: verdict?.createdAt ?? null,
    supervisorNote:
      verdict?.fourEyes === 'approved' || verdict?.fourEyes === 'rejected' ? (decided?.note ?? null) : null,
  };
}
