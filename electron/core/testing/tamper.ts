/**
 * Tamper sweeps (issue 13): the edits an attacker holding the database key could make to the audit tables through
 * SQL, each with the sequence number the verifier must report it at, worked out from the attack alone (never by
 * asking the verifier). Shared by electron/core/audit/tamper-sweep.test.ts and bench/tamper.bench.ts.
 */
import fc from 'fast-check';
import { chainHash, GENESIS_HASH } from '../../../audit-chain';
import type { SqliteConnection } from '../db/open';
import { MAX_CHECKPOINT_GAP, verifyAuditChain, type ChainVerification, type VerifyOptions } from '../audit/verify';
import { createTempWorkstation, type TempWorkstation } from './temp-workstation';

export const ENTRY_COLUMNS = ['ts', 'actor', 'action', 'subject', 'payload', 'prev_hash', 'hash'] as const;
export const CHECKPOINT_COLUMNS = ['head_hash', 'device_id', 'public_key', 'signature'] as const;
type EntryColumn = (typeof ENTRY_COLUMNS)[number];
type CheckpointColumn = (typeof CHECKPOINT_COLUMNS)[number];

interface EntryRow {
  readonly seq: number;
  readonly ts: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly payload: string;
  readonly prev_hash: string;
  readonly hash: string;
}

interface CheckpointRow {
  readonly seq: number;
  readonly head_hash: string;
  readonly device_id: string;
  readonly public_key: string;
  readonly signature: string;
}

export interface AuditFixture {
  readonly temp: TempWorkstation;
  readonly sqlite: SqliteConnection;
  readonly device: VerifyOptions;
  /** The untouched log, ascending; entries[i].seq === i + 1. */
  readonly entries: readonly EntryRow[];
  readonly checkpoints: readonly CheckpointRow[];
}

/**
 * A real workstation whose log holds `length` entries of varied content, a signed checkpoint every
 * `checkpointEvery`, and one at the head, as sync signs before every push.
 */
export function createAuditFixture(length: number, checkpointEvery: number): AuditFixture {
  const temp = createTempWorkstation({ checkpointEvery });
  const { store } = temp.ws;
  store.transaction(() => {
    // The log already holds the entries of the workstation's own set-up.
    for (let i = store.audit.head().seq; i < length; i += 1) {
      temp.clock.advance(1_000 + (i % 7) * 13);
      store.audit.append({
        actor: i % 5 === 0 ? 'system' : `OFF-${(i % 3).toString().padStart(4, '0')}`,
        action: ['applicant.scored', 'decision.recorded', 'consent.captured', 'audit.verified'][i % 4] ?? 'x',
        subject: i % 6 === 0 ? null : `NEX-${i.toString(36).toUpperCase().padStart(8, '0')}`,
        payload: { i, band: 'ABCD'[i % 4] ?? 'A', score: 500 + (i % 300), note: i % 9 === 0 ? 'naïve ✓ "q"' : '' },
      });
    }
    store.audit.checkpointHead();
  });
  const sqlite = store.sqlite;
  return {
    temp,
    sqlite,
    device: temp.ws.deviceKey,
    entries: sqlite.prepare<[], EntryRow>('SELECT * FROM audit_log ORDER BY seq').all(),
    checkpoints: sqlite
      .prepare<[], CheckpointRow>('SELECT seq, head_hash, device_id, public_key, signature FROM audit_checkpoints')
      .all(),
  };
}

/** How a new column value is made from the stored one, so generated edits stay relevant to real values. */
export type ValueEdit =
  | { readonly kind: 'replace'; readonly text: string }
  | { readonly kind: 'mutate'; readonly at: number; readonly char: string }
  | { readonly kind: 'append'; readonly text: string }
  | { readonly kind: 'copyFrom'; readonly index: number }
  | { readonly kind: 'null' };

export type Tampering =
  /** Naive edits: no hash is recomputed. */
  | { readonly kind: 'edit'; readonly edits: readonly { seq: number; column: EntryColumn; value: ValueEdit }[] }
  | { readonly kind: 'delete'; readonly seq: number; readonly count: number }
  | { readonly kind: 'insert'; readonly seq: number; readonly entry: ForgedEntry }
  /** Row `from` taken out and put back at `to`, the rows between shifted: `to = from ± 1` swaps neighbours. */
  | { readonly kind: 'move'; readonly from: number; readonly to: number }
  | { readonly kind: 'swap'; readonly a: number; readonly b: number }
  /** A careful forger: the change, then every hash from there on recomputed so each link holds. */
  | { readonly kind: 'rewrite'; readonly seq: number; readonly column: EntryColumn; readonly value: ValueEdit }
  | { readonly kind: 'insertRechained'; readonly seq: number; readonly entry: ForgedEntry }
  | { readonly kind: 'deleteRechained'; readonly seq: number }
  | {
      readonly kind: 'editCheckpoint';
      readonly at: number;
      readonly column: CheckpointColumn;
      readonly value: ValueEdit;
    }
  | { readonly kind: 'moveCheckpoint'; readonly at: number; readonly to: number }
  | { readonly kind: 'dropCheckpoints'; readonly at: number; readonly count: number };

export const TAMPERING_KINDS = [
  'edit',
  'delete',
  'insert',
  'move',
  'swap',
  'rewrite',
  'insertRechained',
  'deleteRechained',
  'editCheckpoint',
  'moveCheckpoint',
  'dropCheckpoints',
] as const satisfies readonly Tampering['kind'][];

export interface ForgedEntry {
  readonly actor: string;
  readonly action: string;
  readonly payload: string;
}

const HEX = '0123456789abcdefABCDEF';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';

const valueEdit = (alphabet: string): fc.Arbitrary<ValueEdit> =>
  fc.oneof(
    fc.record({ kind: fc.constant('replace' as const), text: fc.string({ maxLength: 90 }) }),
    fc.record({
      kind: fc.constant('mutate' as const),
      at: fc.nat(),
      char: fc.oneof(fc.constantFrom(...alphabet.split('')), fc.string({ minLength: 1, maxLength: 1 })),
    }),
    fc.record({ kind: fc.constant('append' as const), text: fc.constantFrom(' ', '\n', '=', '0', 'A', '}', '\u0000') }),
    fc.record({ kind: fc.constant('copyFrom' as const), index: fc.nat() }),
    fc.record({ kind: fc.constant('null' as const) }),
  );

const alphabetOf = (column: string): string =>
  column.endsWith('hash') ? HEX : column === 'signature' || column === 'public_key' ? BASE64 : '{}":,aZ0 ';

const forgedEntry: fc.Arbitrary<ForgedEntry> = fc.record({
  actor: fc.constantFrom('OFF-0000', 'system', 'OFF-FORGED'),
  action: fc.constantFrom('applicant.scored', 'decision.recorded'),
  payload: fc.json({ maxDepth: 1 }),
});

/** Every kind of tampering against `fixture`, at sequence numbers the log holds (or just beyond it). */
export function tamperingArbitrary(fixture: AuditFixture): fc.Arbitrary<Tampering> {
  const n = fixture.entries.length;
  const seq = fc.integer({ min: 1, max: n });
  const checkpoint = fc.integer({ min: 0, max: fixture.checkpoints.length - 1 });
  const entryEdit = fc
    .constantFrom(...ENTRY_COLUMNS)
    .chain((column) => fc.record({ seq, column: fc.constant(column), value: valueEdit(alphabetOf(column)) }));
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('edit' as const),
        edits: fc.array(entryEdit, { minLength: 1, maxLength: 4 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('delete' as const), seq, count: fc.integer({ min: 1, max: 3 }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('insert' as const),
        seq: fc.oneof(fc.integer({ min: -3, max: 0 }), fc.integer({ min: n + 1, max: n + 4 })),
        entry: forgedEntry,
      }),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          seq,
          fc.integer({ min: -5, max: 5 }).filter((d) => d !== 0),
        )
        .map(([from, d]) => ({ kind: 'move' as const, from, to: Math.min(n, Math.max(1, from + d)) }))
        .filter((t) => t.from !== t.to),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(seq, seq)
        .filter(([a, b]) => a !== b)
        .map(([a, b]) => ({ kind: 'swap' as const, a, b })),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom(...ENTRY_COLUMNS.filter((c) => !c.endsWith('hash'))).chain((column) =>
        fc.record({
          kind: fc.constant('rewrite' as const),
          seq,
          column: fc.constant(column),
          value: valueEdit(alphabetOf(column)),
        }),
      ),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('insertRechained' as const), seq, entry: forgedEntry }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteRechained' as const), seq }) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(...CHECKPOINT_COLUMNS).chain((column) =>
        fc.record({
          kind: fc.constant('editCheckpoint' as const),
          at: checkpoint,
          column: fc.constant(column),
          value: valueEdit(alphabetOf(column)),
        }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('moveCheckpoint' as const),
        at: checkpoint,
        to: fc.integer({ min: -1, max: n + 3 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('dropCheckpoints' as const),
        at: checkpoint,
        // Few seals removed leave every stretch within the signing period; long runs of them must be found.
        count: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 8, max: fixture.checkpoints.length })),
      }),
    },
  );
}

/**
 * Where the verifier must report `tampering`: the first sequence number whose entry (or checkpoint) no longer is what
 * the device wrote, or for a careful forger the first signed checkpoint at or after the change. Null when the
 * tampering changes nothing the chain protects (an edit to the stored value, or seals removed within the allowed gap).
 */
export type Expected = { readonly firstBadSeq: number } | null;

const DROP_TRIGGERS =
  'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; ' +
  'DROP TRIGGER audit_checkpoints_no_update; DROP TRIGGER audit_checkpoints_no_delete;';

/**
 * Applies `tampering` as an attacker with the file and its key would (append-only triggers dropped), runs the
 * production verifier on the result, and rolls everything back, so one log serves thousands of runs.
 */
export async function verifyTampered(
  fixture: AuditFixture,
  tampering: Tampering,
): Promise<{ expected: Expected; result: ChainVerification }> {
  const { sqlite } = fixture;
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    sqlite.exec(DROP_TRIGGERS);
    const expected = applyTampering(fixture, tampering);
    const result = await verifyAuditChain(sqlite, fixture.device);
    return { expected, result };
  } finally {
    sqlite.exec('ROLLBACK');
  }
}

/** Applies `tampering` through SQL (triggers already dropped) and returns where it must be reported. */
export function applyTampering(fixture: AuditFixture, tampering: Tampering): Expected {
  const { sqlite, entries, checkpoints } = fixture;
  const n = entries.length;
  const entry = (seq: number): EntryRow => {
    const row = entries[seq - 1];
    if (row === undefined) {
      throw new Error(`the fixture holds no entry ${seq}`);
    }
    return row;
  };
  const firstCheckpointFrom = (seq: number): number =>
    checkpoints.find((c) => c.seq >= seq)?.seq ?? Number.POSITIVE_INFINITY;
  switch (tampering.kind) {
    case 'edit': {
      for (const { seq, column, value } of tampering.edits) {
        const before = currentCell(sqlite, seq, column);
        const next = resolve(value, before, column, (i) => entries[i % n]?.[column] ?? null);
        sqlite.prepare(`UPDATE audit_log SET ${column} = ? WHERE seq = ?`).run(next, seq);
      }
      // A later edit of the same cell may restore it: what counts is what differs from what the device wrote.
      const changed = tampering.edits
        .filter(({ seq, column }) => currentCell(sqlite, seq, column) !== entry(seq)[column])
        .map(({ seq }) => seq);
      return changed.length === 0 ? null : { firstBadSeq: Math.min(...changed) };
    }
    case 'delete': {
      sqlite
        .prepare('DELETE FROM audit_log WHERE seq >= ? AND seq < ?')
        .run(tampering.seq, tampering.seq + tampering.count);
      // Deleting the newest entries is truncation: the checkpoint at the head reveals it at the first one missing.
      return { firstBadSeq: tampering.seq };
    }
    case 'insert': {
      const { seq, entry: forged } = tampering;
      const prev = seq === n + 1 ? entry(n).hash : GENESIS_HASH;
      insertEntry(sqlite, {
        seq,
        ts: new Date(0).toISOString(),
        subject: null,
        ...forged,
        prev_hash: prev,
        hash: 'f'.repeat(64),
      });
      // An entry below 1 puts the chain out of order at its start; one past a gap leaves the head's successor missing.
      return { firstBadSeq: seq <= 0 ? 1 : n + 1 };
    }
    case 'move': {
      const { from, to } = tampering;
      const lo = Math.min(from, to);
      const hi = Math.max(from, to);
      const order = range(lo, hi).map(entry);
      const [moved] = order.splice(from - lo, 1);
      order.splice(to - lo, 0, moved ?? entry(from));
      order.forEach((row, i) => writeContent(sqlite, lo + i, row));
      return { firstBadSeq: lo };
    }
    case 'swap': {
      writeContent(sqlite, tampering.a, entry(tampering.b));
      writeContent(sqlite, tampering.b, entry(tampering.a));
      return { firstBadSeq: Math.min(tampering.a, tampering.b) };
    }
    case 'rewrite': {
      const { seq, column, value } = tampering;
      const before = entry(seq)[column];
      const next = resolve(value, before, column, (i) => entries[i % n]?.[column] ?? null);
      if (next === before) {
        return null;
      }
      sqlite.prepare(`UPDATE audit_log SET ${column} = ? WHERE seq = ?`).run(next, seq);
      rechain(sqlite, seq);
      return { firstBadSeq: firstCheckpointFrom(seq) };
    }
    case 'insertRechained': {
      const { seq, entry: forged } = tampering;
      shift(sqlite, seq, +1);
      insertEntry(sqlite, { seq, ts: entry(seq).ts, subject: null, ...forged, prev_hash: '', hash: '' });
      rechain(sqlite, seq);
      return { firstBadSeq: firstCheckpointFrom(seq) };
    }
    case 'deleteRechained': {
      sqlite.prepare('DELETE FROM audit_log WHERE seq = ?').run(tampering.seq);
      shift(sqlite, tampering.seq + 1, -1);
      rechain(sqlite, tampering.seq);
      return { firstBadSeq: firstCheckpointFrom(tampering.seq) };
    }
    case 'editCheckpoint': {
      const target = checkpoints[tampering.at];
      if (target === undefined) {
        throw new Error('no such checkpoint');
      }
      const { column } = tampering;
      const before = target[column];
      const next = resolve(
        tampering.value,
        before,
        column,
        (i) => checkpoints[i % checkpoints.length]?.[column] ?? null,
      );
      if (next === before || next === null) {
        return null;
      }
      sqlite.prepare(`UPDATE audit_checkpoints SET ${column} = ? WHERE seq = ?`).run(next, target.seq);
      return { firstBadSeq: target.seq };
    }
    case 'moveCheckpoint': {
      const target = checkpoints[tampering.at];
      const { to } = tampering;
      if (target === undefined || to === target.seq || checkpoints.some((c) => c.seq === to)) {
        return null;
      }
      sqlite.prepare('UPDATE audit_checkpoints SET seq = ? WHERE seq = ?').run(to, target.seq);
      if (to >= 1) {
        // The seal now names an entry it does not hash, or one past the head (read as a truncated log).
        return { firstBadSeq: Math.min(to, n + 1) };
      }
      // Below 1 it names no entry: the same as removing it.
      return gapFinding(
        checkpoints.filter((c) => c !== target).map((c) => c.seq),
        n,
      );
    }
    case 'dropCheckpoints': {
      const dropped = checkpoints.slice(tampering.at, tampering.at + tampering.count);
      for (const c of dropped) {
        sqlite.prepare('DELETE FROM audit_checkpoints WHERE seq = ?').run(c.seq);
      }
      return gapFinding(
        checkpoints.filter((c) => !dropped.includes(c)).map((c) => c.seq),
        n,
      );
    }
  }
}

function currentCell(sqlite: SqliteConnection, seq: number, column: EntryColumn): string | null {
  return (
    sqlite.prepare<[number], { v: string | null }>(`SELECT ${column} AS v FROM audit_log WHERE seq = ?`).get(seq)?.v ??
    null
  );
}

/**
 * Removing seals leaves every entry as written, so it is found only where entries are left covered by no checkpoint
 * for longer than the device's signing period allows.
 */
function gapFinding(remaining: readonly number[], head: number): Expected {
  let sealed = 0;
  for (const seq of [...remaining, head]) {
    if (seq - sealed > MAX_CHECKPOINT_GAP) {
      return { firstBadSeq: sealed + MAX_CHECKPOINT_GAP + 1 };
    }
    sealed = seq;
  }
  return null;
}

function resolve(
  edit: ValueEdit,
  before: string | null,
  column: string,
  other: (index: number) => string | null,
): string | null {
  const text = before ?? '';
  switch (edit.kind) {
    case 'replace':
      return edit.text;
    case 'mutate': {
      const at = text.length === 0 ? 0 : edit.at % text.length;
      return text.slice(0, at) + edit.char + text.slice(at + 1);
    }
    case 'append':
      return text + edit.text;
    case 'copyFrom':
      return other(edit.index);
    case 'null':
      // Only `subject` may be NULL; elsewhere the attacker blanks the value instead.
      return column === 'subject' ? null : '';
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

const CONTENT = 'ts = ?, actor = ?, action = ?, subject = ?, payload = ?, prev_hash = ?, hash = ?';

function writeContent(sqlite: SqliteConnection, seq: number, row: EntryRow): void {
  sqlite
    .prepare(`UPDATE audit_log SET ${CONTENT} WHERE seq = ?`)
    .run(row.ts, row.actor, row.action, row.subject, row.payload, row.prev_hash, row.hash, seq);
}

function insertEntry(sqlite: SqliteConnection, row: EntryRow): void {
  sqlite
    .prepare(
      'INSERT INTO audit_log (seq, ts, actor, action, subject, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(row.seq, row.ts, row.actor, row.action, row.subject, row.payload, row.prev_hash, row.hash);
}

/** Renumbers every entry from `from` on by `by`, in two passes so no two rows ever share a sequence number. */
function shift(sqlite: SqliteConnection, from: number, by: number): void {
  sqlite.prepare('UPDATE audit_log SET seq = -(seq + ?) WHERE seq >= ?').run(by, from);
  sqlite.prepare('UPDATE audit_log SET seq = -seq WHERE seq < 0').run();
}

/** Recomputes prev_hash and hash from `from` to the head, as a forger covering an edit would. */
function rechain(sqlite: SqliteConnection, from: number): void {
  let prev =
    sqlite.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?').get(from - 1)?.hash ??
    GENESIS_HASH;
  const rows = sqlite.prepare<[number], EntryRow>('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq').all(from);
  const update = sqlite.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const row of rows) {
    const hash = chainHash(prev, row);
    update.run(prev, hash, row.seq);
    prev = hash;
  }
}

/** Fails with a readable account when the verifier's verdict is not the expected one. */
export function verdictProblem(tampering: Tampering, expected: Expected, result: ChainVerification): string | null {
  if (expected === null) {
    return result.ok
      ? null
      : `expected no finding for ${describe(tampering)}, got ${result.firstBadSeq}: ${result.reason}`;
  }
  if (result.ok) {
    return `${describe(tampering)} went unreported (expected at entry ${expected.firstBadSeq})`;
  }
  if (result.firstBadSeq !== expected.firstBadSeq) {
    return `${describe(tampering)} reported at ${result.firstBadSeq} (${result.reason}), expected ${expected.firstBadSeq}`;
  }
  if (result.reason.startsWith('database file damaged')) {
    return `${describe(tampering)} was reported as page damage: ${result.reason}`;
  }
  return null;
}

function describe(tampering: Tampering): string {
  return JSON.stringify(tampering);
}
