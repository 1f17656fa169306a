/**
 * The candidate's card compares it with the champion in use on the candidate's own held-out rows: both figures are
 * recomputed here from the split, so a comparison on other rows (or the champion's own hold-out) fails.
 */
import { describe, expect, it } from 'vitest';
import { selectRows } from '../data/dataset';
import { stratifiedSplit } from '../data/split';
import { predictColumns } from '../ebm/model';
import { evaluate } from '../eval/metrics';
import { FAST_OPTIONS, syntheticDataset, UNCONSTRAINED_SPEC } from '../testing/fixtures';
import { modelCardMarkdown } from '../eval/model-card';
import { buildModelPackage } from './build-package';

const trainingData = { source: 'test', synthetic: true, license: 'test', description: 'test' };

describe('the champion comparison in the model card', () => {
  const champion = buildModelPackage({
    data: syntheticDataset(1500, 3),
    modelId: 'champion',
    modelVersion: '1.0.0',
    createdAt: '2026-01-01T00:00:00.000Z',
    options: FAST_OPTIONS,
    trainingData,
  });

  it('puts both models on the candidate’s held-out rows, with the share of changed policy outcomes', () => {
    const data = syntheticDataset(1500, 9);
    const candidate = buildModelPackage({
      data,
      modelId: 'candidate',
      modelVersion: '1.1.0',
      createdAt: '2026-02-01T00:00:00.000Z',
      options: FAST_OPTIONS,
      trainingData,
      champion: { manifest: champion.manifest, modelHash: 'sha256:test' },
    });
    const split = stratifiedSplit(data.label, 0.2, FAST_OPTIONS.seed ?? 42);
    const holdout = selectRows(data, split.holdout);
    const theirs = evaluate(holdout.label, predictColumns(champion.manifest.model, holdout.columns, holdout.rowCount));
    const comparison = candidate.card.championComparison;
    expect(comparison).toMatchObject({
      champion: { modelId: 'champion', modelVersion: '1.0.0', modelHash: 'sha256:test' },
      rows: holdout.rowCount,
    });
    expect(comparison?.candidateFigures.auc).toBe(candidate.manifest.metrics.holdout.auc);
    expect(comparison?.championFigures.auc).toBeCloseTo(theirs.auc, 12);
    expect(comparison?.championFigures.brier).toBeCloseTo(theirs.brier, 12);
    // Not the champion's own hold-out figure: other rows.
    expect(comparison?.championFigures.auc).not.toBe(champion.manifest.metrics.holdout.auc);
    expect(comparison?.aucDifference).toBeCloseTo(candidate.manifest.metrics.holdout.auc - theirs.auc, 12);
    expect(comparison?.outcomeChanges).toBeGreaterThan(0);
    expect(comparison?.outcomeChanges).toBeLessThan(1);
    const markdown = modelCardMarkdown(candidate.card);
    expect(markdown).toContain('## Against the champion in use');
    expect(markdown).toContain(`Both models on this package's ${holdout.rowCount} held-out rows`);
    expect(new TextDecoder().decode(candidate.files.get('model-card.json'))).toContain('"championComparison"');
  });

  it('refuses to compare with a champion of another feature specification', () => {
    expect(() =>
      buildModelPackage({
        data: syntheticDataset(800, 4, UNCONSTRAINED_SPEC),
        modelId: 'candidate',
        modelVersion: '1.1.0',
        createdAt: '2026-02-01T00:00:00.000Z',
        options: FAST_OPTIONS,
        trainingData,
        champion: { manifest: champion.manifest, modelHash: 'sha256:test' },
      }),
    ).toThrow(/scores another feature specification/);
  });
});
