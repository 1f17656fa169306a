/**
 * The decisions the centre knows, as the branches pushed them: every `decision.*` entry in the device chains carries
 * its decision id, the decision, whether an override still waits for a second supervisor, and which decision it
 * supersedes (electron/core/decisions/decision-service.ts). Payloads are read defensively: the chain guarantees
 * they were not changed since the branch wrote them, not that they are well-formed JSON.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { DECISION_ID } from '../../shared/sync/outcomes';
import type { ServerDb } from '../db/database';
import { rowsOf } from '../db/rows';

type Reader = Pick<ServerDb, 'execute'>;

export const DECISION_ACTIONS = [
  'decision.recorded',
  'decision.corrected',
  'decision.reviewed',
  'decision.override_approved',
  'decision.override_rejected',
] as const;

export interface CentralDecision {
  readonly decisionId: string;
  readonly decision: string;
  /** An override waiting for a second supervisor: not in force. */
  readonly pending: boolean;
  /** The decision that replaced this one (a correction, review or override verdict), if any. */
  readonly supersededBy: string | null;
  /** The UTC day the branch recorded it. */
  readonly day: string;
}

/** What every `decision.*` payload carries that the centre reads (monitoring reads more: server/monitoring/load.ts). */
export const DecisionPayloadSchema = z.looseObject({
  decisionId: z.string().regex(DECISION_ID),
  decision: z.string(),
  supersedes: z.string().nullable().optional(),
  fourEyes: z.string().nullable().optional(),
});

function payloadOf(text: string): z.infer<typeof DecisionPayloadSchema> | null {
  try {
    const parsed = DecisionPayloadSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The decisions among `ids` the centre holds, with what supersedes them. The ids are passed as one JSON array (any
 * number fits in one parameter); canonical JSON has no spaces, so the pattern finds the key's value exactly, and the
 * payload is then parsed to be sure.
 */
export async function decisionsAtCentre(db: Reader, ids: readonly string[]): Promise<Map<string, CentralDecision>> {
  const found = new Map<string, CentralDecision>();
  if (ids.length === 0) {
    return found;
  }
  const wanted = JSON.stringify(ids);
  const actions = sql.join(
    DECISION_ACTIONS.map((a) => sql`${a}`),
    sql`, `,
  );
  const rows = rowsOf<{ ts: string; payload: string }>(
    await db.execute(sql`
      SELECT ts, payload FROM audit_entries
      WHERE action IN (${actions})
        AND (substring(payload from '"decisionId":"([^"]*)"') IN (SELECT jsonb_array_elements_text(${wanted}::jsonb))
          OR substring(payload from '"supersedes":"([^"]*)"') IN (SELECT jsonb_array_elements_text(${wanted}::jsonb)))
      ORDER BY ts, device_id, seq`),
  );
  const supersededBy = new Map<string, string>();
  const wantedSet = new Set(ids);
  for (const row of rows) {
    const payload = payloadOf(row.payload);
    if (payload === null) {
      continue;
    }
    if (typeof payload.supersedes === 'string' && wantedSet.has(payload.supersedes)) {
      supersededBy.set(payload.supersedes, payload.decisionId);
    }
    if (wantedSet.has(payload.decisionId) && !found.has(payload.decisionId)) {
      found.set(payload.decisionId, {
        decisionId: payload.decisionId,
        decision: payload.decision,
        pending: payload.fourEyes === 'pending',
        supersededBy: null,
        day: row.ts.slice(0, 10),
      });
    }
  }
  for (const [id, by] of supersededBy) {
    const decision = found.get(id);
    if (decision !== undefined) {
      found.set(id, { ...decision, supersededBy: by });
    }
  }
  return found;
}
