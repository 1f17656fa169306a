/** The scoring engine's entry: a verified package scored by onnxruntime-node, explained exactly. */
import type { FeatureValues } from '../../shared/features';
import type { VerifiedPackage } from '../package/signing';
import { createOrtTermScorer, type OrtTermScorer } from './ort-session';
import { encodeApplicant, explainContributions, type ScoreResult } from './score';

export interface ModelScorer {
  readonly modelHash: string;
  readonly modelVersion: string;
  readonly policyVersion: string;
  score(values: FeatureValues): Promise<ScoreResult>;
  /** Raw contributions (rows × terms) for already-encoded rows, row-major float32. */
  contributions(encoded: Float32Array, rows: number): Promise<Float32Array>;
  release(): Promise<void>;
}

export async function createModelScorer(verified: VerifiedPackage): Promise<ModelScorer> {
  const { manifest } = verified;
  const ort: OrtTermScorer = await createOrtTermScorer(
    verified.onnx,
    manifest.spec.features.length,
    manifest.model.terms.length,
  );
  return {
    modelHash: verified.modelHash,
    modelVersion: manifest.modelVersion,
    policyVersion: manifest.policy.version,
    async score(values) {
      const row = encodeApplicant(manifest, values);
      const contributions = await ort.run(Float32Array.from(row), 1);
      return explainContributions(manifest, contributions);
    },
    contributions: (encoded, rows) => ort.run(encoded, rows),
    release: () => ort.release(),
  };
}
