/**
 * Where each applicant stands in the officer's day, for the queue: the stage reached, the latest score and the
 * decision in force. Read straight from the pseudonymous tables (no personal data is decrypted), a handful of indexed
 * lookups per listed applicant.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { ApplicantStage } from '../../../shared/ipc/applicants';
import { behaviouralRecords, decisions, scores } from '../db/schema';
import type { NexisDb } from '../db/open';

export interface ApplicantProgress {
  readonly stage: ApplicantStage;
  readonly score: number | null;
  readonly band: string | null;
  /** The decision in force, if any. */
  readonly decision: 'approve' | 'decline' | 'refer' | null;
}

export function progressOf(
  db: NexisDb,
  applicantId: string,
  state: { readonly status: 'active' | 'erased'; readonly scoringConsent: boolean },
): ApplicantProgress {
  const latestScore = db
    .select({ score: scores.score, band: scores.band, recordId: scores.behaviourRecordId })
    .from(scores)
    .where(eq(scores.applicantId, applicantId))
    .orderBy(desc(scores.createdAt), desc(sql`rowid`))
    .limit(1)
    .get();
  const scored = { score: latestScore?.score ?? null, band: latestScore?.band ?? null, decision: null };
  if (state.status === 'erased') {
    return { stage: 'erased', ...scored };
  }
  // The decision in force is the one nothing supersedes (corrections and reviews are new rows).
  const current = db
    .select({ decision: decisions.decision })
    .from(decisions)
    .where(
      and(
        eq(decisions.applicantId, applicantId),
        sql`NOT EXISTS (SELECT 1 FROM ${decisions} AS later WHERE later.supersedes = ${decisions.id})`,
      ),
    )
    .orderBy(desc(decisions.createdAt), desc(sql`rowid`))
    .limit(1)
    .get();
  if (current !== undefined) {
    return {
      stage: current.decision === 'refer' ? 'awaiting-supervisor' : 'decided',
      ...scored,
      decision: current.decision,
    };
  }
  if (!state.scoringConsent) {
    return { stage: 'no-consent', ...scored };
  }
  const latestRecord = db
    .select({ id: behaviouralRecords.id })
    .from(behaviouralRecords)
    .where(eq(behaviouralRecords.applicantId, applicantId))
    .orderBy(desc(behaviouralRecords.capturedAt), desc(sql`rowid`))
    .limit(1)
    .get();
  if (latestRecord === undefined) {
    return { stage: 'capture', ...scored };
  }
  // Data captured after the last score has not been scored yet.
  if (latestScore === undefined || latestScore.recordId !== latestRecord.id) {
    return { stage: 'score', ...scored };
  }
  return { stage: 'decide', ...scored };
}
