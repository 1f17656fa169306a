/**
 * An erasure reaches the workstation's own older copies of the database too: each local backup (`backups/nexis-*.db`)
 * and each database a restore set aside (`nexis.db.before-restore-*`) loses the erased applicants' data keys,
 * personal fields, search tokens, sealed score fields and behavioural values, in place, under `secure_delete`, with
 * the write-ahead log checkpointed and truncated so no older page survives in it. The applicant row stays `active` in
 * the copy on purpose: a restore of it then re-applies the erasure from the ledger, which puts the erasure back into
 * the restored audit chain (the copy's chain predates it).
 *
 * Copies the workstation cannot open (damaged, another key) are left as they are and reported; they expire with the
 * backup term. Recovery bundles written off the device are not reachable here: they expire, and a restore of one
 * re-applies the ledger it carries and the centre's feed.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { applyCipherKey } from '../db/open';
import { ERASED_FIELD } from '../scoring/score-seal';

/** The copies in `dataDir` an erasure must reach. */
export function databaseCopies(dataDir: string, databaseFile: string): string[] {
  const copies: string[] = [];
  const backups = join(dataDir, 'backups');
  if (existsSync(backups)) {
    copies.push(
      ...readdirSync(backups)
        .filter((name) => /^nexis-.*\.db$/.test(name))
        .map((name) => join(backups, name)),
    );
  }
  const prefix = `${basename(databaseFile)}.before-restore-`;
  copies.push(
    ...readdirSync(dataDir)
      .filter((name) => name.startsWith(prefix) && !name.endsWith('-wal') && !name.endsWith('-shm'))
      .map((name) => join(dataDir, name)),
  );
  return copies;
}

export interface ScrubResult {
  readonly scrubbed: number;
  readonly failed: readonly string[];
}

export function scrubCopies(copies: readonly string[], key: Uint8Array, applicantIds: readonly string[]): ScrubResult {
  let scrubbed = 0;
  const failed: string[] = [];
  if (applicantIds.length === 0) {
    return { scrubbed, failed };
  }
  const ids = JSON.stringify(applicantIds);
  for (const file of copies) {
    let sqlite: Database.Database | undefined;
    try {
      sqlite = new Database(file, { fileMustExist: true });
      applyCipherKey(sqlite, key);
      sqlite.pragma('secure_delete = ON');
      sqlite.pragma('temp_store = MEMORY');
      // WAL: the log holds the new (scrubbed) pages, never the old ones a rollback journal would copy out.
      sqlite.pragma('journal_mode = WAL');
      const db = sqlite;
      db.transaction(() => {
        const where = 'applicant_id IN (SELECT value FROM json_each(?))';
        db.prepare(`DELETE FROM applicant_keys WHERE ${where}`).run(ids);
        db.prepare(`DELETE FROM applicant_pii WHERE ${where}`).run(ids);
        db.prepare(`DELETE FROM applicant_search WHERE ${where}`).run(ids);
        db.prepare(`UPDATE behavioural_records SET "values" = ? WHERE ${where}`).run(ERASED_FIELD, ids);
        const scores = db
          .prepare<[], { n: number }>(
            "SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = 'scores'",
          )
          .get();
        if ((scores?.n ?? 0) > 0) {
          db.prepare(`UPDATE scores SET inputs = ?, explanation = ? WHERE ${where}`).run(
            ERASED_FIELD,
            ERASED_FIELD,
            ids,
          );
        }
      })();
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      sqlite.pragma('journal_mode = DELETE');
      scrubbed += 1;
    } catch {
      failed.push(basename(file));
    } finally {
      sqlite?.close();
    }
  }
  return { scrubbed, failed };
}
