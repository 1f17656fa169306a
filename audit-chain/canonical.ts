import canonicalize from 'canonicalize';
import { AuditChainError } from './errors';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type AuditPayload = { [key: string]: JsonValue };

/** RFC 8785 (JCS) canonical JSON text. */
export function canonicalJson(value: JsonValue): string {
  const text = canonicalize(value);
  if (text === undefined) {
    throw new AuditChainError('NOT_CANONICAL', 'Value cannot be canonicalised as JSON.');
  }
  return text;
}

export interface AuditEnvelope {
  readonly seq: number;
  readonly ts: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  /** Canonical JSON text of the payload object. */
  readonly payload: string;
}

export const AUDIT_FORMAT_VERSION = 1;

/**
 * The canonical text of an entry: `{"action","actor","payload","seq","subject","ts","v"}` in JCS key order.
 * Built by concatenation because verification runs over millions of rows: it equals
 * `canonicalize({...entry, payload: JSON.parse(payload), v: 1})` whenever `payload` is canonical, which every
 * appender guarantees, and a property test (canonical.test.ts) holds the two equal.
 */
export function canonicalEnvelope(entry: AuditEnvelope): string {
  return (
    `{"action":${JSON.stringify(entry.action)},"actor":${JSON.stringify(entry.actor)},` +
    `"payload":${entry.payload},"seq":${entry.seq},` +
    `"subject":${entry.subject === null ? 'null' : JSON.stringify(entry.subject)},` +
    `"ts":${JSON.stringify(entry.ts)},"v":${AUDIT_FORMAT_VERSION}}`
  );
}
