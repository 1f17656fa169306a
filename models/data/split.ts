/** Seeded, stratified row splits: held-out test sets, inner validation sets and k folds. */
import { createRng, shuffleInPlace } from '../core/prng';

/** Row indexes of each class, shuffled by the seed. */
function shuffledByClass(label: Uint8Array, seed: number): [Int32Array, Int32Array] {
  const rng = createRng(seed);
  const negatives: number[] = [];
  const positives: number[] = [];
  label.forEach((y, i) => (y === 1 ? positives : negatives).push(i));
  return [shuffleInPlace(Int32Array.from(negatives), rng), shuffleInPlace(Int32Array.from(positives), rng)];
}

/** Assigns each row a fold 0..k-1 so every fold has the same share of defaults. */
export function stratifiedFolds(label: Uint8Array, k: number, seed: number): Int32Array {
  const fold = new Int32Array(label.length);
  for (const group of shuffledByClass(label, seed)) {
    group.forEach((row, position) => {
      fold[row] = position % k;
    });
  }
  return fold;
}

/** Splits rows into (train, holdout) with `fraction` of each class held out. Both sorted ascending. */
export function stratifiedSplit(
  label: Uint8Array,
  fraction: number,
  seed: number,
): { train: Int32Array; holdout: Int32Array } {
  const train: number[] = [];
  const holdout: number[] = [];
  for (const group of shuffledByClass(label, seed)) {
    const cut = Math.round(group.length * fraction);
    group.forEach((row, position) => (position < cut ? holdout : train).push(row));
  }
  const sort = (a: number[]): Int32Array => Int32Array.from(a).sort();
  return { train: sort(train), holdout: sort(holdout) };
}

/** Rows whose fold equals / differs from k. */
export function foldRows(folds: Int32Array, k: number): { train: Int32Array; test: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  folds.forEach((f, row) => (f === k ? test : train).push(row));
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}
