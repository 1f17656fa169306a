/**
 * The training set the centre can give the trainer (docs/model.md, "Retraining from central data"): one row per
 * approved loan in force whose performance window is over, with the behavioural values that were scored and the 0/1
 * default label over that window (windowLabel), for applicants whose `central-sync` consent covers it now. The columns are the feature specification's keys
 * and its label column only, so no personal field, protected attribute, id or free text can reach the file; each
 * value is validated against the specification as the workstation validated it.
 *
 * Who is in it: the applicant's latest consent receipt at the centre grants `central-sync`; no erasure or
 * central-sync withdrawal is on the feed or in any branch's chain since; their sealed behavioural record is still
 * readable (an erasure or withdrawal destroys its key). The record joined is the one the score names (`behaviourRecordId`), or for scores
 * pushed before it was sent, the latest record captured at or before the score.
 */
import { createHash, randomInt } from 'node:crypto';
import Papa from 'papaparse';
import { inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { validateFeatureValues, type FeatureSpec, type FeatureValues } from '../../shared/features';
import type { ServerDb } from '../db/database';
import { auditEntries } from '../db/schema';
import { rowsOf } from '../db/rows';
import { loadMonitoringFacts } from '../monitoring/load';
import { addMonths, type OutcomeFact } from '../monitoring/compute';
import { BAD_STATUSES } from '../../shared/sync/monitoring';
import type { ServerSecrets } from '../security/secrets';
import { openSealedAttachment } from '../sync/attachment-vault';
import { applicantsAlreadyWithdrawn } from '../sync/erasure';

export interface TrainingExport {
  /** RFC 4180 CSV: the specification's feature keys, then its label column. */
  readonly csv: string;
  readonly sha256: string;
  readonly rows: number;
  readonly bad: number;
  /** Matured approved loans left out, and why (counts only). */
  readonly excluded: {
    readonly noCentralSyncConsent: number;
    readonly noBehaviouralRecord: number;
    readonly otherSpecification: number;
    readonly invalidValues: number;
  };
  /** Approved loans in force not matured yet (no outcome, immature or indeterminate): not training rows. */
  readonly notMatured: number;
}

const ScoredSchema = z.looseObject({ scoreId: z.string().min(1).max(64) });
const ScoreAttachmentSchema = z.looseObject({ behaviourRecordId: z.string().min(1).max(64).optional() });
const RecordSchema = z.looseObject({
  recordId: z.string().min(1).max(64),
  specId: z.string(),
  specVersion: z.string(),
  values: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
});
const ReceiptSchema = z.looseObject({
  receipt: z.looseObject({
    services: z.array(
      z.looseObject({ purposes: z.array(z.looseObject({ purpose: z.string(), granted: z.boolean() })) }),
    ),
  }),
});

function json(value: unknown): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}

interface ScoredLoan {
  readonly applicantId: string;
  readonly scoredAt: string;
  readonly behaviourRecordId: string | null;
  readonly label: 0 | 1;
}

/**
 * A loan's label over its performance window: only once the whole window has passed (so a recent cohort does not
 * contribute its early defaults without its goods), bad if it was 90 days late or written off at an as-of date inside
 * the window, good if it was repaid or current at the end of it. Null: not labelled (window not over, no outcome
 * covering it, or 30/60 days late at its end: indeterminate).
 */
export function windowLabel(
  day: string,
  history: readonly OutcomeFact[] | undefined,
  months: number,
  today: string,
): 0 | 1 | null {
  const end = addMonths(day, months);
  if (end > today || history === undefined || history.length === 0) {
    return null;
  }
  if (history.some((o) => BAD_STATUSES.includes(o.status) && o.asOf <= end)) {
    return 1;
  }
  if (history.some((o) => o.status === 'repaid' && o.asOf <= end)) {
    return 0;
  }
  // Otherwise good only if seen current (or repaid) at the end of the window or after it; anything else says too
  // little (30/60 days late there, or 90 days late only after the window).
  const after = history.find((o) => o.asOf >= end);
  return after !== undefined && (after.status === 'current' || after.status === 'repaid') ? 0 : null;
}

/** Approved loans in force labelled over their window, with the applicant and record behind each score. */
async function labelledLoans(
  db: ServerDb,
  performanceMonths: number,
  today: string,
): Promise<{ loans: ScoredLoan[]; notMatured: number }> {
  const facts = await loadMonitoringFacts(db);
  const scored = new Map<string, { applicantId: string; ts: string; behaviourRecordId: string | null }>();
  const rows = rowsOf<{ subject: string | null; ts: string; payload: string; attachment: unknown }>(
    await db.execute(sql`
      SELECT subject, ts, payload, attachment FROM audit_entries WHERE action = 'applicant.scored'`),
  );
  for (const row of rows) {
    const payload = ScoredSchema.safeParse(json(row.payload));
    if (row.subject === null || !payload.success) {
      continue;
    }
    const attachment = ScoreAttachmentSchema.safeParse(json(row.attachment));
    scored.set(payload.data.scoreId, {
      applicantId: row.subject,
      ts: row.ts,
      behaviourRecordId: attachment.success ? (attachment.data.behaviourRecordId ?? null) : null,
    });
  }
  const loans: ScoredLoan[] = [];
  let notMatured = 0;
  for (const decision of facts.decisions) {
    const score = scored.get(decision.scoreId);
    if (decision.decision !== 'approve' || score === undefined) {
      continue;
    }
    const label = windowLabel(decision.day, facts.outcomes.get(decision.decisionId), performanceMonths, today);
    if (label === null) {
      notMatured += 1;
      continue;
    }
    loans.push({
      applicantId: score.applicantId,
      scoredAt: score.ts,
      behaviourRecordId: score.behaviourRecordId,
      label,
    });
  }
  return { loans, notMatured };
}

/** Runs `query` over `ids` in slices: one bind parameter per id, and PostgreSQL takes at most 65,535 of them. */
async function inSlices<T>(ids: readonly string[], query: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let at = 0; at < ids.length; at += 5_000) {
    out.push(...(await query(ids.slice(at, at + 5_000))));
  }
  return out;
}

/**
 * Of these applicants, those whose central-sync consent covers the export now: their latest consent receipt at the
 * centre grants it, and no branch has pushed a central-sync withdrawal or an erasure since (a withdrawal raised at a
 * branch that did not register the applicant waits for a privacy officer before it reaches the feed, so the chain
 * is read here too, not only the feed).
 */
async function grantingCentralSync(db: ServerDb, applicantIds: readonly string[]): Promise<Set<string>> {
  const latest = new Map<string, { ts: string; granted: boolean }>();
  const withdrawn = new Map<string, string>();
  const rows = await inSlices(applicantIds, (slice) =>
    db
      .select({
        subject: auditEntries.subject,
        ts: auditEntries.ts,
        action: auditEntries.action,
        payload: auditEntries.payload,
        kind: auditEntries.attachmentKind,
        attachment: auditEntries.attachment,
      })
      .from(auditEntries)
      .where(
        sql`(${auditEntries.attachmentKind} = 'consent.receipt' OR ${auditEntries.action} IN ('consent.withdrawn', 'applicant.erased')) AND ${inArray(auditEntries.subject, slice)}`,
      ),
  );
  for (const row of rows) {
    if (row.subject === null) {
      continue;
    }
    if (row.action === 'applicant.erased' || row.action === 'consent.withdrawn') {
      const purpose = (json(row.payload) as { purpose?: unknown } | null)?.purpose;
      if (row.action === 'applicant.erased' || purpose === 'central-sync') {
        const was = withdrawn.get(row.subject);
        withdrawn.set(row.subject, was === undefined || row.ts > was ? row.ts : was);
      }
    }
    if (row.kind === 'consent.receipt') {
      const receipt = ReceiptSchema.safeParse(json(row.attachment));
      const was = latest.get(row.subject);
      if (receipt.success && (was === undefined || row.ts >= was.ts)) {
        const purposes = receipt.data.receipt.services.flatMap((s) => s.purposes);
        latest.set(row.subject, {
          ts: row.ts,
          granted: purposes.some((p) => p.purpose === 'central-sync' && p.granted),
        });
      }
    }
  }
  return new Set(
    [...latest.entries()]
      .filter(([id, receipt]) => {
        const since = withdrawn.get(id);
        return receipt.granted && (since === undefined || since < receipt.ts);
      })
      .map(([id]) => id),
  );
}

interface OpenedRecord {
  readonly ts: string;
  readonly record: z.infer<typeof RecordSchema>;
}

/** The applicants' behavioural records the centre can still open (sealed under their keys), oldest first. */
async function behaviouralRecords(
  db: ServerDb,
  secrets: ServerSecrets,
  applicantIds: readonly string[],
): Promise<Map<string, OpenedRecord[]>> {
  const out = new Map<string, OpenedRecord[]>();
  if (applicantIds.length === 0) {
    return out;
  }
  const rows = await inSlices(applicantIds, (slice) =>
    db
      .select({
        deviceId: auditEntries.deviceId,
        seq: auditEntries.seq,
        subject: auditEntries.subject,
        ts: auditEntries.ts,
        kind: auditEntries.attachmentKind,
        sealed: auditEntries.attachmentSealed,
      })
      .from(auditEntries)
      .where(
        sql`${auditEntries.attachmentKind} = 'behaviour.summary' AND ${auditEntries.attachmentSealed} IS NOT NULL AND ${inArray(auditEntries.subject, slice)}`,
      )
      .orderBy(auditEntries.ts, auditEntries.deviceId, auditEntries.seq),
  );
  // Slices are each in order; the applicant's records, all in one slice, stay in order.
  for (const row of rows) {
    if (row.subject === null || row.sealed === null || row.kind === null) {
      continue;
    }
    const opened = await openSealedAttachment(db, secrets, {
      applicantId: row.subject,
      deviceId: row.deviceId,
      seq: row.seq,
      kind: row.kind,
      sealed: row.sealed,
    });
    const record = RecordSchema.safeParse(opened);
    if (record.success) {
      const list = out.get(row.subject) ?? [];
      list.push({ ts: row.ts, record: record.data });
      out.set(row.subject, list);
    }
  }
  return out;
}

export async function exportTrainingSet(
  db: ServerDb,
  secrets: ServerSecrets,
  options: { readonly spec: FeatureSpec; readonly performanceMonths: number; readonly now?: Date },
): Promise<TrainingExport> {
  const { spec } = options;
  const today = (options.now ?? new Date()).toISOString().slice(0, 10);
  const { loans, notMatured } = await labelledLoans(db, options.performanceMonths, today);
  const applicants = [...new Set(loans.map((l) => l.applicantId))];
  const withdrawn = new Set(await inSlices(applicants, (slice) => applicantsAlreadyWithdrawn(db, slice)));
  const granting = await grantingCentralSync(db, applicants);
  const covered = applicants.filter((a) => granting.has(a) && !withdrawn.has(a));
  const records = await behaviouralRecords(db, secrets, covered);
  const excluded = { noCentralSyncConsent: 0, noBehaviouralRecord: 0, otherSpecification: 0, invalidValues: 0 };
  const data: (number | string | null)[][] = [];
  let bad = 0;
  for (const loan of loans) {
    if (!granting.has(loan.applicantId) || withdrawn.has(loan.applicantId)) {
      excluded.noCentralSyncConsent += 1;
      continue;
    }
    const list = records.get(loan.applicantId) ?? [];
    const chosen =
      loan.behaviourRecordId === null
        ? list.filter((r) => r.ts <= loan.scoredAt).at(-1)
        : list.find((r) => r.record.recordId === loan.behaviourRecordId);
    if (chosen === undefined) {
      excluded.noBehaviouralRecord += 1;
      continue;
    }
    if (chosen.record.specId !== spec.id || chosen.record.specVersion !== spec.version) {
      excluded.otherSpecification += 1;
      continue;
    }
    const values: FeatureValues = Object.fromEntries(
      spec.features.map((f) => [f.key, chosen.record.values[f.key] ?? null]),
    );
    if (validateFeatureValues(spec, values).length > 0) {
      excluded.invalidValues += 1;
      continue;
    }
    data.push([...spec.features.map((f) => values[f.key] ?? null), loan.label]);
    bad += loan.label;
  }
  // Rows in random order: decision order would let a reader of the chain put an applicant to each row.
  for (let i = data.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [data[i], data[j]] = [data[j] as (number | string | null)[], data[i] as (number | string | null)[]];
  }
  const csv = `${Papa.unparse(
    { fields: [...spec.features.map((f) => f.key), spec.label.column], data },
    { quotes: false, escapeFormulae: true, newline: '\n' },
  )}\n`;
  return {
    csv,
    sha256: createHash('sha256').update(csv).digest('hex'),
    rows: data.length,
    bad,
    excluded,
    notMatured,
  };
}
