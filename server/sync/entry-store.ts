/**
 * Appends checked audit rows in one statement per chunk: the rows travel as one jsonb parameter, unpacked by
 * `jsonb_to_recordset`, instead of drizzle's multi-row VALUES (14 bound parameters a row), whose query building
 * took about half of a push's CPU time. Idempotent as before: the primary key (device_id, seq) and ON CONFLICT DO
 * NOTHING.
 */
import { sql } from 'drizzle-orm';
import type { ServerDb } from '../db/database';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

/** One audit row, as ingest built it: the device, branch and arrival time are the batch's. */
export interface AuditRow {
  readonly seq: number;
  readonly ts: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly payload: string;
  readonly prevHash: string;
  readonly hash: string;
  readonly attachmentKind: string | null;
  /** The readable part of the attachment (jsonb), or null. */
  readonly attachment: unknown;
  readonly attachmentSealed: string | null;
}

/** A batch is at most 1,000 entries (MAX_PUSH_ENTRIES); the cap keeps one statement's parameter bounded anyway. */
const CHUNK = 1000;

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A text value as a bound text parameter has always stored it: UTF-8 on the wire turns each lone UTF-16 surrogate
 * into U+FFFD. Inside the jsonb parameter JSON.stringify would write `\ud800` instead, which jsonb refuses; this
 * keeps what is stored identical. Hashing also encodes the payload as UTF-8, so a stored payload still matches its
 * hash exactly as before. (A lone surrogate inside the jsonb attachment is refused as it always was: jsonb cannot
 * hold one, whichever way it is sent.)
 */
function asStored(text: string): string {
  return SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text;
}

const storedOrNull = (text: string | null): string | null => (text === null ? null : asStored(text));

export async function insertAuditRows(
  tx: Tx,
  device: { readonly deviceId: string; readonly branchId: string },
  rows: readonly AuditRow[],
  receivedAt: Date,
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const records = rows.slice(i, i + CHUNK).map((r) => ({
      seq: r.seq,
      ts: asStored(r.ts),
      actor: asStored(r.actor),
      action: asStored(r.action),
      subject: storedOrNull(r.subject),
      payload: asStored(r.payload),
      prev_hash: asStored(r.prevHash),
      hash: asStored(r.hash),
      attachment_kind: storedOrNull(r.attachmentKind),
      // A JSON null becomes SQL NULL in every jsonb_to_recordset column, jsonb included, as drizzle's null did.
      attachment: r.attachment ?? null,
      attachment_sealed: storedOrNull(r.attachmentSealed),
    }));
    await tx.execute(sql`
      INSERT INTO audit_entries (device_id, seq, ts, actor, action, subject, payload, prev_hash, hash,
                                 attachment_kind, attachment, attachment_sealed, branch_id, received_at)
      SELECT ${asStored(device.deviceId)}, t.seq, t.ts, t.actor, t.action, t.subject, t.payload, t.prev_hash, t.hash,
             t.attachment_kind, t.attachment, t.attachment_sealed, ${asStored(device.branchId)},
             ${receivedAt.toISOString()}::timestamptz
      FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS t(
        seq bigint, ts text, actor text, action text, subject text, payload text, prev_hash text, hash text,
        attachment_kind text, attachment jsonb, attachment_sealed text)
      ON CONFLICT DO NOTHING`);
  }
}
