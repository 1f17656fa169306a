/**
 * The less-discriminatory-alternative search: the selection rule on variants whose figures are set by hand, the
 * feature-neutralising and shape-capping edits, and the whole search on a synthetic table where a proxy feature
 * (correlated with the protected group, weakly with default) drives the disparity.
 */
import { describe, expect, it } from 'vitest';
import type { FeatureSpec } from '../../shared/features';
import { createRng } from '../core/prng';
import { datasetFromCsv, selectRows, type Dataset } from '../data/dataset';
import { stratifiedSplit } from '../data/split';
import { predictColumns, termContributions, type GlassBoxModel } from '../ebm/model';
import { trainGlassBox } from '../ebm/train';
import { ModelManifestSchema } from '../package/manifest';
import { buildModelPackage } from '../pipeline/build-package';
import { DEFAULT_SCALING } from '../scoring/scaling';
import { FAST_OPTIONS, syntheticDataset } from '../testing/fixtures';
import {
  capFeature,
  disparityDrivers,
  markFrontier,
  neutraliseFeature,
  searchLessDiscriminatoryAlternatives,
  isotonic,
  selectVariant,
  smoothFeature,
  type LdaFamily,
} from './lda';
import { buildModelCard, modelCardMarkdown } from './model-card';

const numeric = (key: string): FeatureSpec['features'][number] => ({
  key,
  label: { en: key },
  description: { en: key },
  unit: 'score',
  kind: 'numeric',
  min: -10,
  max: 10,
  required: true,
  actionable: false,
  riskDirection: 'none',
  reasonText: { en: key },
});

/** `signal` carries most of the risk; `proxy` sits 1.5 SD apart between groups A and B and carries a little. */
const PROXY_SPEC: FeatureSpec = {
  id: 'lda-proxy-test',
  version: '1.0.0',
  title: 'proxy test table',
  label: { column: 'bad', defaultValues: ['1'] },
  protectedColumns: [{ column: 'grp', attribute: 'sex' }],
  features: [numeric('signal'), numeric('proxy')],
};

function proxyCsv(rows: number, seed: number): string {
  const rng = createRng(seed);
  const lines = ['signal,proxy,grp,bad'];
  for (let i = 0; i < rows; i++) {
    const b = rng.next() < 0.5;
    const signal = rng.normal();
    const proxy = (b ? 0.75 : -0.75) + rng.normal();
    const logit = -2.6 + 1.4 * signal + 0.35 * proxy;
    const bad = rng.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    lines.push(`${signal.toFixed(4)},${proxy.toFixed(4)},${b ? 'B' : 'A'},${bad}`);
  }
  return lines.join('\n');
}

const OPTIONS = { ...FAST_OPTIONS, interactions: 0 };

function split(data: Dataset): { train: Dataset; holdout: Dataset } {
  const s = stratifiedSplit(data.label, 0.3, 11);
  return { train: selectRows(data, s.train), holdout: selectRows(data, s.holdout) };
}

describe('selecting a variant', () => {
  const v = (name: string, auc: number, worstAdverseImpactRatio: number) => ({ name, auc, worstAdverseImpactRatio });

  it('picks the least discriminatory variant within the AUC tolerance', () => {
    const picked = selectVariant(
      [v('baseline', 0.8, 0.7), v('a', 0.797, 0.78), v('b', 0.79, 0.95), v('c', 0.801, 0.72)],
      0.005,
    );
    expect(picked.chosen).toBe('a');
    expect(picked.variants.map((x) => x.withinTolerance)).toEqual([true, true, false, true]);
    expect(picked.reason).toMatch(/^a raises the worst-group adverse impact ratio from 0\.700 to 0\.780/);
  });

  it('keeps the baseline when no variant within the tolerance does better', () => {
    const picked = selectVariant([v('baseline', 0.8, 0.7), v('b', 0.79, 0.95), v('c', 0.801, 0.65)], 0.005);
    expect(picked.chosen).toBe('baseline');
    expect(picked.reason).toMatch(/^baseline kept: no variant within the declared AUC tolerance 0\.005/);
  });

  it('keeps the baseline when the gain is below the minimum improvement', () => {
    const picked = selectVariant([v('baseline', 0.8, 0.7), v('a', 0.8, 0.705)], 0.005, 0.01);
    expect(picked.chosen).toBe('baseline');
    expect(picked.reason).toMatch(/raises the worst-group adverse impact ratio by only \+0\.005/);
    expect(selectVariant([v('baseline', 0.8, 0.7), v('a', 0.8, 0.705)], 0.005, 0.001).chosen).toBe('a');
  });

  it('marks the frontier of AUC versus worst AIR', () => {
    const marked = markFrontier([v('baseline', 0.8, 0.7), v('a', 0.79, 0.8), v('b', 0.78, 0.75), v('c', 0.8, 0.7)]);
    expect(marked.map((x) => x.onFrontier)).toEqual([true, true, false, true]);
  });
});

describe('editing a trained model', () => {
  const data = datasetFromCsv(proxyCsv(1500, 5), PROXY_SPEC);
  const model = trainGlassBox(data, OPTIONS);

  it('neutralising a feature makes the score independent of it', () => {
    const without = neutraliseFeature(model, 1);
    const moved = {
      ...data,
      columns: [data.columns[0] as Float64Array, (data.columns[1] as Float64Array).map((x) => x + 3)],
    };
    expect(Array.from(predictColumns(without, moved.columns, 50))).toEqual(
      Array.from(predictColumns(without, data.columns, 50)),
    );
    expect(Array.from(predictColumns(model, moved.columns, 50))).not.toEqual(
      Array.from(predictColumns(model, data.columns, 50)),
    );
  });

  it('neutralising keeps a pair term as a function of its other feature, as it was trained', () => {
    const pair: GlassBoxModel = {
      ...model,
      terms: [
        {
          kind: 'pair',
          features: [0, 1],
          name: 'p',
          cuts: [[0], [0]],
          values: [1, 2, 3, 4, 5, 6, 7, 8, 9],
          counts: [],
        },
      ],
    };
    // Row-major 3 × 3 (bin 0 missing); feature 1 neutralised: every cell takes its row's missing-bin value.
    expect(neutraliseFeature(pair, 1).terms[0]?.values).toEqual([1, 1, 1, 4, 4, 4, 7, 7, 7]);
    expect(neutraliseFeature(pair, 0).terms[0]?.values).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3]);
  });

  it('capping clips a shape to its 10th–90th percentile and keeps it centred and ordered', () => {
    const capped = capFeature(model, 1);
    const before = model.terms.find((t) => t.kind === 'main' && t.feature === 1);
    const after = capped.terms.find((t) => t.kind === 'main' && t.feature === 1);
    if (before === undefined || after === undefined) {
      throw new Error('no proxy term');
    }
    const spread = (values: readonly number[]): number => Math.max(...values) - Math.min(...values);
    expect(spread(after.values)).toBeLessThan(spread(before.values));
    const mean = after.values.reduce((s, x, c) => s + x * (after.counts[c] ?? 0), 0) / data.rowCount;
    expect(mean).toBeCloseTo(0, 9);
    // Clipping is monotone: bins keep their order.
    before.values.forEach((x, c) =>
      before.values.forEach((y, d) => {
        if (x < y) {
          expect(after.values[c] ?? 0).toBeLessThanOrEqual(after.values[d] ?? 0);
        }
      }),
    );
    // The other term is untouched.
    expect(capped.terms.find((t) => t.kind === 'main' && t.feature === 0)).toEqual(
      model.terms.find((t) => t.kind === 'main' && t.feature === 0),
    );
    expect(termContributions(capped, [0, 0])).toHaveLength(model.terms.length);
  });
});

describe('monotone smoothing', () => {
  it('fits the closest non-decreasing sequence, weighted', () => {
    expect(isotonic([1, 3, 2, 4], [1, 1, 1, 1])).toEqual([1, 2.5, 2.5, 4]);
    expect(isotonic([1, 3, 2, 4], [1, 3, 1, 1])).toEqual([1, 2.75, 2.75, 4]);
    expect(isotonic([5, 4, 3], [1, 1, 1])).toEqual([4, 4, 4]);
    expect(isotonic([1, 2, 3], [1, 1, 1])).toEqual([1, 2, 3]);
  });

  it('makes a wiggly decreasing shape monotone in its own direction and re-centres it', () => {
    const model: GlassBoxModel = {
      format: 'nexis-glassbox/1',
      specId: 's',
      specVersion: '1',
      featureKeys: ['x'],
      intercept: -1,
      terms: [
        {
          kind: 'main',
          feature: 0,
          name: 'x',
          cuts: [1, 2, 3],
          values: [0, 0.6, 0.1, 0.3, -1],
          counts: [0, 10, 10, 10, 10],
        },
      ],
      training: {},
    };
    const smoothed = smoothFeature(model, 0);
    const values = smoothed.terms[0]?.values ?? [];
    // Bins 1..4 become 0.6, 0.2, 0.2, −1 (0.1 and 0.3 pooled), then the weighted mean (0) is already 0.
    expect(values.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, 0.6, 0.2, 0.2, -1]);
    expect(smoothed.intercept).toBeCloseTo(-1, 12);
    // An already monotone shape is left as it is.
    expect(smoothFeature(smoothed, 0).terms[0]?.values).toEqual(values);
  });
});

describe('the search', () => {
  const { train, holdout } = split(datasetFromCsv(proxyCsv(3000, 9), PROXY_SPEC));
  const baseline = trainGlassBox(train, OPTIONS);
  const policy = { version: 'test', approveAtOrAbove: 600, declineBelow: 560 };
  const run = (aucTolerance: number, families?: readonly LdaFamily[]) =>
    searchLessDiscriminatoryAlternatives({
      train,
      holdout,
      baseline,
      trainOptions: OPTIONS,
      scaling: DEFAULT_SCALING,
      policy,
      aucTolerance,
      drivers: 2,
      ...(families === undefined ? {} : { families }),
    });

  it('finds the proxy as the driver of the disparity against group B', () => {
    const drivers = disparityDrivers(baseline, train, 'grp', 'B', 'A');
    expect(drivers[0]?.key).toBe('proxy');
    expect(drivers[0]?.logitGap).toBeGreaterThan(0.2);
    const result = run(0.05);
    expect(result.search.target).toMatchObject({ attribute: 'sex', group: 'B', reference: 'A' });
    expect(result.search.drivers[0]?.feature).toBe('proxy');
    expect(result.search.variants.map((x) => x.name)).toContain('drop:proxy');
    expect(result.search.variants[0]?.name).toBe('baseline');
  });

  it('picks the variant without the proxy within a generous tolerance: better AIR, AUC within tolerance', () => {
    const { search, models } = run(0.05);
    const base = search.variants[0];
    const chosen = search.variants.find((x) => x.name === search.recommended);
    expect(search.recommended).toBe('drop:proxy');
    if (base === undefined || chosen === undefined) {
      throw new Error('missing variants');
    }
    expect(chosen.auc).toBeGreaterThanOrEqual(base.auc - 0.05);
    expect(chosen.worstAdverseImpactRatio).toBeGreaterThan(base.worstAdverseImpactRatio + 0.05);
    expect(chosen.onFrontier).toBe(true);
    // Its model never reads the proxy, and never a protected column.
    const model = models.get('drop:proxy');
    expect(model?.featureKeys).toEqual(['signal', 'proxy']);
    expect(model?.terms.filter((t) => t.kind === 'main' && t.feature === 1).flatMap((t) => t.values)).toSatisfy(
      (values: number[]) => values.every((x) => x === 0),
    );
  });

  it('keeps the baseline when the tolerance admits no variant that does better', () => {
    // Dropping the proxy costs AUC (it carries some risk), so a zero tolerance refuses it.
    const strict = run(0, ['drop']);
    expect(strict.search.variants.map((x) => x.name)).toEqual(['baseline', 'drop:proxy', 'drop:signal', 'drop-all']);
    expect(strict.search.variants.find((x) => x.name === 'drop:proxy')?.withinTolerance).toBe(false);
    const base = strict.search.variants[0];
    const better = strict.search.variants.filter(
      (x) => x.withinTolerance && x.worstAdverseImpactRatio >= (base?.worstAdverseImpactRatio ?? 0) + 0.01,
    );
    expect(better).toEqual([]);
    expect(strict.search.recommended).toBe('baseline');
    expect(strict.search.reason).toMatch(/^baseline kept/);
  });
});

describe('the package with the search', () => {
  const data = datasetFromCsv(proxyCsv(3000, 9), PROXY_SPEC);
  const build = (select: boolean) =>
    buildModelPackage({
      data,
      modelId: 'lda-test',
      modelVersion: '0.1.0',
      createdAt: '2026-01-01T00:00:00.000Z',
      holdoutFraction: 0.3,
      options: OPTIONS,
      policy: { version: 'test', approveAtOrAbove: 600, declineBelow: 560 },
      trainingData: { source: 'test', synthetic: true, license: 'test', description: 'test' },
      lda: { aucTolerance: 0.05, drivers: 1, select },
    });

  it('ships the recommended variant with --lda-select, describes it in manifest and card', () => {
    const built = build(true);
    const lda = built.manifest.lessDiscriminatoryAlternatives;
    expect(lda?.recommended).toBe('drop:proxy');
    expect(lda?.shipped).toBe('drop:proxy');
    const shipped = lda?.variants.find((x) => x.name === 'drop:proxy');
    // The manifest's metrics and fairness describe the model that ships.
    expect(built.manifest.metrics.holdout.auc).toBeCloseTo(shipped?.auc ?? NaN, 12);
    expect(built.manifest.fairness[0]?.cutoffs?.[0]?.worstAdverseImpactRatio).toBeCloseTo(
      shipped?.worstAdverseImpactRatio ?? NaN,
      12,
    );
    expect(built.model.training.ldaVariant).toBe('drop:proxy');
    expect(ModelManifestSchema.parse(JSON.parse(new TextDecoder().decode(built.files.get('manifest.json'))))).toEqual(
      built.manifest,
    );
    const markdown = new TextDecoder().decode(built.files.get('model-card.md'));
    expect(markdown).toContain('## Less discriminatory alternatives');
    expect(markdown).toContain('| drop:proxy **(shipped)** |');
    expect(markdown).toContain('Recommended: drop:proxy. drop:proxy raises the worst-group adverse impact ratio');
    const card = JSON.parse(new TextDecoder().decode(built.files.get('model-card.json'))) as {
      lessDiscriminatoryAlternatives?: unknown;
    };
    expect(card.lessDiscriminatoryAlternatives).toEqual(lda);
  });

  it('reports but ships the baseline without --lda-select', () => {
    const built = build(false);
    expect(built.manifest.lessDiscriminatoryAlternatives).toMatchObject({
      recommended: 'drop:proxy',
      shipped: 'baseline',
    });
    expect(built.model.training.ldaVariant).toBeUndefined();
    expect(new TextDecoder().decode(built.files.get('model-card.md'))).toContain('| baseline **(shipped)** |');
  });

  it('keeps older manifests valid: the per-cut-off fairness and the search are optional', () => {
    const built = buildModelPackage({
      data: syntheticDataset(1200, 3),
      modelId: 'old-test',
      modelVersion: '0.1.0',
      createdAt: '2026-01-01T00:00:00.000Z',
      options: FAST_OPTIONS,
      trainingData: { source: 'test', synthetic: true, license: 'test', description: 'test' },
    });
    expect(built.manifest.lessDiscriminatoryAlternatives).toBeUndefined();
    // Protected columns are measured, never model inputs.
    expect(built.manifest.fairness.map((f) => f.column)).toEqual(['sex', 'ageYears', 'region']);
    for (const column of ['sex', 'ageYears', 'region']) {
      expect(built.model.featureKeys).not.toContain(column);
    }
    const old = {
      ...built.manifest,
      fairness: built.manifest.fairness.map((f) => ({
        attribute: f.attribute,
        column: f.column,
        cutoffScore: f.cutoffScore,
        groups: f.groups.map((g) => ({
          group: g.group,
          rows: g.rows,
          defaultRate: g.defaultRate,
          approvalRate: g.approvalRate,
          truePositiveRate: g.truePositiveRate,
        })),
        approvalRateRatio: f.approvalRateRatio,
        truePositiveRateDifference: f.truePositiveRateDifference,
        fourFifthsRuleMet: f.fourFifthsRuleMet,
        minGroupRows: f.minGroupRows,
      })),
    };
    const parsed = ModelManifestSchema.parse(old);
    const markdown = modelCardMarkdown(buildModelCard(parsed));
    expect(markdown).toContain('Approval-rate ratio');
    expect(markdown).not.toContain('Less discriminatory alternatives');
  });
});
