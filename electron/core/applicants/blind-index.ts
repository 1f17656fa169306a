/**
 * Blind index for search without decryption: keyed HMAC-SHA256 tokens (truncated to 128 bits) of name-word prefixes,
 * phone-number suffixes and the national id. The tokens reveal nothing without the index key, which lives in the
 * encrypted database; a search computes the same tokens for the query and matches them with an index lookup.
 */
import { createHmac } from 'node:crypto';

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

export function normalisePhone(phone: string): string {
  return phone.replace(/\D/g, '');
}

export function normaliseNationalId(id: string): string {
  return id.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}

export class BlindIndex {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = key;
  }

  token(kind: 'name' | 'phone' | 'nid', value: string): string {
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
    tokens.add(this.token('nid', normaliseNationalId(person.nationalId)));
    return [...tokens];
  }

  /**
   * The token sets a query must match (all of them). Digits search phone suffixes or the national id;
   * words search name prefixes (longer words are cut to the indexed prefix length). Null when too short to search.
   */
  queryTokens(query: string): { all: string[] } | { any: string[] } | null {
    const trimmed = query.trim();
    const digits = normalisePhone(trimmed);
    if (/^[+\d\s-]+$/.test(trimmed) && digits.length >= MIN_PHONE_SUFFIX) {
      return { any: [this.token('phone', digits), this.token('nid', normaliseNationalId(trimmed))] };
    }
    const words = normaliseName(trimmed).filter((w) => w.length >= MIN_PREFIX);
    if (words.length > 0) {
      return { all: [...new Set(words.map((w) => this.token('name', w.slice(0, MAX_PREFIX))))] };
    }
    const nid = normaliseNationalId(trimmed);
    return nid.length >= 5 ? { any: [this.token('nid', nid)] } : null;
  }
}
