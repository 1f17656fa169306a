/**
 * A score's input vector and explanation hold the applicant's behavioural values (the contributions carry each
 * value), so they are sealed under the applicant's own data key like the behavioural record itself: an erasure
 * (deleting the key) leaves them unreadable everywhere, backups included. What stays in clear on the row is
 * pseudonymous: score, band, outcome, probability of default, model, policy and specification.
 *
 * Stored text: `sealed:v1:` + base64(iv ‖ tag ‖ ciphertext), AAD `score:<scoreId>:<field>`, so a sealed field copied
 * onto another score or field does not open. Rows written before sealing hold plain JSON until the upgrade at open
 * (`sealPlainScores`) seals them, or, for applicants already erased, replaces them with `erased`.
 */
import { eq, and, not, like } from 'drizzle-orm';
import { scores } from '../db/schema';
import { NexisError } from '../errors';
import { open, seal } from '../applicants/pii-crypto';
import type { Store } from '../store';

export type ScoreRow = typeof scores.$inferSelect;
type SealedField = 'inputs' | 'explanation';

const PREFIX = 'sealed:v1:';
/** What replaces a plain field of an applicant erased before sealing existed: nothing is left to open. */
export const ERASED_FIELD = 'erased';

const aad = (scoreId: string, field: SealedField): string => `score:${scoreId}:${field}`;

export function sealScoreField(key: Uint8Array, scoreId: string, field: SealedField, json: string): string {
  return PREFIX + seal(key, Buffer.from(json, 'utf8'), aad(scoreId, field));
}

function isPlain(text: string): boolean {
  return !text.startsWith(PREFIX) && text !== ERASED_FIELD;
}

export function scoreErased(): NexisError {
  return new NexisError(
    'CONFLICT',
    "This applicant's personal data was erased: the score's inputs and explanation went with it.",
  );
}

/** The row with its sealed fields opened; a typed CONFLICT once the applicant was erased. */
export function openScoreRow(row: ScoreRow, dataKeyOf: (applicantId: string) => Buffer | null): ScoreRow {
  if (isPlain(row.inputs) && isPlain(row.explanation)) {
    return row;
  }
  if (row.inputs === ERASED_FIELD || row.explanation === ERASED_FIELD) {
    throw scoreErased();
  }
  const key = dataKeyOf(row.applicantId);
  if (key === null) {
    throw scoreErased();
  }
  try {
    const field = (name: SealedField): string => {
      const text = row[name];
      return isPlain(text) ? text : open(key, text.slice(PREFIX.length), aad(row.id, name)).toString('utf8');
    };
    return { ...row, inputs: field('inputs'), explanation: field('explanation') };
  } finally {
    key.fill(0);
  }
}

/**
 * Seals the score rows still holding plain JSON (written before sealing): under the applicant's key while they are
 * active, or replaced by `erased` when their key is already gone. Idempotent; runs when the workstation opens.
 */
export function sealPlainScores(store: Store, dataKeyOf: (applicantId: string) => Buffer | null): number {
  const plain = store.read(() =>
    store.db
      .select({
        id: scores.id,
        applicantId: scores.applicantId,
        inputs: scores.inputs,
        explanation: scores.explanation,
      })
      .from(scores)
      .where(and(not(like(scores.inputs, `${PREFIX}%`)), not(eq(scores.inputs, ERASED_FIELD))))
      .all(),
  );
  if (plain.length === 0) {
    return 0;
  }
  store.transaction(() => {
    for (const row of plain) {
      const key = dataKeyOf(row.applicantId);
      const sealed =
        key === null
          ? { inputs: ERASED_FIELD, explanation: ERASED_FIELD }
          : {
              inputs: sealScoreField(key, row.id, 'inputs', row.inputs),
              explanation: sealScoreField(key, row.id, 'explanation', row.explanation),
            };
      key?.fill(0);
      store.db.update(scores).set(sealed).where(eq(scores.id, row.id)).run();
    }
  });
  // The plain text's pages were overwritten (secure_delete); their older copies leave the WAL too.
  store.checkpoint();
  return plain.length;
}
