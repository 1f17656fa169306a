/** Every failure of the model pipeline carries a code a program can switch on. */
export const MODEL_ERROR_CODES = [
  'SPEC_INVALID',
  'FEATURE_DENIED',
  'DATA_INVALID',
  'TRAINING_FAILED',
  'MODEL_INVALID',
  'EXPORT_FAILED',
  'KEY_INVALID',
  'MODEL_SIGNATURE_MISSING',
  'MODEL_SIGNATURE_INVALID',
  'MODEL_HASH_MISMATCH',
  'MODEL_MANIFEST_INVALID',
  'MODEL_INCOMPATIBLE',
  'MODEL_FILE_MISSING',
  'INPUT_INVALID',
  'USAGE',
] as const;
export type ModelErrorCode = (typeof MODEL_ERROR_CODES)[number];

export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    readonly code: ModelErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isModelError(error: unknown): error is ModelError {
  return error instanceof ModelError;
}
