/**
 * Exact explanations at batch speed. The best attainable reference of every term is computed once per model (cached
 * by the runtime), so explaining a row is one pass over its term contributions: the same function the runtime's
 * reference path uses, hence identical results (tested).
 */
import {
  attributeLoss,
  explainContributions,
  pointsFactor,
  reasonsFromLoss,
  termContributions,
  type FeatureReason,
  type ModelManifest,
  type ScoreResult,
} from '../../../models/runtime';

export interface Explainer {
  explain(row: Float64Array, contributions: ArrayLike<number>): ScoreResult;
  /** The principal reasons of an encoded row, largest points lost first (at most four). */
  reasons(row: Float64Array): FeatureReason[];
}

export function createExplainer(manifest: ModelManifest): Explainer {
  const { spec, model, scaling } = manifest;
  const factor = pointsFactor(scaling);
  return {
    explain: (_row, contributions) => explainContributions(manifest, contributions),
    reasons: (row) => reasonsFromLoss(spec, attributeLoss(spec, model, termContributions(model, row)).lost, factor),
  };
}
