/**
 * What the crash drill checks after each kill: the database reopens, every acknowledged write is in it, every stored
 * row has the audit entry of its transaction (and the other way round), the audit chain verifies against the
 * device's own key, and SQLite's full integrity and foreign-key checks find nothing.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditChain, type ChainVerification, type VerifyOptions } from '../audit/verify';
import { DATABASE_FILE } from '../db/keys';
import { openDatabase, type SqliteConnection } from '../db/open';
import type { Ack, AckKind } from './crash-protocol';

export interface DrillSite {
  readonly dataDir: string;
  readonly key: Buffer;
  /** The device identity recorded when the site was prepared: checkpoints must be signed by this key. */
  readonly identity: VerifyOptions;
}

/** A row and the audit entry that must have committed in the same transaction. */
interface AuditedTable {
  readonly table: string;
  readonly action: string;
  /** Where the audit entry names the row: its subject, or a field of its payload. */
  readonly link: string;
}

const AUDITED: readonly AuditedTable[] = [
  { table: 'applicants', action: 'applicant.registered', link: 'subject' },
  { table: 'consent_receipts', action: 'consent.captured', link: "json_extract(payload, '$.receiptId')" },
  { table: 'behavioural_records', action: 'behaviour.captured', link: "json_extract(payload, '$.recordId')" },
  { table: 'scores', action: 'applicant.scored', link: "json_extract(payload, '$.scoreId')" },
  { table: 'decisions', action: 'decision.recorded', link: "json_extract(payload, '$.decisionId')" },
];

const ROW_TABLE: Record<Exclude<AckKind, 'audit'>, string> = {
  applicant: 'applicants',
  behaviour: 'behavioural_records',
  score: 'scores',
  decision: 'decisions',
};

export interface TornTransaction {
  readonly table: string;
  /** `row-without-audit`: the row committed without its entry; `audit-without-row`: the reverse. */
  readonly problem: 'row-without-audit' | 'audit-without-row';
  readonly id: string;
}

export interface DrillCheck {
  /** Acknowledged writes not found as acknowledged (row absent, or audit entry absent or with another hash). */
  readonly missing: readonly Ack[];
  readonly torn: readonly TornTransaction[];
  readonly chain: ChainVerification;
  /** `PRAGMA integrity_check` rows: exactly `['ok']` when sound. */
  readonly integrity: readonly string[];
  /** `PRAGMA foreign_key_check` violations, as `table:rowid`. */
  readonly foreignKeys: readonly string[];
  /** Size of the write-ahead log the kill left behind, replayed by the reopen (0: none). */
  readonly walBytes: number;
  /** Chain length after the reopen; beyond the last acknowledged entry when a write committed but was not acked. */
  readonly headSeq: number;
  /** The database refused to open (message only; the file holds no personal data in clear). */
  readonly openError: string | null;
  readonly ok: boolean;
  readonly timings: {
    readonly openMs: number;
    readonly acksMs: number;
    readonly chainMs: number;
    readonly integrityMs: number;
  };
}

export async function checkDrillSite(site: DrillSite, acks: readonly Ack[]): Promise<DrillCheck> {
  const file = join(site.dataDir, DATABASE_FILE);
  const walBytes = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
  const started = performance.now();
  let sqlite: SqliteConnection;
  try {
    // The app's own open: key check, WAL recovery on first read, pragmas, pending migrations (none).
    sqlite = openDatabase({ file, key: site.key, create: false }).sqlite;
  } catch (error) {
    return failedOpen(error instanceof Error ? error.message : String(error), walBytes, performance.now() - started);
  }
  try {
    const openMs = performance.now() - started;
    const missing = missingAcks(sqlite, acks);
    const torn = tornTransactions(sqlite);
    const acksDone = performance.now();
    const chain = await verifyAuditChain(sqlite, site.identity);
    const chainDone = performance.now();
    const integrity = (sqlite.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    const foreignKeys = (sqlite.pragma('foreign_key_check') as { table: string; rowid: number }[]).map(
      (r) => `${r.table}:${r.rowid}`,
    );
    const ok =
      missing.length === 0 &&
      torn.length === 0 &&
      chain.ok &&
      integrity.length === 1 &&
      integrity[0] === 'ok' &&
      foreignKeys.length === 0;
    return {
      missing,
      torn,
      chain,
      integrity,
      foreignKeys,
      walBytes,
      headSeq: sqlite.prepare<[], { n: number | null }>('SELECT max(seq) AS n FROM audit_log').get()?.n ?? 0,
      openError: null,
      ok,
      timings: {
        openMs,
        acksMs: acksDone - started - openMs,
        chainMs: chainDone - acksDone,
        integrityMs: performance.now() - chainDone,
      },
    };
  } finally {
    sqlite.close();
  }
}

function missingAcks(sqlite: SqliteConnection, acks: readonly Ack[]): Ack[] {
  const auditAt = sqlite.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?');
  const rowStatements = new Map(
    Object.entries(ROW_TABLE).map(([kind, table]) => [
      kind,
      sqlite.prepare<[string], { found: number }>(`SELECT 1 AS found FROM ${table} WHERE id = ?`),
    ]),
  );
  return acks.filter((a) => {
    if (auditAt.get(a.audit.seq)?.hash !== a.audit.hash) {
      return true;
    }
    const rowStatement = rowStatements.get(a.ack);
    return rowStatement !== undefined && rowStatement.get(a.id) === undefined;
  });
}

function tornTransactions(sqlite: SqliteConnection): TornTransaction[] {
  const torn: TornTransaction[] = [];
  for (const { table, action, link } of AUDITED) {
    // Set differences, not a correlated NOT EXISTS: linear in the size of the tables, however many runs piled up.
    const audited = `SELECT ${link} AS id FROM audit_log WHERE action = '${action}'`;
    const ids = (sql: string): string[] =>
      sqlite
        .prepare<[], { id: string }>(sql)
        .all()
        .map((r) => r.id);
    for (const id of ids(`SELECT id FROM ${table} EXCEPT ${audited}`)) {
      torn.push({ table, problem: 'row-without-audit', id });
    }
    for (const id of ids(`${audited} EXCEPT SELECT id FROM ${table}`)) {
      torn.push({ table, problem: 'audit-without-row', id });
    }
  }
  return torn;
}

function failedOpen(message: string, walBytes: number, openMs: number): DrillCheck {
  return {
    missing: [],
    torn: [],
    chain: { ok: false, firstBadSeq: 0, reason: 'the database did not open', entries: 0 },
    integrity: [],
    foreignKeys: [],
    walBytes,
    headSeq: 0,
    openError: message,
    ok: false,
    timings: { openMs, acksMs: 0, chainMs: 0, integrityMs: 0 },
  };
}
