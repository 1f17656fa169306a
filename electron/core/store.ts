import type { NexisDb, SqliteConnection } from './db/open';
import { toStorageError } from './db/open';
import type { AuditLog } from './audit/audit-log';

/**
 * The open database with its audit chain. `transaction` is the only way services write: the state change and its
 * audit entry commit together or not at all.
 */
export class Store {
  readonly sqlite: SqliteConnection;
  readonly db: NexisDb;
  readonly audit: AuditLog;

  constructor(sqlite: SqliteConnection, db: NexisDb, audit: AuditLog) {
    this.sqlite = sqlite;
    this.db = db;
    this.audit = audit;
  }

  transaction<T>(work: () => T): T {
    try {
      return this.sqlite.transaction(work).immediate();
    } catch (error) {
      throw toStorageError(error);
    }
  }

  /**
   * Copies the WAL into the database and truncates it, so pages an erasure overwrote (secure_delete) leave no older
   * copy in the -wal file. A checkpoint that cannot finish now (a reader holds a snapshot) is finished by the next.
   */
  checkpoint(): void {
    try {
      this.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    } catch (error) {
      throw toStorageError(error);
    }
  }

  read<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw toStorageError(error);
    }
  }
}
