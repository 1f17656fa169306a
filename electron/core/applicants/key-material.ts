import { randomBytes } from 'node:crypto';
import type { NexisDb, SqliteConnection } from '../db/open';
import { getMeta, setMeta } from '../system/meta-store';

export interface PiiKeys {
  /** Wraps each applicant's data key. */
  readonly kek: Buffer;
  /** Keys the blind-index HMAC. Separate from the KEK so one key never serves two purposes. */
  readonly indexKey: Buffer;
}

/** Loads the workstation's personal-data keys, generating them on first use. They live inside the encrypted file. */
export function loadOrCreatePiiKeys(sqlite: SqliteConnection, db: NexisDb): PiiKeys {
  return sqlite
    .transaction(() => {
      const get = (name: string): Buffer => {
        const existing = getMeta(db, name);
        if (existing !== undefined) {
          return Buffer.from(existing, 'hex');
        }
        const fresh = randomBytes(32);
        setMeta(db, name, fresh.toString('hex'));
        return fresh;
      };
      return { kek: get('pii.kek'), indexKey: get('pii.index-key') };
    })
    .immediate();
}
