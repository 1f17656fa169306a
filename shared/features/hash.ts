/**
 * The specification hash binds a model package to the exact specification it was trained on.
 * Canonical JSON (RFC 8785 via `canonicalize`) makes the hash independent of key order and
 * formatting; the digest itself is injected because shared/ cannot import node:crypto.
 */
import canonicalize from 'canonicalize';
import type { FeatureSpec } from './schema';

/** Returns the lower-case hex SHA-256 of a UTF-8 string. */
export type Sha256Hex = (text: string) => string;

/** The exact text that is hashed: canonical JSON of the specification. */
export function canonicalSpecText(spec: FeatureSpec): string {
  const text = canonicalize(spec);
  if (text === undefined) {
    throw new TypeError('specification cannot be serialised to canonical JSON');
  }
  return text;
}

/** `sha256:<hex>` of the canonical specification. */
export function computeSpecHash(spec: FeatureSpec, sha256Hex: Sha256Hex): string {
  return `sha256:${sha256Hex(canonicalSpecText(spec))}`;
}
