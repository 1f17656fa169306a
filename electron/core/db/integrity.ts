import type { SqliteConnection } from './open';
import { sqliteCode } from './open';

/**
 * Reads every page of every table and index (`PRAGMA quick_check`). With SQLCipher each page read checks the
 * page's HMAC, so a flipped byte anywhere in a used page is reported here rather than found later by chance.
 * Returns null when the file is sound, else a reason without any content from the file.
 */
export function checkDatabaseIntegrity(sqlite: SqliteConnection): string | null {
  try {
    const rows = sqlite.pragma('quick_check') as { quick_check: string }[];
    if (rows.length === 1 && rows[0]?.quick_check === 'ok') {
      return null;
    }
    return `database file damaged: SQLite quick_check found ${rows.length} problem(s)`;
  } catch (error) {
    return `database file damaged: a page failed its integrity (HMAC) check (${sqliteCode(error) ?? 'error'})`;
  }
}
