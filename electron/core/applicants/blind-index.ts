/**
 * Blind index for search without decryption: keyed HMAC-SHA256 tokens (truncated to 128 bits) of name-word prefixes,
 * phone-number suffixes, the whole phone number and the national id, each over a normalised value (a phone number in
 * E.164 form, whatever way it was written). The tokens reveal nothing without the index key, which lives in the
 * encrypted database; a search or a duplicate check computes the same tokens and matches them with an index lookup.
 */
import { createHmac } from 'node:crypto';
import { canonicalPhoneDigits } from './phone';

/**
 * The version of the token rules. Raise it whenever a normalisation changes: the applicant service then recomputes
 * the stored tokens once (index-upgrade.ts), or old rows would no longer be found. 1: raw phone digits; 2: E.164.
 */
export const BLIND_INDEX_VERSION = 2;

export type TokenKind = 'name' | 'phone' | 'phone-number' | 'nid';

const MIN_PREFIX = 2;
const MAX_PREFIX = 12;
const MIN_PHONE_SUFFIX = 4;

export function normaliseName(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter((w) => w.length > 0);
}

/** The digits a phone number is indexed by: its E.164 digits when it is a valid number, else the digits written. */
export function normalisePhone(phone: string): string {
  return canonicalPhoneDigits(phone) ?? phone.replace(/\D/g, '');
}

/** Text that reads as a phone number or its end: digits with the separators people write (`+`, spaces, dashes…). */
const PHONE_LIKE = /^[+\d\s\-().]+$/;

export function normaliseNationalId(id: string): string {
  return id.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}

export class BlindIndex {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = key;
  }

  token(kind: TokenKind, value: string): string {
    return createHmac('sha256', this.#key).update(`${kind}\u0000${value}`).digest('hex').slice(0, 32);
  }

  /** Every token an applicant is findable by. */
  tokensFor(person: { fullName: string; phone: string; nationalId: string }): string[] {
    const tokens = new Set<string>();
    for (const word of normaliseName(person.fullName)) {
      for (let n = MIN_PREFIX; n <= Math.min(word.length, MAX_PREFIX); n += 1) {
        tokens.add(this.token('name', word.slice(0, n)));
      }
    }
    const digits = normalisePhone(person.phone);
    for (let n = MIN_PHONE_SUFFIX; n <= digits.length; n += 1) {
      tokens.add(this.token('phone', digits.slice(-n)));
    }
    const whole = this.phoneNumberToken(person.phone);
    if (whole !== null) {
      tokens.add(whole);
    }
    tokens.add(this.token('nid', normaliseNationalId(person.nationalId)));
    return [...tokens];
  }

  /**
   * The exact token of a whole, valid phone number (null otherwise). Kept apart from the suffix tokens so a duplicate
   * check matches the same number only, not a longer foreign number that happens to end in the same digits.
   */
  phoneNumberToken(phone: string): string | null {
    const canonical = canonicalPhoneDigits(phone);
    return canonical === null ? null : this.token('phone-number', canonical);
  }

  /** The exact token of a national id, or null when too short to be one. */
  nationalIdToken(nationalId: string): string | null {
    const nid = normaliseNationalId(nationalId);
    return nid.length >= 5 ? this.token('nid', nid) : null;
  }

  /**
   * The token sets a query must match (all of them). Digits search phone suffixes or the national id;
   * words search name prefixes (longer words are cut to the indexed prefix length). Null when too short to search.
   */
  queryTokens(query: string): { all: string[] } | { any: string[] } | null {
    const trimmed = query.trim();
    const written = trimmed.replace(/\D/g, '');
    if (PHONE_LIKE.test(trimmed) && written.length >= MIN_PHONE_SUFFIX) {
      // A whole number in any written form finds the one number; fewer digits are the end of a number (or an id).
      const whole = this.phoneNumberToken(trimmed);
      const any = [this.token('phone', written), this.token('nid', normaliseNationalId(trimmed))];
      return { any: whole === null ? any : [whole, ...any] };
    }
    const words = normaliseName(trimmed).filter((w) => w.length >= MIN_PREFIX);
    if (words.length > 0) {
      return { all: [...new Set(words.map((w) => this.token('name', w.slice(0, MAX_PREFIX))))] };
    }
    const nid = normaliseNationalId(trimmed);
    return nid.length >= 5 ? { any: [this.token('nid', nid)] } : null;
  }
}
