/**
 * The training set the centre can give the trainer (docs/model.md, "Retraining from central data"): one row per
 * approved loan in force whose outcome matured, with the behavioural values that were scored and the 0/1 default
 * label, for applicants whose `central-sync` consent covers it now. The columns are the feature specification's keys
 * and its label column only, so no personal field, protected attribute, id or free text can reach the file; each
 * value is validated against the specification as the workstation validated it.
 *
 * Who is in it: the applicant's latest consent receipt at the centre grants `central-sync`; no erasure and no
 * central-sync withdrawal is on the feed; their sealed behavioural record is still readable (an erasure or
 * withdrawal destroys its key). The record joined is the one the score names (`behaviourRecordId`), or for scores
 * pushed before it was sent, the latest record captured at or before the score.
 */
import { createHash } from 'node:crypto';
import Papa from 'papaparse';
import { inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { validateFeatureValues, type FeatureSpec, type FeatureValues } from '../../shared/features';
import type { ServerDb } from '../db/database';
import { auditEntries } from '../db/schema';
import { rowsOf } from '../db/rows';
import { loadMonitoringFacts } from '../monitoring/load';
import { loanState } from '../monitoring/compute';
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

/** Approved loans in force that matured, with the applicant and record behind each score. */
async function maturedLoans(
  db: ServerDb,
  performanceMonths: number,
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
    const state = loanState(decision.day, facts.outcomes.get(decision.decisionId), performanceMonths);
    if (state !== 'bad' && state !== 'good') {
      notMatured += 1;
      continue;
    }
    loans.push({
      applicantId: score.applicantId,
      scoredAt: score.ts,
      behaviourRecordId: score.behaviourRecordId,
      label: state === 'bad' ? 1 : 0,
    });
  }
  return { loans, notMatured };
}

/** Of these applicants, those whose latest receipt at the centre grants central-sync. */
async function grantingCentralSync(db: ServerDb, applicantIds: readonly string[]): Promise<Set<string>> {
  const latest = new Map<string, boolean>();
  if (applicantIds.length === 0) {
    return new Set();
  }
  const rows = await db
    .select({ subject: auditEntries.subject, ts: auditEntries.ts, attachment: auditEntries.attachment })
    .from(auditEntries)
    .where(
      sql`${auditEntries.attachmentKind} = 'consent.receipt' AND ${inArray(auditEntries.subject, [...applicantIds])}`,
    )
    .orderBy(auditEntries.ts, auditEntries.deviceId, auditEntries.seq);
  for (const row of rows) {
    const receipt = ReceiptSchema.safeParse(json(row.attachment));
    if (row.subject === null || !receipt.success) {
      continue;
    }
    const purposes = receipt.data.receipt.services.flatMap((s) => s.purposes);
    latest.set(
      row.subject,
      purposes.some((p) => p.purpose === 'central-sync' && p.granted),
    );
  }
  return new Set([...latest.entries()].filter(([, granted]) => granted).map(([id]) => id));
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
  const rows = await db
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
      sql`${auditEntries.attachmentKind} = 'behaviour.summary' AND ${auditEntries.attachmentSealed} IS NOT NULL AND ${inArray(auditEntries.subject, [...applicantIds])}`,
    )
    .orderBy(auditEntries.ts, auditEntries.deviceId, auditEntries.seq);
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
  options: { readonly spec: FeatureSpec; readonly performanceMonths: number },
): Promise<TrainingExport> {
  const { spec } = options;
  const { loans, notMatured } = await maturedLoans(db, options.performanceMonths);
  const applicants = [...new Set(loans.map((l) => l.applicantId))];
  const withdrawn = new Set(await applicantsAlreadyWithdrawn(db, applicants));
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
