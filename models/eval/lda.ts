/**
 * Less-discriminatory-alternative (LDA) search: when a model's approvals differ between groups of a protected
 * attribute, is there a model almost as accurate that differs less? Variants of the baseline are built and all of
 * them are evaluated on the same held-out rows:
 *
 * - `baseline`: the model as trained;
 * - `drop:<f>` for each of the top features that drive the worst disparity, and `drop-all` for all of them: retrained
 *   without the feature (its column is blanked for training and its term is then zero everywhere, see
 *   {@link neutraliseFeature}), so the other terms can take over what it carried;
 * - `cap:<f>` for each driver: its shape clipped to the 10th–90th percentile of its contributions on the training
 *   rows and re-centred (post hoc, not refitted). Clipping keeps a monotone shape monotone, so the specification's
 *   risk directions still hold.
 * - `smooth:<f>` for each numeric driver without a declared risk direction: its shape replaced by the closest
 *   monotone one (weighted isotonic regression over its bins, in the direction of its overall trend), re-centred
 *   (post hoc, not refitted). It removes the wiggles a group may sit in, not the trend.
 *
 * The drivers are found on the training rows (never the held-out rows the variants are judged on): features ranked
 * by how much more their terms raise the logit of default of the worst-treated group than of the most-favoured
 * group. Every variant gets its AUC and the lowest adverse impact ratio (AIR) at the approve cut-off over every
 * attribute's reliable groups; the frontier is the set no other variant beats on both. Selection
 * ({@link selectVariant}): among variants whose AUC is within the declared tolerance of the baseline's, the one with
 * the highest worst AIR, if it improves on the baseline by at least `minImprovement`; otherwise the baseline.
 *
 * Protected values are read here only to measure; no variant ever receives them as an input.
 */
import type { Dataset } from '../data/dataset';
import { predictColumns, termContributions, type GlassBoxModel, type MainTerm, type Term } from '../ebm/model';
import type { TrainOptions } from '../ebm/options';
import { trainGlassBox } from '../ebm/train';
import type { LdaSearch } from '../package/manifest';
import { scoreOf, type PolicyDefaults, type ScoreScaling } from '../scoring/scaling';
import {
  fairnessAtCutoffs,
  groupEdgesOf,
  groupOf,
  policyCutoffs,
  worstDisparity,
  type FairnessReport,
} from './fairness';
import { auc } from './metrics';

export type LdaVariant = LdaSearch['variants'][number];

export interface LdaOptions {
  /** Largest AUC loss against the baseline a variant may have and still be chosen. */
  readonly aucTolerance: number;
  /** How many top drivers to drop, cap and smooth. */
  readonly drivers?: number;
  /** Smallest worst-AIR gain over the baseline that justifies leaving the baseline. */
  readonly minImprovement?: number;
  readonly minGroupRows?: number;
  /** Which variant families to build besides the baseline (default both). */
  readonly families?: readonly LdaFamily[];
}

export type LdaFamily = 'drop' | 'cap' | 'smooth';

export interface LdaInput extends LdaOptions {
  readonly train: Dataset;
  readonly holdout: Dataset;
  readonly baseline: GlassBoxModel;
  readonly trainOptions?: Partial<TrainOptions>;
  readonly scaling: ScoreScaling;
  readonly policy: PolicyDefaults;
  /** Told before each variant is built (progress for the CLI). */
  readonly onVariant?: (name: string) => void;
}

export interface LdaResult {
  readonly search: Omit<LdaSearch, 'shipped'>;
  readonly models: ReadonlyMap<string, GlassBoxModel>;
}

export const DEFAULT_LDA_DRIVERS = 3;
export const DEFAULT_LDA_MIN_IMPROVEMENT = 0.01;

/** Holdout scores of a model, as the officer sees them. */
export function scoresOf(
  model: GlassBoxModel,
  data: Dataset,
  scaling: ScoreScaling,
): { p: Float64Array; scores: number[] } {
  const p = predictColumns(model, data.columns, data.rowCount);
  return { p, scores: Array.from(p, (q) => scoreOf(Math.log(q / (1 - q)), scaling)) };
}

/** Fairness of every protected column present in `data`, at the policy's cut-offs. */
export function fairnessOf(
  data: Dataset,
  scores: readonly number[],
  policy: PolicyDefaults,
  minGroupRows?: number,
): FairnessReport[] {
  return data.spec.protectedColumns
    .filter((p) => data.protectedValues.has(p.column))
    .map((p) =>
      fairnessAtCutoffs(
        p,
        data.protectedValues.get(p.column) ?? [],
        data.label,
        scores,
        policyCutoffs(policy),
        minGroupRows,
      ),
    );
}

/**
 * The model with feature `j` taking no part: its main term is zero in every bin, and a pair term that reads it
 * keeps, along that axis, the slice the training rows reached (the missing bin, as the column was blanked), so the
 * pair depends on its other feature only, exactly as it was trained. The feature stays in the specification and the
 * ONNX inputs (the input contract does not change); it just never moves the score or appears in a reason.
 */
export function neutraliseFeature(model: GlassBoxModel, j: number): GlassBoxModel {
  const terms: Term[] = model.terms.map((term) => {
    if (term.kind === 'main') {
      return term.feature === j ? { ...term, values: term.values.map(() => 0) } : term;
    }
    const [a, b] = term.features;
    if (a !== j && b !== j) {
      return term;
    }
    const nB = term.cuts[1].length + 2;
    const values = term.values.map((_, cell) => {
      const binA = Math.floor(cell / nB);
      const binB = cell % nB;
      const from = a === j ? binB : binA * nB;
      return term.values[from] ?? 0;
    });
    return { ...term, values };
  });
  return { ...model, terms };
}

/** The dataset with the given feature columns blanked (all missing), for training a variant without them. */
function withoutFeatures(data: Dataset, features: readonly number[]): Dataset {
  const blank = new Set(features);
  return {
    ...data,
    columns: data.columns.map((column, j) =>
      blank.has(j) ? new Float64Array(column.length).fill(Number.NaN) : column,
    ),
  };
}

/**
 * Feature `j`'s main-term shape clipped to the 10th–90th percentile of its contributions over the training rows
 * (bin counts as weights), re-centred so its training mean stays 0 (the intercept takes the shift).
 */
export function capFeature(model: GlassBoxModel, j: number): GlassBoxModel {
  let intercept = model.intercept;
  const terms = model.terms.map((term): Term => {
    if (term.kind !== 'main' || term.feature !== j) {
      return term;
    }
    const total = term.counts.reduce((s, c) => s + c, 0);
    if (total === 0) {
      return term;
    }
    const byValue = term.values.map((v, c) => [v, term.counts[c] ?? 0] as const).sort((x, y) => x[0] - y[0]);
    const quantile = (q: number): number => {
      let seen = 0;
      for (const [v, c] of byValue) {
        seen += c;
        if (seen >= q * total) {
          return v;
        }
      }
      return byValue[byValue.length - 1]?.[0] ?? 0;
    };
    const low = quantile(0.1);
    const high = quantile(0.9);
    const clipped = term.values.map((v) => Math.min(high, Math.max(low, v)));
    const mean = clipped.reduce((s, v, c) => s + v * (term.counts[c] ?? 0), 0) / total;
    intercept += mean;
    const capped: MainTerm = {
      ...term,
      values: clipped.map((v, c) => (c === 0 && (term.counts[0] ?? 0) === 0 ? 0 : v - mean)),
    };
    return capped;
  });
  return { ...model, intercept, terms };
}

/**
 * Weighted isotonic (non-decreasing) regression by pool-adjacent-violators: the non-decreasing sequence closest to
 * `values` in weighted least squares. Written here because it is a dozen lines and no dependency of the project has
 * it; weights of 0 are treated as tiny so empty bins follow their neighbours.
 */
export function isotonic(values: readonly number[], weights: readonly number[]): number[] {
  const blocks: Array<{ mean: number; weight: number; size: number }> = [];
  values.forEach((v, k) => {
    blocks.push({ mean: v, weight: Math.max(weights[k] ?? 0, 1e-9), size: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1] as { mean: number; weight: number; size: number };
      const before = blocks[blocks.length - 2] as { mean: number; weight: number; size: number };
      if (before.mean <= last.mean) {
        break;
      }
      const weight = before.weight + last.weight;
      blocks.splice(blocks.length - 2, 2, {
        mean: (before.mean * before.weight + last.mean * last.weight) / weight,
        weight,
        size: before.size + last.size,
      });
    }
  });
  return blocks.flatMap((b) => Array.from({ length: b.size }, () => b.mean));
}

/**
 * Feature `j`'s main-term shape made monotone over its value bins (the missing bin is left alone), in the direction
 * of its count-weighted trend, then re-centred on the training rows (the intercept takes the shift).
 */
export function smoothFeature(model: GlassBoxModel, j: number): GlassBoxModel {
  let intercept = model.intercept;
  const terms = model.terms.map((term): Term => {
    if (term.kind !== 'main' || term.feature !== j) {
      return term;
    }
    const total = term.counts.reduce((s, c) => s + c, 0);
    const bins = term.values.slice(1);
    const weights = term.counts.slice(1);
    const w = weights.reduce((s, c) => s + c, 0);
    if (total === 0 || w === 0 || bins.length < 2) {
      return term;
    }
    const meanBin = weights.reduce((s, c, k) => s + c * k, 0) / w;
    const meanValue = weights.reduce((s, c, k) => s + c * (bins[k] ?? 0), 0) / w;
    const slope = weights.reduce((s, c, k) => s + c * (k - meanBin) * ((bins[k] ?? 0) - meanValue), 0);
    const sign = slope < 0 ? -1 : 1;
    const fitted = isotonic(
      bins.map((v) => sign * v),
      weights,
    ).map((v) => sign * v);
    const values = [term.values[0] ?? 0, ...fitted];
    const mean = values.reduce((s, v, c) => s + v * (term.counts[c] ?? 0), 0) / total;
    intercept += mean;
    const smoothed: MainTerm = {
      ...term,
      values: values.map((v, c) => (c === 0 && (term.counts[0] ?? 0) === 0 ? 0 : v - mean)),
    };
    return smoothed;
  });
  return { ...model, intercept, terms };
}

/**
 * Per feature, mean logit contribution among the target group's rows minus among the reference group's rows (pair
 * terms split evenly between their two features). Positive: the feature raises the target group's risk more.
 */
export function disparityDrivers(
  model: GlassBoxModel,
  data: Dataset,
  column: string,
  target: string,
  reference: string,
): Array<{ feature: number; key: string; logitGap: number }> {
  const spec = data.spec.protectedColumns.find((p) => p.column === column);
  const values = data.protectedValues.get(column);
  const features = data.spec.features.length;
  const sums = { target: new Float64Array(features), reference: new Float64Array(features) };
  const counts = { target: 0, reference: 0 };
  if (spec !== undefined && values !== undefined) {
    const edges = groupEdgesOf(spec);
    const row = new Float64Array(features);
    values.forEach((raw, i) => {
      const group = groupOf(raw, edges);
      const side = group === target ? 'target' : group === reference ? 'reference' : undefined;
      if (side === undefined) {
        return;
      }
      counts[side]++;
      for (let j = 0; j < features; j++) {
        row[j] = data.columns[j]?.[i] ?? Number.NaN;
      }
      const contributions = termContributions(model, row);
      model.terms.forEach((term, t) => {
        const c = contributions[t] ?? 0;
        if (term.kind === 'main') {
          sums[side][term.feature] = (sums[side][term.feature] ?? 0) + c;
        } else {
          for (const f of term.features) {
            sums[side][f] = (sums[side][f] ?? 0) + c / 2;
          }
        }
      });
    });
  }
  return data.spec.features
    .map((f, j) => ({
      feature: j,
      key: f.key,
      logitGap:
        counts.target > 0 && counts.reference > 0
          ? (sums.target[j] ?? 0) / counts.target - (sums.reference[j] ?? 0) / counts.reference
          : 0,
    }))
    .sort((x, y) => y.logitGap - x.logitGap || x.feature - y.feature);
}

/** Marks each variant that no other beats on both AUC and worst AIR (ties on both count as not beaten). */
export function markFrontier<T extends { auc: number; worstAdverseImpactRatio: number }>(
  variants: readonly T[],
): Array<T & { onFrontier: boolean }> {
  return variants.map((v) => ({
    ...v,
    onFrontier: !variants.some(
      (u) =>
        u.auc >= v.auc &&
        u.worstAdverseImpactRatio >= v.worstAdverseImpactRatio &&
        (u.auc > v.auc || u.worstAdverseImpactRatio > v.worstAdverseImpactRatio),
    ),
  }));
}

const f3 = (x: number): string => x.toFixed(3);
const f4 = (x: number): string => x.toFixed(4);
const signed = (x: number, digits: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;

/**
 * The least discriminatory variant within the AUC tolerance, or the baseline. The first variant must be the
 * baseline. Returns the chosen name, a sentence saying why, and every variant marked `withinTolerance`.
 */
export function selectVariant<T extends { name: string; auc: number; worstAdverseImpactRatio: number }>(
  variants: readonly T[],
  aucTolerance: number,
  minImprovement = DEFAULT_LDA_MIN_IMPROVEMENT,
): { chosen: string; reason: string; variants: Array<T & { withinTolerance: boolean }> } {
  const baseline = variants[0];
  if (baseline === undefined) {
    throw new RangeError('selectVariant needs the baseline as its first variant');
  }
  // A tiny slack so an AUC equal to the bound up to rounding is not refused.
  const floor = baseline.auc - aucTolerance - 1e-12;
  const marked = variants.map((v) => ({ ...v, withinTolerance: v.auc >= floor }));
  let best = marked[0] as T & { withinTolerance: boolean };
  for (const v of marked) {
    if (
      v.withinTolerance &&
      (v.worstAdverseImpactRatio > best.worstAdverseImpactRatio ||
        (v.worstAdverseImpactRatio === best.worstAdverseImpactRatio && v.auc > best.auc))
    ) {
      best = v;
    }
  }
  const gain = best.worstAdverseImpactRatio - baseline.worstAdverseImpactRatio;
  if (best.name !== baseline.name && gain >= minImprovement - 1e-12) {
    return {
      chosen: best.name,
      reason:
        `${best.name} raises the worst-group adverse impact ratio from ${f3(baseline.worstAdverseImpactRatio)} to ${f3(best.worstAdverseImpactRatio)} (${signed(gain, 3)}), ` +
        `the most of the variants whose AUC is within the declared tolerance ${aucTolerance} of the baseline's; ` +
        `AUC ${f4(baseline.auc)} → ${f4(best.auc)} (${signed(best.auc - baseline.auc, 4)}).`,
      variants: marked,
    };
  }
  const others = marked.filter((v) => v.name !== baseline.name);
  const why =
    others.length === 0
      ? 'there was no variant to compare (no disparity driver found)'
      : best.name === baseline.name
        ? `no variant within the declared AUC tolerance ${aucTolerance} has a higher worst-group adverse impact ratio than the baseline's ${f3(baseline.worstAdverseImpactRatio)}`
        : `the best variant within the declared AUC tolerance ${aucTolerance}, ${best.name}, raises the worst-group adverse impact ratio by only ${signed(gain, 3)} (${f3(baseline.worstAdverseImpactRatio)} → ${f3(best.worstAdverseImpactRatio)}), less than the required ${minImprovement}`;
  return { chosen: baseline.name, reason: `baseline kept: ${why}.`, variants: marked };
}

/** Runs the search; see the file comment. Deterministic for the same data and training options. */
export function searchLessDiscriminatoryAlternatives(input: LdaInput): LdaResult {
  const { train, holdout, scaling, policy } = input;
  const driversWanted = input.drivers ?? DEFAULT_LDA_DRIVERS;
  const minImprovement = input.minImprovement ?? DEFAULT_LDA_MIN_IMPROVEMENT;
  const models = new Map<string, GlassBoxModel>([['baseline', input.baseline]]);
  const baselinePredicted = scoresOf(input.baseline, holdout, scaling);
  const target = worstDisparity(fairnessOf(holdout, baselinePredicted.scores, policy, input.minGroupRows));
  const drivers =
    target === null
      ? []
      : disparityDrivers(input.baseline, train, target.column, target.group, target.reference)
          .filter((d) => d.logitGap > 0)
          .slice(0, driversWanted);

  const planned: Array<{ name: string; kind: LdaVariant['kind']; features: number[]; description: string }> = [
    { name: 'baseline', kind: 'baseline', features: [], description: 'the model as trained' },
  ];
  for (const d of drivers) {
    planned.push({
      name: `drop:${d.key}`,
      kind: 'drop',
      features: [d.feature],
      description: `retrained without ${d.key}`,
    });
  }
  if (drivers.length > 1) {
    planned.push({
      name: 'drop-all',
      kind: 'drop-all',
      features: drivers.map((d) => d.feature),
      description: `retrained without ${drivers.map((d) => d.key).join(', ')}`,
    });
  }
  for (const d of drivers) {
    planned.push({
      name: `cap:${d.key}`,
      kind: 'cap',
      features: [d.feature],
      description: `${d.key} shape clipped to its 10th–90th percentile contribution`,
    });
  }
  for (const d of drivers) {
    const feature = train.spec.features[d.feature];
    if (feature !== undefined && feature.kind !== 'categorical' && feature.riskDirection === 'none') {
      planned.push({
        name: `smooth:${d.key}`,
        kind: 'smooth',
        features: [d.feature],
        description: `${d.key} shape made monotone (isotonic fit to its own shape)`,
      });
    }
  }

  const families = new Set<string>(input.families ?? ['drop', 'cap', 'smooth']);
  const keys = train.spec.features.map((f) => f.key);
  const evaluated = planned
    .filter((plan) => plan.kind === 'baseline' || families.has(plan.kind === 'drop-all' ? 'drop' : plan.kind))
    .map((plan) => {
      let model = input.baseline;
      if (plan.kind === 'drop' || plan.kind === 'drop-all') {
        input.onVariant?.(plan.name);
        model = trainGlassBox(withoutFeatures(train, plan.features), input.trainOptions);
        for (const j of plan.features) {
          model = neutraliseFeature(model, j);
        }
        model = { ...model, training: { ...model.training, ldaVariant: plan.name } };
      } else if (plan.kind === 'cap' || plan.kind === 'smooth') {
        const edit = plan.kind === 'cap' ? capFeature : smoothFeature;
        model = edit(input.baseline, plan.features[0] ?? -1);
        model = { ...model, training: { ...model.training, ldaVariant: plan.name } };
      }
      models.set(plan.name, model);
      const { p: probabilities, scores } =
        plan.kind === 'baseline'
          ? { p: baselinePredicted.p, scores: baselinePredicted.scores }
          : scoresOf(model, holdout, scaling);
      const reports = fairnessOf(holdout, scores, policy, input.minGroupRows);
      const worst = worstDisparity(reports);
      const targetReport = target === null ? undefined : reports.find((r) => r.column === target.column);
      const targetGroup = targetReport?.cutoffs[0]?.groups.find((g) => g.group === target?.group);
      let approved = 0;
      for (const s of scores) {
        approved += s >= policy.approveAtOrAbove ? 1 : 0;
      }
      return {
        name: plan.name,
        kind: plan.kind,
        features: plan.features.map((j) => keys[j] ?? String(j)),
        description: plan.description,
        auc: auc(holdout.label, probabilities),
        worstAdverseImpactRatio: worst?.ratio ?? 1,
        worstAttribute: worst?.attribute ?? null,
        worstGroup: worst?.group ?? null,
        targetAdverseImpactRatio: targetGroup?.adverseImpactRatio ?? 1,
        approvalRate: scores.length > 0 ? approved / scores.length : 0,
      };
    });
  const selection = selectVariant(markFrontier(evaluated), input.aucTolerance, minImprovement);
  return {
    search: {
      target:
        target === null
          ? null
          : {
              attribute: target.attribute,
              column: target.column,
              group: target.group,
              reference: target.reference,
              adverseImpactRatio: target.ratio,
            },
      drivers: drivers.map((d) => ({ feature: d.key, logitGap: d.logitGap })),
      aucTolerance: input.aucTolerance,
      minImprovement,
      variants: selection.variants,
      recommended: selection.chosen,
      reason: selection.reason,
    },
    models,
  };
}
