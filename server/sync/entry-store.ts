/**
 * Appends checked audit rows in one statement per chunk: the rows travel as one jsonb parameter, unpacked by
 * `jsonb_array_elements`, instead of drizzle's multi-row VALUES (14 bound parameters a row), whose query building
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
    // Each row as a JSON array in the order of the SELECT below: without a key on every value, the parameter the
    // driver writes to the database socket is about a third smaller.
    const records = rows
      .slice(i, i + CHUNK)
      .map((r) => [
        r.seq,
        asStored(r.ts),
        asStored(r.actor),
        asStored(r.action),
        storedOrNull(r.subject),
        asStored(r.payload),
        asStored(r.prevHash),
        asStored(r.hash),
        storedOrNull(r.attachmentKind),
        r.attachment ?? null,
        storedOrNull(r.attachmentSealed),
      ]);
    // `->>` turns a JSON null into SQL NULL; `->` keeps it a jsonb null, which NULLIF makes SQL NULL as drizzle's null
    // was (a readable attachment is an object or nothing, never a JSON null of its own).
    await tx.execute(sql`
      INSERT INTO audit_entries (device_id, seq, ts, actor, action, subject, payload, prev_hash, hash,
                                 attachment_kind, attachment, attachment_sealed, branch_id, received_at)
      SELECT ${asStored(device.deviceId)}, (r ->> 0)::bigint, r ->> 1, r ->> 2, r ->> 3, r ->> 4, r ->> 5, r ->> 6,
             r ->> 7, r ->> 8, NULLIF(r -> 9, 'null'::jsonb), r ->> 10, ${asStored(device.branchId)},
             ${receivedAt.toISOString()}::timestamptz
      FROM jsonb_array_elements(${JSON.stringify(records)}::jsonb) AS r
      ON CONFLICT DO NOTHING`);
  }
}
