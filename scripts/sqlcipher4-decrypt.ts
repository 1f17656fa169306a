/**
 * An independent SQLCipher 4 page decoder written from the published format (default settings: 4096-byte pages,
 * AES-256-CBC, HMAC-SHA512, 16-byte salt, 80 reserved bytes per page). It shares no code with the cipher library
 * the app uses, so a database that decodes here is proven to be standard SQLCipher 4 and not a private format.
 *
 * Usage: tsx scripts/sqlcipher4-decrypt.ts <encrypted.db> <out-plain.db>   (key in NEXIS_DB_KEY, 64 hex chars)
 * The output is a plain SQLite file: handle it as the personal data it is, and delete it after use.
 */
import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PAGE_SIZE = 4096;
const SALT_BYTES = 16;
const IV_BYTES = 16;
const HMAC_BYTES = 64;
const RESERVE = IV_BYTES + HMAC_BYTES;
const HMAC_SALT_MASK = 0x3a;
const HMAC_KDF_ITERATIONS = 2;

export function decryptSqlcipher4(file: Buffer, rawKey: Uint8Array): Buffer {
  if (rawKey.length !== 32) {
    throw new Error('SQLCipher raw key must be 32 bytes');
  }
  if (file.length === 0 || file.length % PAGE_SIZE !== 0) {
    throw new Error('file size is not a multiple of 4096');
  }
  const salt = file.subarray(0, SALT_BYTES);
  const hmacSalt = Buffer.from(salt.map((b) => b ^ HMAC_SALT_MASK));
  const hmacKey = pbkdf2Sync(rawKey, hmacSalt, HMAC_KDF_ITERATIONS, 32, 'sha512');
  const out = Buffer.alloc(file.length);
  for (let index = 0; index < file.length / PAGE_SIZE; index += 1) {
    const page = file.subarray(index * PAGE_SIZE, (index + 1) * PAGE_SIZE);
    const start = index === 0 ? SALT_BYTES : 0;
    const cipherText = page.subarray(start, PAGE_SIZE - RESERVE);
    const iv = page.subarray(PAGE_SIZE - RESERVE, PAGE_SIZE - HMAC_BYTES);
    const mac = page.subarray(PAGE_SIZE - HMAC_BYTES);
    const pgno = Buffer.alloc(4);
    pgno.writeUInt32LE(index + 1);
    const expected = createHmac('sha512', hmacKey).update(cipherText).update(iv).update(pgno).digest();
    if (!timingSafeEqual(expected, mac)) {
      throw new Error(`HMAC check failed on page ${index + 1}: wrong key or damaged page`);
    }
    const decipher = createDecipheriv('aes-256-cbc', rawKey, iv).setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(cipherText), decipher.final()]);
    const target = out.subarray(index * PAGE_SIZE, (index + 1) * PAGE_SIZE);
    if (index === 0) {
      target.write('SQLite format 3\0', 0, 'latin1');
    }
    plain.copy(target, start);
    page.copy(target, PAGE_SIZE - RESERVE, PAGE_SIZE - RESERVE);
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [input, output] = process.argv.slice(2);
  const keyHex = process.env.NEXIS_DB_KEY ?? '';
  if (!input || !output || !/^[0-9a-fA-F]{64}$/.test(keyHex)) {
    process.stderr.write('usage: NEXIS_DB_KEY=<64 hex> tsx scripts/sqlcipher4-decrypt.ts <encrypted.db> <plain.db>\n');
    process.exit(2);
  }
  writeFileSync(output, decryptSqlcipher4(readFileSync(input), Buffer.from(keyHex, 'hex')), { mode: 0o600 });
  process.stdout.write(`decrypted ${input} -> ${output}\n`);
}
