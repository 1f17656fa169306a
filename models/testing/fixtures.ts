/** Small deterministic datasets and models for tests: no file outside the repository is needed. */
import { NEXIS_FEATURE_SPEC, type FeatureSpec } from '../../shared/features';
import { datasetFromCsv, type Dataset } from '../data/dataset';
import { syntheticCsv } from '../data/synthetic';
import type { TrainOptions } from '../ebm/options';

/** Synthetic NEXIS applicants read through the product specification. */
export function syntheticDataset(rows: number, seed: number, spec: FeatureSpec = NEXIS_FEATURE_SPEC): Dataset {
  return datasetFromCsv(syntheticCsv({ rows, seed }), spec);
}

/** The NEXIS specification without monotone constraints, so the trainer also learns pair terms. */
export const UNCONSTRAINED_SPEC: FeatureSpec = {
  ...NEXIS_FEATURE_SPEC,
  id: 'nexis-unconstrained-test',
  features: NEXIS_FEATURE_SPEC.features.map((f) => ({ ...f, riskDirection: 'none' as const })),
};

/** Quick settings: tests check behaviour, not accuracy. */
export const FAST_OPTIONS: Partial<TrainOptions> = {
  seed: 7,
  maxBins: 64,
  maxInteractionBins: 12,
  maxRounds: 200,
  earlyStoppingRounds: 20,
  smoothingRounds: 10,
  outerBags: 2,
  interactions: 3,
};

/** A categorical + numeric table with a known signal, CSV text. */
export function categoricalCsv(rows: number): string {
  const lines = ['colour,size,outcome'];
  let state = 12345;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const colours = ['red', 'green', 'blue'];
  for (let i = 0; i < rows; i++) {
    const colour = colours[Math.floor(next() * 3)] ?? 'red';
    const size = Math.round(next() * 100);
    const risk = (colour === 'red' ? 0.6 : colour === 'blue' ? 0.1 : 0.3) + size / 400;
    lines.push(`${colour},${next() < 0.1 ? '' : size},${next() < risk ? 'bad' : 'good'}`);
  }
  return lines.join('\n');
}

export const CATEGORICAL_SPEC: FeatureSpec = {
  id: 'categorical-test',
  version: '1.0.0',
  title: 'categorical test table',
  label: { column: 'outcome', defaultValues: ['bad'] },
  protectedColumns: [],
  features: [
    {
      key: 'colour',
      label: { en: 'Colour' },
      description: { en: 'a category' },
      unit: 'category',
      kind: 'categorical',
      categories: [
        { value: 'red', label: { en: 'red' } },
        { value: 'green', label: { en: 'green' } },
        { value: 'blue', label: { en: 'blue' } },
      ],
      required: true,
      actionable: false,
      riskDirection: 'none',
      reasonText: { en: 'colour' },
    },
    {
      key: 'size',
      label: { en: 'Size' },
      description: { en: 'a number' },
      unit: 'cm',
      kind: 'numeric',
      min: 0,
      max: 100,
      required: false,
      actionable: false,
      riskDirection: 'increasing',
      reasonText: { en: 'size' },
    },
  ],
};
