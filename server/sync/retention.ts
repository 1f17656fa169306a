/**
 * The retention rule at the centre: the same rule the workstation runs (electron/core/lifecycle/retention.ts), applied
 * to the personal data the centre holds, so a branch that never syncs again (a lost laptop, a closed branch) cannot
 * keep the central copy alive past the term. An applicant's personal attachments go once the term on their latest
 * consent receipt has run out, counted from the last decision pushed by any branch, or from registration when there
 * is none; a legal hold whose latest event is "set", or a latest decision that is a referral (or an override waiting
 * for a second supervisor), keeps them. The pseudonymous audit entries stay: every device chain still verifies.
 *
 * What it reads is what branches pushed: the terms, decisions and holds in the device chains (hash-verified on
 * ingest). Residual risk (docs/data-lifecycle.md): a hold or decision made at a branch that has not synced yet is
 * unknown here, so the centre may shred its copy while the branch keeps its own; the branch's copy is unaffected,
 * because the centre publishes nothing on the feed for a central expiry.
 */
import { sql } from 'drizzle-orm';
import { addMonthsUtc } from '../../shared/rules/months';
import type { AuditSigner } from '../audit/server-audit';
import { appendServerAudit } from '../audit/server-audit';
import type { ServerDb } from '../db/database';
import { rowsOf } from '../db/rows';
import { removePersonalData } from './erasure';

const DECISION_ACTIONS = [
  'decision.recorded',
  'decision.corrected',
  'decision.reviewed',
  'decision.override_approved',
  'decision.override_rejected',
];
/** One run at a time across instances: a second instance's run returns at once. */
const RETENTION_LOCK = 0x4e455852; // "NEXR"

interface CandidateRow {
  readonly applicant_id: string;
  readonly registered: string | null;
  readonly last_decision: string | null;
  readonly months: number | null;
  readonly hold_event: string | null;
  readonly latest_decision: string | null;
  readonly latest_pending: boolean | null;
}

export type CentralKeptBecause = 'legal-hold' | 'open-case' | 'term-unknown';

export interface CentralRetentionRun {
  readonly checked: number;
  readonly erased: readonly string[];
  readonly kept: readonly { readonly applicantId: string; readonly because: CentralKeptBecause }[];
  /** False when another instance held the lock: nothing was looked at. */
  readonly ran: boolean;
}

/** Applicants whose personal data the centre still holds (a data key exists), with what the rule needs of each. */
async function candidates(db: ServerDb): Promise<CandidateRow[]> {
  const decisions = sql.join(
    DECISION_ACTIONS.map((a) => sql`${a}`),
    sql`, `,
  );
  const result = await db.execute(sql`
    SELECT k.applicant_id,
      (SELECT min(e.ts) FROM audit_entries e WHERE e.subject = k.applicant_id AND e.action = 'applicant.registered')
        AS registered,
      (SELECT max(e.ts) FROM audit_entries e WHERE e.subject = k.applicant_id AND e.action IN (${decisions}))
        AS last_decision,
      (SELECT (e.payload::jsonb ->> 'retentionMonths')::int FROM audit_entries e
        WHERE e.subject = k.applicant_id AND e.action = 'consent.captured'
        ORDER BY e.ts DESC, e.seq DESC LIMIT 1) AS months,
      (SELECT e.action FROM audit_entries e
        WHERE e.subject = k.applicant_id AND e.action IN ('applicant.legal_hold_set', 'applicant.legal_hold_released')
        ORDER BY e.ts DESC, e.seq DESC LIMIT 1) AS hold_event,
      (SELECT e.payload::jsonb ->> 'decision' FROM audit_entries e
        WHERE e.subject = k.applicant_id AND e.action IN (${decisions})
        ORDER BY e.ts DESC, e.seq DESC LIMIT 1) AS latest_decision,
      (SELECT coalesce(e.payload::jsonb ->> 'fourEyes' = 'pending', false) FROM audit_entries e
        WHERE e.subject = k.applicant_id AND e.action IN (${decisions})
        ORDER BY e.ts DESC, e.seq DESC LIMIT 1) AS latest_pending
    FROM applicant_keys k
    ORDER BY k.applicant_id`);
  return rowsOf<CandidateRow>(result);
}

export async function runCentralRetention(db: ServerDb, signer: AuditSigner, now: Date): Promise<CentralRetentionRun> {
  return db.transaction(async (tx) => {
    const locked = rowsOf<{ locked: boolean }>(
      await tx.execute(sql`SELECT pg_try_advisory_xact_lock(${RETENTION_LOCK}) AS locked`),
    );
    if (locked[0]?.locked !== true) {
      return { checked: 0, erased: [], kept: [], ran: false };
    }
    const rows = await candidates(tx);
    const erased: string[] = [];
    const kept: { applicantId: string; because: CentralKeptBecause }[] = [];
    for (const row of rows) {
      const anchor = row.last_decision ?? row.registered;
      if (row.months === null || anchor === null) {
        kept.push({ applicantId: row.applicant_id, because: 'term-unknown' });
        continue;
      }
      if (addMonthsUtc(anchor, row.months).getTime() > now.getTime()) {
        continue;
      }
      if (row.hold_event === 'applicant.legal_hold_set') {
        kept.push({ applicantId: row.applicant_id, because: 'legal-hold' });
      } else if (row.latest_decision === 'refer' || row.latest_pending === true) {
        kept.push({ applicantId: row.applicant_id, because: 'open-case' });
      } else {
        erased.push(row.applicant_id);
      }
    }
    await removePersonalData(tx, erased);
    for (const applicantId of erased) {
      await appendServerAudit(
        tx,
        signer,
        { actor: 'system', action: 'applicant.retention_expired', subject: applicantId, payload: {} },
        now,
      );
    }
    return { checked: rows.length, erased, kept, ran: true };
  });
}

export const RETENTION_INTERVAL_MS = 24 * 60 * 60 * 1000;

/**
 * Runs the rule when the instance starts and once a day. Every instance schedules it; the advisory lock lets one run
 * at a time, and a run that finds nothing due changes nothing. A failed run is reported and retried the next day.
 */
export function scheduleCentralRetention(options: {
  readonly db: ServerDb;
  readonly signer: AuditSigner;
  readonly now: () => Date;
  readonly report: (run: CentralRetentionRun | Error) => void;
  readonly intervalMs?: number;
}): { stop(): void } {
  const tick = (): void => {
    runCentralRetention(options.db, options.signer, options.now()).then(options.report, (error: unknown) =>
      options.report(error instanceof Error ? error : new Error('retention run failed')),
    );
  };
  const first = setTimeout(tick, 0);
  const timer = setInterval(tick, options.intervalMs ?? RETENTION_INTERVAL_MS);
  first.unref();
  timer.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
