/**
 * Turns spec values into the numeric row the model and the ONNX graph read: numbers stay numbers,
 * a category becomes its index in the specification, a missing value becomes NaN.
 */
import type { Feature, FeatureSpec, FeatureValues } from '../../shared/features';

/** Cell texts read as missing in a CSV. */
const MISSING_TOKENS = new Set(['', 'na', 'nan', 'null', 'none', '?']);

export function isMissingCell(cell: string): boolean {
  return MISSING_TOKENS.has(cell.trim().toLowerCase());
}

/** Encoded value of a CSV cell, or undefined when the cell is not a valid value of the feature. */
export function encodeCell(feature: Feature, cell: string): number | undefined {
  if (isMissingCell(cell)) {
    return Number.NaN;
  }
  const text = cell.trim();
  if (feature.kind === 'categorical') {
    const index = feature.categories.findIndex((c) => c.value === text);
    return index < 0 ? undefined : index;
  }
  const value = Number(text);
  if (!Number.isFinite(value) || value < feature.min || value > feature.max) {
    return undefined;
  }
  return value;
}

/**
 * Encodes validated applicant values in specification order. Validation is the caller's job
 * (`validateFeatureValues`); a value that is still not encodable is treated as missing.
 */
export function encodeValues(spec: FeatureSpec, values: FeatureValues): Float64Array {
  const row = new Float64Array(spec.features.length);
  spec.features.forEach((feature, j) => {
    const value = values[feature.key];
    if (value === null || value === undefined) {
      row[j] = Number.NaN;
    } else if (feature.kind === 'categorical') {
      const index = feature.categories.findIndex((c) => c.value === String(value));
      row[j] = index < 0 ? Number.NaN : index;
    } else {
      row[j] = typeof value === 'number' ? value : Number(value);
    }
  });
  return row;
}
