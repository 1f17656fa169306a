/**
 * Replay of a decision: the stored input vector is scored again by the model of the stored hash and every number
 * of the stored explanation must come out identical (the AI Act's traceability, an auditor's check). A four-eyes
 * override carries both written reasons: the officer's override and the second supervisor's verdict.
 */
import { eq } from 'drizzle-orm';
import type { ReplayReport } from '../../../shared/ipc/scoring';
import { decisions, scores } from '../db/schema';
import { NexisError } from '../errors';
import type { Store } from '../store';
import { fourEyesRecordOf } from '../decisions/four-eyes';
import { MODEL_UNAVAILABLE, type ModelService } from './model-service';
import { explanationOf, viewOf } from './scoring-service';
import { openScoreRow } from './score-seal';
import { outcomeOf } from '../../../models/scoring/scaling';

function compare(differences: string[], what: string, stored: unknown, replayed: unknown): void {
  if (stored !== replayed) {
    differences.push(`${what}: stored ${String(stored)}, replayed ${String(replayed)}`);
  }
}

export async function replayDecision(
  store: Store,
  model: ModelService,
  actorId: string,
  decisionId: string,
  /** The applicant's data key (ApplicantService.dataKey): the inputs are sealed under it, and gone once erased. */
  dataKeyOf: (applicantId: string) => Buffer | null,
): Promise<ReplayReport> {
  const decision = store.read(() => store.db.select().from(decisions).where(eq(decisions.id, decisionId)).get());
  if (decision === undefined) {
    throw new NexisError('NOT_FOUND', 'No decision with this id on this workstation.');
  }
  const sealed = store.read(() => store.db.select().from(scores).where(eq(scores.id, decision.scoreId)).get());
  if (sealed === undefined) {
    throw new NexisError('NOT_FOUND', 'The score of this decision is missing.');
  }
  // After an erasure the inputs are unreadable by design: the decision can no longer be replayed (CONFLICT).
  const row = openScoreRow(sealed, dataKeyOf);
  const status = model.status();
  if (status.state !== 'verified' || status.modelHash !== row.modelHash) {
    throw new NexisError(
      MODEL_UNAVAILABLE,
      `The decision was scored with model ${row.modelHash} (${row.modelVersion}); ` +
        `${status.modelHash === null ? 'no model is loaded' : `the loaded model is ${status.modelHash}`}. ` +
        'Load the package of that hash to replay it.',
    );
  }
  const active = model.active();
  const policy = model.policyFor(row.policyVersion);
  if (policy === undefined) {
    throw new NexisError(
      MODEL_UNAVAILABLE,
      `The decision used policy ${row.policyVersion}, which is not installed on this workstation.`,
    );
  }
  const stored = viewOf(row);
  const inputs = JSON.parse(row.inputs) as Record<string, number | string | null>;
  const reference = await active.scorer.score(inputs);
  // The reference path applies the package's default cut-offs; the decision may have been made under a central
  // policy release (in force now or earlier): its recorded version decides.
  const replayed = explanationOf({ ...reference, outcome: outcomeOf(reference.score, policy) });
  const differences: string[] = [];
  compare(differences, 'score', stored.score, replayed.score);
  compare(differences, 'band', stored.band, replayed.band);
  compare(differences, 'outcome', stored.outcome, replayed.outcome);
  compare(differences, 'probabilityOfDefault', stored.probabilityOfDefault, replayed.probabilityOfDefault);
  compare(differences, 'logit', stored.logit, replayed.logit);
  compare(differences, 'contributions', stored.contributions.length, replayed.contributions.length);
  stored.contributions.forEach((c, t) =>
    compare(differences, `contribution ${c.term}`, c.logit, replayed.contributions[t]?.logit),
  );
  compare(
    differences,
    'principal reasons',
    stored.reasons.map((r) => r.feature).join(' '),
    replayed.reasons.map((r) => r.feature).join(' '),
  );
  const report: ReplayReport = {
    decisionId,
    scoreId: row.id,
    modelHash: row.modelHash,
    policyVersion: row.policyVersion,
    reproduced: differences.length === 0,
    stored: {
      score: stored.score,
      band: stored.band,
      outcome: stored.outcome,
      probabilityOfDefault: stored.probabilityOfDefault,
    },
    replayed: {
      score: replayed.score,
      band: replayed.band,
      outcome: replayed.outcome,
      probabilityOfDefault: replayed.probabilityOfDefault,
    },
    differences,
    fourEyes: fourEyesRecordOf(store, decision),
  };
  store.transaction(() =>
    store.audit.append({
      actor: actorId,
      action: 'decision.replayed',
      subject: decision.applicantId,
      payload: {
        decisionId,
        scoreId: row.id,
        modelHash: row.modelHash,
        reproduced: report.reproduced,
        fourEyes: report.fourEyes?.verdict ?? null,
      },
    }),
  );
  return report;
}
