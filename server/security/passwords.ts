/**
 * Administrator password hashes: scrypt at OWASP's recommended cost (N = 2^17, r = 8, p = 1; Password Storage Cheat
 * Sheet), stored with their parameters so the cost can rise later without invalidating existing hashes. Node's own
 * scrypt is used: it is the reference primitive and needs no native add-on.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const OWASP_SCRYPT: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
const HASH = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}

export async function hashPassword(password: string, cost: ScryptCost = OWASP_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = HASH.exec(stored);
  if (m === null) {
    return false;
  }
  const cost = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  const expected = Buffer.from(m[5] ?? '', 'base64');
  const key = await derive(password, Buffer.from(m[4] ?? '', 'base64'), cost);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** The cost a stored hash was made with (tests check the default; a rehash policy can compare). */
export function costOf(stored: string): ScryptCost | undefined {
  const m = HASH.exec(stored);
  return m === null ? undefined : { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
}

/**
 * Unknown user names cost the same scrypt work as known ones, so response time does not tell which names exist.
 * The hash is made once per process with a random password nobody knows.
 */
let decoy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string, cost: ScryptCost): Promise<void> {
  decoy ??= hashPassword(randomBytes(16).toString('base64'), cost);
  await verifyPassword(password, await decoy);
}
