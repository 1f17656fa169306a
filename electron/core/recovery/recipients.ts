/**
 * The bank's recovery key in age's own encodings: recipients `age1…` (X25519, bech32, the public half the builds
 * carry) and identities `AGE-SECRET-KEY-1…` (the private half, on the bank's offline machine only). Only native
 * X25519 is accepted: it is what `age-keygen` makes and what every age implementation reads.
 */
import { Decrypter, Encrypter } from 'age-encryption';
import { RecoveryError } from './errors';

/** `age1` and 58 bech32 characters (32 bytes and a 6-character checksum). A second `1` (pq, tag types) cannot match. */
export const AGE_X25519_RECIPIENT = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/;
const AGE_X25519_IDENTITY = /^AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}$/;

export const MAX_RECOVERY_RECIPIENTS = 4;

/** Whether a string is one age X25519 recipient, its bech32 checksum included. */
export function isAgeX25519Recipient(text: string): boolean {
  if (!AGE_X25519_RECIPIENT.test(text)) {
    return false;
  }
  try {
    // age-encryption decodes the bech32 (checksum, 32 bytes) when the recipient is added; nothing is encrypted.
    new Encrypter().addRecipient(text);
    return true;
  } catch {
    return false;
  }
}

/** 1–4 distinct recipients, each checked; throws RecoveryError RECIPIENTS_INVALID (the message names no key). */
export function checkRecipients(recipients: readonly string[]): string[] {
  const unique = [...new Set(recipients)];
  if (unique.length === 0 || unique.length > MAX_RECOVERY_RECIPIENTS) {
    throw new RecoveryError(
      'RECIPIENTS_INVALID',
      `A recovery bundle needs 1 to ${MAX_RECOVERY_RECIPIENTS} recovery recipients, got ${unique.length}.`,
    );
  }
  unique.forEach((recipient, index) => {
    if (!isAgeX25519Recipient(recipient)) {
      throw new RecoveryError(
        'RECIPIENTS_INVALID',
        `Recovery recipient ${index + 1} is not an age X25519 recipient (age1…, from age-keygen).`,
      );
    }
  });
  return unique;
}

/** A Decrypter for one identity (the first `AGE-SECRET-KEY-1…` line of an age-keygen file is accepted too). */
export function decrypterFor(identity: string): Decrypter {
  const line = identity
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#'));
  if (line === undefined || !AGE_X25519_IDENTITY.test(line)) {
    throw new RecoveryError(
      'IDENTITY_INVALID',
      'The recovery identity must be an age X25519 secret key (AGE-SECRET-KEY-1…, as age-keygen writes it).',
    );
  }
  const decrypter = new Decrypter();
  try {
    decrypter.addIdentity(line);
  } catch (error) {
    throw new RecoveryError('IDENTITY_INVALID', 'The recovery identity is not a readable age secret key.', {
      cause: error,
    });
  }
  return decrypter;
}
