/** Reads a feature specification JSON (or the built-in NEXIS one) and validates it with the shared schema. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FeatureSpec, NEXIS_FEATURE_SPEC } from '../../shared/features';
import { ModelError } from '../core/errors';

/** The name `--spec nexis` resolves to the product specification in shared/features. */
export const BUILTIN_SPECS: Readonly<Record<string, FeatureSpec>> = { nexis: NEXIS_FEATURE_SPEC };

export function parseSpec(json: unknown, source: string): FeatureSpec {
  const parsed = FeatureSpec.safeParse(json);
  if (!parsed.success) {
    throw new ModelError(
      'SPEC_INVALID',
      `${source} is not a valid feature specification:\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

export function loadSpec(pathOrName: string): FeatureSpec {
  const builtin = BUILTIN_SPECS[pathOrName];
  if (builtin !== undefined) {
    return builtin;
  }
  let text: string;
  try {
    text = readFileSync(pathOrName, 'utf8');
  } catch {
    throw new ModelError('SPEC_INVALID', `cannot read the specification file ${pathOrName}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelError('SPEC_INVALID', `${pathOrName} is not JSON`);
  }
  return parseSpec(json, pathOrName);
}
