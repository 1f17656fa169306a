/**
 * The trained glass-box model: an intercept plus one piecewise-constant shape per term, on the
 * logit of default. A main term reads one feature, a pair term two. Because the model is the sum
 * of these tables, the contributions it reports are the model itself, not an approximation.
 */
import { binOf } from './binning';

export interface MainTerm {
  readonly kind: 'main';
  /** Index into the specification's features. */
  readonly feature: number;
  readonly name: string;
  /** Float32 cut points, ascending. */
  readonly cuts: readonly number[];
  /** values[0] is the missing bin, values[b] the b-th value bin (cuts.length + 2 entries). */
  readonly values: readonly number[];
  /** Training rows per bin, same layout as values: the plan engine's and drift monitor's reference. */
  readonly counts: readonly number[];
}

export interface PairTerm {
  readonly kind: 'pair';
  readonly features: readonly [number, number];
  readonly name: string;
  readonly cuts: readonly [readonly number[], readonly number[]];
  /** Row-major table: values[binA * (cutsB.length + 2) + binB], bin 0 = missing. */
  readonly values: readonly number[];
  readonly counts: readonly number[];
}

export type Term = MainTerm | PairTerm;

export interface GlassBoxModel {
  readonly format: 'nexis-glassbox/1';
  readonly specId: string;
  readonly specVersion: string;
  readonly featureKeys: readonly string[];
  /** Log-odds of default when every term contributes zero (terms are centred on the training data). */
  readonly intercept: number;
  readonly terms: readonly Term[];
  readonly training: Readonly<Record<string, number | string | boolean | readonly string[]>>;
}

/** Index of the table cell a row reaches in a term. */
export function termCell(term: Term, row: ArrayLike<number>): number {
  if (term.kind === 'main') {
    return binOf(row[term.feature] ?? Number.NaN, term.cuts);
  }
  const [a, b] = term.features;
  const binA = binOf(row[a] ?? Number.NaN, term.cuts[0]);
  const binB = binOf(row[b] ?? Number.NaN, term.cuts[1]);
  return binA * (term.cuts[1].length + 2) + binB;
}

/** One contribution per term, in term order, for an encoded row (specification order, NaN = missing). */
export function termContributions(model: GlassBoxModel, row: ArrayLike<number>): Float64Array {
  const out = new Float64Array(model.terms.length);
  model.terms.forEach((term, t) => {
    out[t] = term.values[termCell(term, row)] ?? 0;
  });
  return out;
}

export function logitOf(model: GlassBoxModel, contributions: Float64Array): number {
  let sum = model.intercept;
  for (const c of contributions) {
    sum += c;
  }
  return sum;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Probabilities of default for column-major data (as in a Dataset). */
export function predictColumns(model: GlassBoxModel, columns: readonly Float64Array[], rowCount: number): Float64Array {
  const logits = new Float64Array(rowCount).fill(model.intercept);
  const row = new Float64Array(columns.length);
  for (let i = 0; i < rowCount; i++) {
    for (let j = 0; j < columns.length; j++) {
      row[j] = columns[j]?.[i] ?? Number.NaN;
    }
    for (const term of model.terms) {
      logits[i] = (logits[i] ?? 0) + (term.values[termCell(term, row)] ?? 0);
    }
  }
  return logits.map(sigmoid);
}

/** Refuses a model that cannot be exported or scored: non-finite values or malformed tables. */
export function assertValidModel(model: GlassBoxModel): string[] {
  const problems: string[] = [];
  if (!Number.isFinite(model.intercept)) {
    problems.push('intercept is not finite');
  }
  model.terms.forEach((term) => {
    const expected =
      term.kind === 'main' ? term.cuts.length + 2 : (term.cuts[0].length + 2) * (term.cuts[1].length + 2);
    if (term.values.length !== expected) {
      problems.push(`${term.name}: ${term.values.length} values, expected ${expected}`);
    }
    if (term.values.some((v) => !Number.isFinite(v))) {
      problems.push(`${term.name}: non-finite value`);
    }
    const cutLists = term.kind === 'main' ? [term.cuts] : term.cuts;
    for (const cuts of cutLists) {
      if (cuts.some((c, k) => Math.fround(c) !== c || (k > 0 && !(c > (cuts[k - 1] ?? 0))))) {
        problems.push(`${term.name}: cuts must be ascending float32 values`);
      }
    }
  });
  return problems;
}
