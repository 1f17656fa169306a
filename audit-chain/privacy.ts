import type { JsonValue } from './canonical';
import { AuditChainError } from './errors';

/**
 * Audit payloads are kept for years and synced centrally, so they carry pseudonymous ids and masked values only.
 * This guard refuses the field names that would carry personal data or secrets in clear.
 */
const FORBIDDEN_KEYS = new Set([
  'name',
  'fullname',
  'firstname',
  'lastname',
  'displayname',
  'email',
  'phone',
  'phonenumber',
  'nationalid',
  'address',
  'dateofbirth',
  'dob',
  'password',
  'newpassword',
  'currentpassword',
  'passwordhash',
  'username',
]);

export function assertPseudonymousPayload(action: string, payload: { [key: string]: JsonValue }): void {
  const stack: JsonValue[] = [payload];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') {
      continue;
    }
    if (Array.isArray(value)) {
      stack.push(...value);
      continue;
    }
    for (const [key, inner] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key.toLowerCase().replace(/[^a-z]/g, ''))) {
        throw new AuditChainError(
          'PERSONAL_FIELD',
          `Audit entry "${action}" must not carry the personal field "${key}".`,
        );
      }
      stack.push(inner);
    }
  }
}

/** Actors that are roles of the program rather than people: the scheduler, an unauthenticated caller, the set-up CLI. */
export const NAMED_ACTORS: ReadonlySet<string> = new Set(['system', 'anonymous', 'bootstrap']);

/** `ADM-…`, `DEV-…`, `OFF-…`: three capitals, a dash, an opaque upper-case id. */
const PSEUDONYMOUS_ID = /^[A-Z]{3}-[0-9A-Z]{4,40}$/;

/**
 * Refuses an actor that is neither a pseudonymous id nor a named actor. A username would pass a looser rule (and
 * would stay in the append-only chain for good), so the set of words is closed.
 */
export function assertPseudonymousActor(action: string, actor: string): void {
  if (!PSEUDONYMOUS_ID.test(actor) && !NAMED_ACTORS.has(actor)) {
    throw new AuditChainError(
      'NOT_PSEUDONYMOUS',
      `Audit entry "${action}" must name its actor by a pseudonymous id (ADM-…, DEV-…) or as system/anonymous/bootstrap.`,
    );
  }
}
