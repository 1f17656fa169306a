/**
 * Runs an exported glass-box model with onnxruntime-node. The session is created from bytes the
 * caller has already verified, never from a path, so what runs is exactly what was checked.
 */
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { ModelError } from '../core/errors';
import { ONNX_INPUT_NAME, ONNX_OUTPUT_NAME } from '../onnx/export';

export interface OrtTermScorer {
  readonly featureCount: number;
  readonly termCount: number;
  /** Contributions for `rows` encoded rows laid out row-major (NaN = missing); returns rows × terms. */
  run(encoded: Float32Array, rows: number): Promise<Float32Array>;
  release(): Promise<void>;
}

export async function createOrtTermScorer(
  onnxBytes: Uint8Array,
  featureCount: number,
  termCount: number,
): Promise<OrtTermScorer> {
  const session = await InferenceSession.create(onnxBytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  return {
    featureCount,
    termCount,
    async run(encoded, rows) {
      if (encoded.length !== rows * featureCount) {
        throw new ModelError('INPUT_INVALID', `expected ${rows * featureCount} values, got ${encoded.length}`);
      }
      const feeds = { [ONNX_INPUT_NAME]: new Tensor('float32', encoded, [rows, featureCount]) };
      const result = await session.run(feeds);
      const output = result[ONNX_OUTPUT_NAME];
      if (output === undefined || !(output.data instanceof Float32Array) || output.data.length !== rows * termCount) {
        throw new ModelError('MODEL_INVALID', 'the ONNX model returned an unexpected output');
      }
      return output.data;
    },
    release: () => session.release(),
  };
}
