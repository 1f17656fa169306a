import { describe, expect, it } from 'vitest';
import { NEXIS_FEATURE_SPEC, validateFeatureValues } from '../../shared/features';
import { generateSyntheticRows, syntheticCsv } from './synthetic';

describe('synthetic alternative-data generator', () => {
  const rows = generateSyntheticRows({ rows: 4000, seed: 5 });

  it('is deterministic under a seed', () => {
    expect(syntheticCsv({ rows: 200, seed: 5 })).toBe(syntheticCsv({ rows: 200, seed: 5 }));
    expect(syntheticCsv({ rows: 200, seed: 6 })).not.toBe(syntheticCsv({ rows: 200, seed: 5 }));
  });

  it('has a default rate between 15% and 25%', () => {
    const rate = rows.filter((r) => r.defaulted === 1).length / rows.length;
    expect(rate).toBeGreaterThan(0.15);
    expect(rate).toBeLessThan(0.25);
  });

  it('produces only values the specification accepts, with missing values in optional features', () => {
    for (const row of rows) {
      const values = Object.fromEntries(NEXIS_FEATURE_SPEC.features.map((f) => [f.key, row[f.key] ?? null]));
      expect(validateFeatureValues(NEXIS_FEATURE_SPEC, values)).toEqual([]);
    }
    expect(rows.some((r) => r.rentOnTime12m === null)).toBe(true);
  });

  it('generates protected attributes for fairness testing, outside the feature set', () => {
    const keys = new Set(NEXIS_FEATURE_SPEC.features.map((f) => f.key));
    for (const column of ['sex', 'ageYears', 'region']) {
      expect(keys.has(column)).toBe(false);
      expect(rows.every((r) => r[column] !== null && r[column] !== undefined)).toBe(true);
    }
  });
});
