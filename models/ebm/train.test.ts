import { describe, expect, it } from 'vitest';
import { NEXIS_FEATURE_SPEC, type FeatureSpec } from '../../shared/features';
import { ModelError } from '../core/errors';
import { datasetFromCsv } from '../data/dataset';
import { auc } from '../eval/metrics';
import { exportOnnx } from '../onnx/export';
import {
  CATEGORICAL_SPEC,
  FAST_OPTIONS,
  UNCONSTRAINED_SPEC,
  categoricalCsv,
  syntheticDataset,
} from '../testing/fixtures';
import { predictColumns, type MainTerm } from './model';
import { trainGlassBox } from './train';

const data = syntheticDataset(3000, 11);

describe('trainGlassBox', () => {
  it('is deterministic: the same seed gives a byte-identical model, another seed a different one', () => {
    const first = trainGlassBox(data, FAST_OPTIONS);
    const a = JSON.stringify(first);
    const b = JSON.stringify(trainGlassBox(data, FAST_OPTIONS));
    expect(Buffer.from(exportOnnx(first)).equals(Buffer.from(exportOnnx(JSON.parse(b) as typeof first)))).toBe(true);
    const c = JSON.stringify(trainGlassBox(data, { ...FAST_OPTIONS, seed: 8 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('keeps every shape monotone in the direction the specification gives', () => {
    const model = trainGlassBox(data, FAST_OPTIONS);
    let checked = 0;
    for (const term of model.terms) {
      expect(term.kind).toBe('main');
      const feature = NEXIS_FEATURE_SPEC.features[(term as MainTerm).feature];
      const sign = feature?.riskDirection === 'increasing' ? 1 : feature?.riskDirection === 'decreasing' ? -1 : 0;
      // Bin 0 is the missing bin and has no order; value bins start at 1.
      for (let b = 2; b < term.values.length; b++) {
        expect(
          sign * ((term.values[b] ?? 0) - (term.values[b - 1] ?? 0)),
          `${term.name} bin ${b}`,
        ).toBeGreaterThanOrEqual(-1e-12);
      }
      checked++;
    }
    expect(checked).toBe(NEXIS_FEATURE_SPEC.features.length);
  });

  it('learns something: held-out AUC well above chance on synthetic data', () => {
    const model = trainGlassBox(data, FAST_OPTIONS);
    const test = syntheticDataset(2000, 12);
    expect(auc(test.label, predictColumns(model, test.columns, test.rowCount))).toBeGreaterThan(0.7);
  });

  it('adds pair terms chosen by FAST only among unconstrained features', () => {
    const free = syntheticDataset(3000, 11, UNCONSTRAINED_SPEC);
    const model = trainGlassBox(free, FAST_OPTIONS);
    expect(model.terms.filter((t) => t.kind === 'pair')).toHaveLength(3);
    const mixed: FeatureSpec = {
      ...UNCONSTRAINED_SPEC,
      features: UNCONSTRAINED_SPEC.features.map((f, j) => (j < 12 ? (NEXIS_FEATURE_SPEC.features[j] ?? f) : f)),
    };
    const constrained = trainGlassBox(syntheticDataset(3000, 11, mixed), FAST_OPTIONS);
    for (const term of constrained.terms) {
      if (term.kind === 'pair') {
        expect(term.features.every((f) => f >= 12)).toBe(true);
      }
    }
  });

  it('trains on categorical features and missing values', () => {
    const table = datasetFromCsv(categoricalCsv(3000), CATEGORICAL_SPEC);
    const model = trainGlassBox(table, FAST_OPTIONS);
    const colour = model.terms.find((t) => t.name === 'colour');
    expect(colour?.values).toHaveLength(4);
    // red (bin 1) is riskier than blue (bin 3) in the generating process.
    expect((colour?.values[1] ?? 0) > (colour?.values[3] ?? 0)).toBe(true);
    const size = model.terms.find((t) => t.name === 'size');
    expect((size?.counts[0] ?? 0) > 0).toBe(true);
  });

  it('refuses a specification that uses a protected attribute, whatever the data says', () => {
    const withAge: FeatureSpec = {
      ...NEXIS_FEATURE_SPEC,
      features: [
        ...NEXIS_FEATURE_SPEC.features,
        {
          ...(NEXIS_FEATURE_SPEC.features[2] as (typeof NEXIS_FEATURE_SPEC.features)[number]),
          key: 'applicantAge',
          column: 'ageYears',
          label: { en: 'Age' },
        },
      ],
    };
    const table = syntheticDataset(500, 3, withAge);
    expect(() => trainGlassBox(table, FAST_OPTIONS)).toThrowError(ModelError);
    try {
      trainGlassBox(table, FAST_OPTIONS);
    } catch (error) {
      expect((error as ModelError).code).toBe('FEATURE_DENIED');
    }
  });

  it('keeps probabilities calibrated under balanced class weights', () => {
    const weighted = trainGlassBox(data, { ...FAST_OPTIONS, classWeight: 'balanced' });
    const p = predictColumns(weighted, data.columns, data.rowCount);
    const meanP = p.reduce((s, v) => s + v, 0) / p.length;
    const rate = data.label.reduce((s, v) => s + v, 0) / data.rowCount;
    expect(Math.abs(meanP - rate)).toBeLessThan(0.05);
  });
});
