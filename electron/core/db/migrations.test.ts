/**
 * One test per migration (Signal's habit): migrate to N−1, write rows, migrate to N, check the rows and the new shape.
 * Also guards that released migrations are append-only: the journal lists exactly the files, in order.
 */
import { readdirSync, readFileSync, mkdtempSync, cpSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './open';
import { defaultMigrationsDir } from './paths';

interface Journal {
  entries: { idx: number; tag: string }[];
}
const journal = JSON.parse(readFileSync(join(defaultMigrationsDir(), 'meta', '_journal.json'), 'utf8')) as Journal;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A migrations folder holding only the first `count` migrations. */
function migrationsUpTo(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'nexis-mig-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'meta'));
  const entries = journal.entries.slice(0, count);
  for (const entry of entries) {
    cpSync(join(defaultMigrationsDir(), `${entry.tag}.sql`), join(dir, `${entry.tag}.sql`));
  }
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  return dir;
}

function openAt(file: string, key: Buffer, count: number) {
  return openDatabase({ file, key, create: true, migrationsDir: migrationsUpTo(count) });
}

describe('migrations', () => {
  it('are append-only: the journal names every SQL file once, in order', () => {
    const files = readdirSync(defaultMigrationsDir())
      .filter((f) => f.endsWith('.sql'))
      .sort();
    expect(journal.entries.map((e) => `${e.tag}.sql`)).toEqual(files);
    expect(journal.entries.map((e) => e.idx)).toEqual(files.map((_, i) => i));
  });

  it('0000_initial creates the tables the core uses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexis-mig-db-'));
    dirs.push(dir);
    const { sqlite } = openAt(join(dir, 'a.db'), randomBytes(32), 1);
    const tables = (
      sqlite.prepare("SELECT name FROM sqlite_schema WHERE type='table'").all() as { name: string }[]
    ).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['meta', 'officers', 'audit_log', 'audit_checkpoints']));
    sqlite.close();
  });

  it('0001_audit_append_only keeps existing entries and then refuses changes to them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexis-mig-db-'));
    dirs.push(dir);
    const file = join(dir, 'b.db');
    const key = randomBytes(32);
    const before = openAt(file, key, 1);
    before.sqlite
      .prepare(
        "INSERT INTO audit_log (seq, ts, actor, action, subject, payload, prev_hash, hash) VALUES (1, 't', 'a', 'x', NULL, '{}', 'p', 'h')",
      )
      .run();
    before.sqlite.close();
    const after = openAt(file, key, 2);
    expect(after.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 1 });
    expect(() => after.sqlite.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    after.sqlite.close();
  });

  it('0002_applicants_consent adds the applicant, consent and behaviour tables and keeps the audit trail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexis-mig-db-'));
    dirs.push(dir);
    const file = join(dir, 'c.db');
    const key = randomBytes(32);
    const before = openAt(file, key, 2);
    before.sqlite
      .prepare(
        "INSERT INTO audit_log (seq, ts, actor, action, subject, payload, prev_hash, hash) VALUES (1, 't', 'a', 'x', 'NEX-1', '{}', 'p', 'h')",
      )
      .run();
    before.sqlite.close();
    const after = openAt(file, key, 3);
    const tables = (
      after.sqlite.prepare("SELECT name FROM sqlite_schema WHERE type='table'").all() as { name: string }[]
    ).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'applicants',
        'applicant_keys',
        'applicant_pii',
        'applicant_search',
        'consent_receipts',
        'consent_events',
        'behavioural_records',
      ]),
    );
    expect(after.sqlite.prepare("SELECT seq FROM audit_log WHERE subject = 'NEX-1'").all()).toEqual([{ seq: 1 }]);
    after.sqlite.close();
  });

  it('0003_scores_decisions adds scores and immutable decisions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexis-mig-db-'));
    dirs.push(dir);
    const file = join(dir, 'd.db');
    const key = randomBytes(32);
    const before = openAt(file, key, 3);
    before.sqlite
      .prepare("INSERT INTO applicants (id, status, created_at, created_by) VALUES ('NEX-1', 'active', 't', 'o')")
      .run();
    before.sqlite.close();
    const after = openAt(file, key, 4);
    after.sqlite
      .prepare(
        "INSERT INTO scores (id, applicant_id, behaviour_record_id, created_at, officer_id, model_hash, model_version, policy_version, spec_hash, score, band, outcome, probability_of_default, inputs, explanation) VALUES ('S1', 'NEX-1', 'B1', 't', 'o', 'm', '1', '1', 'h', 600, 'B', 'approve', 0.05, '{}', '{}')",
      )
      .run();
    after.sqlite
      .prepare(
        "INSERT INTO decisions (id, score_id, applicant_id, created_at, officer_id, decision, policy_outcome, reason_codes) VALUES ('D1', 'S1', 'NEX-1', 't', 'o', 'approve', 'approve', '[]')",
      )
      .run();
    expect(() => after.sqlite.prepare("UPDATE decisions SET decision = 'decline'").run()).toThrow(/immutable/);
    expect(() => after.sqlite.prepare('DELETE FROM decisions').run()).toThrow(/immutable/);
    after.sqlite.close();
  });

  it('0004_retention_legal_holds recovers each receipt term from its audit entry and adds legal holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexis-mig-db-'));
    dirs.push(dir);
    const file = join(dir, 'e.db');
    const key = randomBytes(32);
    const before = openAt(file, key, 4);
    const sql = before.sqlite;
    sql
      .prepare("INSERT INTO applicants (id, status, created_at, created_by) VALUES ('NEX-1', 'active', 't', 'o')")
      .run();
    sql
      .prepare("INSERT INTO applicants (id, status, created_at, created_by) VALUES ('NEX-2', 'active', 't', 'o')")
      .run();
    for (const [receipt, applicant] of [
      ['R1', 'NEX-1'],
      ['R2', 'NEX-2'],
    ]) {
      sql
        .prepare(
          "INSERT INTO consent_receipts (id, applicant_id, created_at, language, receipt, signature, public_key) VALUES (?, ?, 't', 'en', '{}', 's', 'k')",
        )
        .run(receipt, applicant);
    }
    // R2's entry is missing: its term cannot be recovered and must stay null (never erased automatically).
    sql
      .prepare(
        "INSERT INTO audit_log (seq, ts, actor, action, subject, payload, prev_hash, hash) VALUES (1, 't', 'o', 'consent.captured', 'NEX-1', ?, 'p', 'h')",
      )
      .run(JSON.stringify({ receiptId: 'R1', retentionMonths: 24 }));
    sql.close();
    const after = openAt(file, key, 5);
    expect(after.sqlite.prepare('SELECT id, retention_months AS m FROM consent_receipts ORDER BY id').all()).toEqual([
      { id: 'R1', m: 24 },
      { id: 'R2', m: null },
    ]);
    after.sqlite
      .prepare(
        "INSERT INTO legal_holds (id, applicant_id, reason, note, set_at, set_by) VALUES ('H1', 'NEX-1', 'litigation', 'n', 't', 's')",
      )
      .run();
    expect(() =>
      after.sqlite
        .prepare(
          "INSERT INTO legal_holds (id, applicant_id, reason, note, set_at, set_by) VALUES ('H2', 'NEX-9', 'litigation', 'n', 't', 's')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    after.sqlite.close();
  });

  it('0005_four_eyes_overrides keeps existing decisions as not under four eyes and keeps them immutable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexis-mig-db-'));
    dirs.push(dir);
    const file = join(dir, 'f.db');
    const key = randomBytes(32);
    const before = openAt(file, key, 5);
    before.sqlite
      .prepare("INSERT INTO applicants (id, status, created_at, created_by) VALUES ('NEX-1', 'active', 't', 'o')")
      .run();
    before.sqlite
      .prepare(
        "INSERT INTO scores (id, applicant_id, behaviour_record_id, created_at, officer_id, model_hash, model_version, policy_version, spec_hash, score, band, outcome, probability_of_default, inputs, explanation) VALUES ('S1', 'NEX-1', 'B1', 't', 'o', 'm', '1', '1', 'h', 400, 'E', 'decline', 0.4, '{}', '{}')",
      )
      .run();
    before.sqlite
      .prepare(
        "INSERT INTO decisions (id, score_id, applicant_id, created_at, officer_id, decision, policy_outcome, reason_codes, override_reason) VALUES ('D1', 'S1', 'NEX-1', 't', 'o', 'approve', 'decline', '[]', '{\"reason\":\"other\",\"note\":\"n\"}')",
      )
      .run();
    before.sqlite.close();
    const after = openAt(file, key, 6);
    // A decision made before the option existed stays in force as it was: it is not turned into a pending one.
    expect(after.sqlite.prepare('SELECT id, four_eyes AS fourEyes FROM decisions').all()).toEqual([
      { id: 'D1', fourEyes: null },
    ]);
    after.sqlite
      .prepare(
        "INSERT INTO decisions (id, score_id, applicant_id, created_at, officer_id, decision, policy_outcome, reason_codes, supersedes, four_eyes) VALUES ('D2', 'S1', 'NEX-1', 't', 'o', 'approve', 'decline', '[]', 'D1', 'pending')",
      )
      .run();
    expect(() => after.sqlite.prepare("UPDATE decisions SET four_eyes = 'approved' WHERE id = 'D2'").run()).toThrow(
      /immutable/,
    );
    expect(() => after.sqlite.prepare("DELETE FROM decisions WHERE id = 'D2'").run()).toThrow(/immutable/);
    after.sqlite.close();
  });
  it('0006_feature_bin_counts keeps existing scores and counts each bin once per model version, month and feature', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexis-mig-db-'));
    dirs.push(dir);
    const file = join(dir, 'g.db');
    const key = randomBytes(32);
    const before = openAt(file, key, 6);
    before.sqlite
      .prepare("INSERT INTO applicants (id, status, created_at, created_by) VALUES ('NEX-1', 'active', 't', 'o')")
      .run();
    before.sqlite
      .prepare(
        "INSERT INTO scores (id, applicant_id, behaviour_record_id, created_at, officer_id, model_hash, model_version, policy_version, spec_hash, score, band, outcome, probability_of_default, inputs, explanation) VALUES ('S1', 'NEX-1', 'B1', 't', 'o', 'm', '1', '1', 'h', 400, 'E', 'decline', 0.4, '{}', '{}')",
      )
      .run();
    before.sqlite.close();
    const after = openAt(file, key, 7);
    expect(after.sqlite.prepare('SELECT id FROM scores').all()).toEqual([{ id: 'S1' }]);
    const count = after.sqlite.prepare(
      `INSERT INTO feature_bin_counts (model_version, month, feature, bin, count) VALUES ('1', '2026-12', 'f', 2, 1)
       ON CONFLICT (model_version, month, feature, bin) DO UPDATE SET count = count + 1`,
    );
    count.run();
    count.run();
    expect(after.sqlite.prepare('SELECT feature, bin, count FROM feature_bin_counts').all()).toEqual([
      { feature: 'f', bin: 2, count: 2 },
    ]);
    after.sqlite.close();
  });
  it('0007_score_challenger keeps existing scores without a challenger', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexis-mig-db-'));
    dirs.push(dir);
    const file = join(dir, 'h.db');
    const key = randomBytes(32);
    const before = openAt(file, key, 7);
    before.sqlite
      .prepare("INSERT INTO applicants (id, status, created_at, created_by) VALUES ('NEX-1', 'active', 't', 'o')")
      .run();
    before.sqlite
      .prepare(
        "INSERT INTO scores (id, applicant_id, behaviour_record_id, created_at, officer_id, model_hash, model_version, policy_version, spec_hash, score, band, outcome, probability_of_default, inputs, explanation) VALUES ('S1', 'NEX-1', 'B1', 't', 'o', 'm', '1', '1', 'h', 400, 'E', 'decline', 0.4, '{}', '{}')",
      )
      .run();
    before.sqlite.close();
    const after = openAt(file, key, 8);
    expect(after.sqlite.prepare('SELECT id, challenger FROM scores').all()).toEqual([{ id: 'S1', challenger: null }]);
    after.sqlite.close();
  });
});
