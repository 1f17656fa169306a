/**
 * Field-level encryption of personal data: each applicant has a random AES-256-GCM data key, stored wrapped by the
 * workstation's key-encryption key (KEK). Every ciphertext is bound to its applicant and field through the AAD, so a
 * ciphertext copied onto another applicant or field fails to decrypt instead of showing wrong data.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { NexisError } from '../errors';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function newDataKey(): Buffer {
  return randomBytes(32);
}

export function seal(key: Uint8Array, plaintext: Uint8Array, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function open(key: Uint8Array, sealed: string, aad: string): Buffer {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) {
    throw new NexisError('DB_CORRUPT', 'An encrypted field is truncated.');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch (error) {
    throw new NexisError('DB_CORRUPT', 'An encrypted field failed its authenticity check.', { cause: error });
  }
}

export const wrapAad = (applicantId: string): string => `nexis.applicant-key.v1|${applicantId}`;
export const fieldAad = (applicantId: string, field: string): string => `nexis.pii.v1|${applicantId}|${field}`;
