import { NexisError } from '../errors';
import type { JsonValue } from './canonical';

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
        throw new NexisError('INTERNAL', `Audit entry "${action}" must not carry the personal field "${key}".`);
      }
      stack.push(inner);
    }
  }
}
