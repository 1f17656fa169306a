/**
 * Keeps the stored blind index in step with the token rules. The tokens are keyed HMACs of normalised values, so a
 * change of normalisation (v2: phone numbers in E.164 form) cannot be made by a SQL migration: the values must be
 * decrypted once, with the workstation's keys, and their tokens recomputed. This runs when the workstation opens,
 * in one transaction, and records the version reached in the meta table so it runs once.
 */
import { eq } from 'drizzle-orm';
import { applicants, applicantSearch } from '../db/schema';
import type { Store } from '../store';
import { getMeta, setMeta } from '../system/meta-store';
import { BLIND_INDEX_VERSION, type BlindIndex } from './blind-index';

/** Absent on databases indexed before versioning, whose tokens follow version 1. */
export const BLIND_INDEX_VERSION_KEY = 'applicants.blindIndexVersion';

export interface IndexedPerson {
  readonly fullName: string;
  readonly phone: string;
  readonly nationalId: string;
}

/**
 * Recomputes every active applicant's tokens when the stored version is older. Returns how many applicants were
 * re-indexed (0 when the index was current). Erased applicants have no tokens and no key: they are left alone.
 */
export function upgradeBlindIndex(
  store: Store,
  index: BlindIndex,
  personOf: (applicantId: string) => IndexedPerson | null,
): number {
  const stored = Number(store.read(() => getMeta(store.db, BLIND_INDEX_VERSION_KEY)) ?? '1');
  if (stored >= BLIND_INDEX_VERSION) {
    return 0;
  }
  return store.transaction(() => {
    const db = store.db;
    const active = db.select({ id: applicants.id }).from(applicants).where(eq(applicants.status, 'active')).all();
    let reindexed = 0;
    for (const { id } of active) {
      const person = personOf(id);
      if (person === null) {
        continue;
      }
      db.delete(applicantSearch).where(eq(applicantSearch.applicantId, id)).run();
      for (const token of index.tokensFor(person)) {
        db.insert(applicantSearch).values({ token, applicantId: id }).run();
      }
      reindexed += 1;
    }
    setMeta(db, BLIND_INDEX_VERSION_KEY, String(BLIND_INDEX_VERSION));
    return reindexed;
  });
}
