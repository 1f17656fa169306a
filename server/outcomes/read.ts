/** What the console reads of the stored outcomes: one decision's history, or the current outcome per decision. */
import { asc, eq, gt, sql } from 'drizzle-orm';
import type { LoanOutcome } from '../../shared/sync/outcomes';
import type { ServerDb } from '../db/database';
import { loanOutcomes } from '../db/schema';

type OutcomeRow = typeof loanOutcomes.$inferSelect;

const view = (r: OutcomeRow): LoanOutcome => ({
  decisionId: r.decisionId,
  status: r.status,
  asOf: r.asOf,
  source: r.source,
  importId: r.importId,
  recordedAt: r.recordedAt.toISOString(),
});

/** Oldest first; the last is the current outcome. */
export async function outcomeHistory(db: ServerDb, decisionId: string): Promise<LoanOutcome[]> {
  const rows = await db
    .select()
    .from(loanOutcomes)
    .where(eq(loanOutcomes.decisionId, decisionId))
    .orderBy(asc(loanOutcomes.asOf));
  return rows.map(view);
}

/** The latest as-of date per decision, by decision id, `limit` decisions after `after`. */
export async function currentOutcomes(
  db: ServerDb,
  query: { readonly after?: string | undefined; readonly limit: number },
): Promise<LoanOutcome[]> {
  const rows = await db
    .selectDistinctOn([loanOutcomes.decisionId])
    .from(loanOutcomes)
    .where(query.after === undefined ? sql`true` : gt(loanOutcomes.decisionId, query.after))
    .orderBy(asc(loanOutcomes.decisionId), sql`${loanOutcomes.asOf} DESC`)
    .limit(query.limit);
  return rows.map(view);
}
