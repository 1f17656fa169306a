/**
 * Imports a core-banking outcome file, all or nothing: every row is checked against the file (csv.ts), the
 * centre's decisions and the outcomes already stored; if any row is refused nothing is stored and the refusals come
 * back per row. Otherwise the new rows are stored with the import and its server audit entry (counts and the import
 * id only), in one transaction. Imports run one at a time (an advisory lock), so two files racing on the same
 * decision cannot both pass the check against what is stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import { MAX_REPORTED_ROW_ERRORS, type OutcomeImportResult, type OutcomeRowError } from '../../shared/sync/outcomes';
import { appendServerAudit, type AuditSigner } from '../audit/server-audit';
import type { ServerDb } from '../db/database';
import { loanOutcomes, outcomeImports } from '../db/schema';
import { parseOutcomeCsv, type OutcomeCsvRow } from './csv';
import { decisionsAtCentre } from './decisions';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

/** Serialises outcome imports across API instances. */
const OUTCOME_IMPORT_LOCK = 0x4e45584f; // "NEXO"
/** Rows per INSERT and per lookup of stored outcomes: well under PostgreSQL's 65,535 parameters. */
const CHUNK = 5_000;

export type OutcomeImport =
  | { readonly ok: true; readonly result: OutcomeImportResult }
  | { readonly ok: false; readonly errorCount: number; readonly errors: readonly OutcomeRowError[] };

const day = (at: Date): string => at.toISOString().slice(0, 10);

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    out.push(items.slice(i, i + CHUNK));
  }
  return out;
}

/** Refusals that need the centre: the decision must be known, an approval in force, and made before the as-of date. */
async function checkAgainstCentre(
  tx: Tx,
  rows: readonly OutcomeCsvRow[],
  today: string,
  errors: OutcomeRowError[],
): Promise<{ fresh: OutcomeCsvRow[]; unchanged: number }> {
  const decisions = await decisionsAtCentre(tx, [...new Set(rows.map((r) => r.decisionId))]);
  const stored = new Map<string, string>();
  for (const part of chunks([...decisions.keys()])) {
    const found = await tx
      .select({ decisionId: loanOutcomes.decisionId, asOf: loanOutcomes.asOf, status: loanOutcomes.status })
      .from(loanOutcomes)
      .where(inArray(loanOutcomes.decisionId, part));
    for (const f of found) {
      stored.set(`${f.decisionId} ${f.asOf}`, f.status);
    }
  }
  const fresh: OutcomeCsvRow[] = [];
  let unchanged = 0;
  for (const r of rows) {
    const refuse = (code: OutcomeRowError['code'], column: OutcomeRowError['column'], message: string): void => {
      errors.push({ row: r.row, column, code, message });
    };
    const decision = decisions.get(r.decisionId);
    if (r.asOf > today) {
      refuse('future-date', 'as_of', `As of ${r.asOf}: after the day of this import (${today}).`);
      continue;
    }
    if (decision === undefined) {
      refuse('unknown-decision', 'decision_id', `Decision ${r.decisionId} is not known at the centre.`);
      continue;
    }
    if (decision.supersededBy !== null) {
      refuse(
        'superseded',
        'decision_id',
        `Decision ${r.decisionId} was superseded by ${decision.supersededBy}: record the outcome against that one.`,
      );
      continue;
    }
    if (decision.decision !== 'approve') {
      refuse('not-an-approval', 'decision_id', `Decision ${r.decisionId} is not an approval: no loan to follow.`);
      continue;
    }
    if (decision.pending) {
      refuse(
        'approval-pending',
        'decision_id',
        `Decision ${r.decisionId} is an override still waiting for a second supervisor.`,
      );
      continue;
    }
    if (r.asOf < decision.day) {
      refuse(
        'before-decision',
        'as_of',
        `As of ${r.asOf}: before decision ${r.decisionId} was made (${decision.day}).`,
      );
      continue;
    }
    const existing = stored.get(`${r.decisionId} ${r.asOf}`);
    if (existing === undefined) {
      fresh.push(r);
    } else if (existing === r.status) {
      unchanged += 1;
    } else {
      refuse(
        'conflicts-with-stored',
        'status',
        `Decision ${r.decisionId} as of ${r.asOf} is already stored as ${existing}; stored outcomes are not overwritten.`,
      );
    }
  }
  return { fresh, unchanged };
}

export async function importOutcomeCsv(
  db: ServerDb,
  signer: AuditSigner,
  input: { readonly body: string; readonly adminId: string; readonly now: Date },
): Promise<OutcomeImport> {
  const parsed = parseOutcomeCsv(input.body);
  const errors = [...parsed.errors];
  const refused = (): OutcomeImport => ({
    ok: false,
    errorCount: errors.length,
    errors: [...errors].sort((a, b) => a.row - b.row).slice(0, MAX_REPORTED_ROW_ERRORS),
  });
  if (errors.some((e) => e.code === 'bad-header' || e.code === 'too-many-rows' || e.code === 'empty-file')) {
    return refused();
  }
  const today = day(input.now);
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${OUTCOME_IMPORT_LOCK})`);
    const { fresh, unchanged } = await checkAgainstCentre(tx, parsed.rows, today, errors);
    if (errors.length > 0) {
      return refused();
    }
    const importId = `OIM-${randomBytes(8).toString('hex').toUpperCase()}`;
    const counts = { rows: parsed.rows.length, imported: fresh.length, unchanged };
    await tx.insert(outcomeImports).values({
      importId,
      source: 'core-banking-csv',
      importedBy: input.adminId,
      importedAt: input.now,
      bodySha256: createHash('sha256').update(input.body, 'utf8').digest('hex'),
      ...counts,
    });
    for (const part of chunks(fresh)) {
      await tx.insert(loanOutcomes).values(
        part.map((r) => ({
          decisionId: r.decisionId,
          asOf: r.asOf,
          status: r.status,
          source: 'core-banking-csv' as const,
          importId,
          recordedBy: input.adminId,
          recordedAt: input.now,
        })),
      );
    }
    await appendServerAudit(
      tx,
      signer,
      { actor: input.adminId, action: 'outcomes.imported', subject: importId, payload: counts },
      input.now,
    );
    return { ok: true, result: { importId, ...counts } };
  });
}
