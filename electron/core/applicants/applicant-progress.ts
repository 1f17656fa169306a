/**
 * Where each applicant stands in the officer's day, for the queue: the stage reached, the latest score and the
 * decision in force. Read straight from the pseudonymous tables (no personal data is decrypted): one statement for a
 * whole page of applicants.
 */
import type { ApplicantStage } from '../../../shared/ipc/applicants';

export interface ApplicantProgress {
  readonly stage: ApplicantStage;
  readonly score: number | null;
  readonly band: string | null;
  /** The decision in force, if any. */
  readonly decision: 'approve' | 'decline' | 'refer' | null;
}

/** What the stage is decided from: a handful of pseudonymous facts about one applicant. */
export interface ProgressFacts {
  readonly status: 'active' | 'erased';
  readonly scoringConsent: boolean;
  readonly score: number | null;
  readonly band: string | null;
  /** The behavioural record the latest score was computed from. */
  readonly scoredRecordId: string | null;
  readonly latestRecordId: string | null;
  /** The decision nothing supersedes. */
  readonly decision: 'approve' | 'decline' | 'refer' | null;
  /** That decision is an override waiting for a second supervisor: not in force yet. */
  readonly pendingApproval: boolean;
}

/** The stage from the facts: the same rule `progressOf` applies one applicant at a time. */
export function stageOf(f: ProgressFacts): ApplicantProgress {
  const scored = { score: f.score, band: f.band, decision: null };
  if (f.status === 'erased') {
    return { stage: 'erased', ...scored };
  }
  if (f.decision !== null) {
    const waiting = f.decision === 'refer' || f.pendingApproval;
    return { stage: waiting ? 'awaiting-supervisor' : 'decided', ...scored, decision: f.decision };
  }
  if (!f.scoringConsent) {
    return { stage: 'no-consent', ...scored };
  }
  if (f.latestRecordId === null) {
    return { stage: 'capture', ...scored };
  }
  // Data captured after the last score has not been scored yet.
  return { stage: f.scoredRecordId !== f.latestRecordId ? 'score' : 'decide', ...scored };
}

/**
 * The facts for a page of applicants in one statement (the queue lists 50 at a time: one query, not six per row).
 * `ids` is a JSON array; rows come back keyed by id.
 */
export const PAGE_FACTS_SQL = `
  SELECT a.id AS id,
    (SELECT e.event FROM consent_events e WHERE e.applicant_id = a.id AND e.purpose = 'credit-scoring'
      ORDER BY e.seq DESC LIMIT 1) AS scoringEvent,
    (SELECT s.score FROM scores s WHERE s.applicant_id = a.id ORDER BY s.created_at DESC, s.rowid DESC LIMIT 1)
      AS score,
    (SELECT s.band FROM scores s WHERE s.applicant_id = a.id ORDER BY s.created_at DESC, s.rowid DESC LIMIT 1)
      AS band,
    (SELECT s.behaviour_record_id FROM scores s WHERE s.applicant_id = a.id
      ORDER BY s.created_at DESC, s.rowid DESC LIMIT 1) AS scoredRecordId,
    (SELECT b.id FROM behavioural_records b WHERE b.applicant_id = a.id
      ORDER BY b.captured_at DESC, b.rowid DESC LIMIT 1) AS latestRecordId,
    (SELECT d.decision FROM decisions d WHERE d.applicant_id = a.id
      AND NOT EXISTS (SELECT 1 FROM decisions later WHERE later.supersedes = d.id)
      ORDER BY d.created_at DESC, d.rowid DESC LIMIT 1) AS decision,
    (SELECT d.four_eyes = 'pending' FROM decisions d WHERE d.applicant_id = a.id
      AND NOT EXISTS (SELECT 1 FROM decisions later WHERE later.supersedes = d.id)
      ORDER BY d.created_at DESC, d.rowid DESC LIMIT 1) AS pendingApproval
  FROM applicants a WHERE a.id IN (SELECT value FROM json_each(?))`;

export interface PageFactsRow {
  readonly id: string;
  readonly scoringEvent: 'granted' | 'declined' | 'withdrawn' | null;
  readonly score: number | null;
  readonly band: string | null;
  readonly scoredRecordId: string | null;
  readonly latestRecordId: string | null;
  readonly decision: 'approve' | 'decline' | 'refer' | null;
  readonly pendingApproval: 0 | 1 | null;
}
