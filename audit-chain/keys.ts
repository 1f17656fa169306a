/** The Ed25519 public-key helpers verification needs; private keys stay with each program (device key, keyring). */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

/** `DEV-` + the first 16 hex characters of SHA-256(public key): stable, derived, not guessable in advance. */
export function deviceIdFor(publicKeyDer: Buffer): string {
  return `DEV-${createHash('sha256').update(publicKeyDer).digest('hex').slice(0, 16).toUpperCase()}`;
}

/** Parses an SPKI DER public key given in base64; throws when it is not one. */
export function publicKeyFromBase64(spkiBase64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' });
}

/** False (never a throw) for a malformed signature, so a forged row is reported like any other bad signature. */
export function verifySignature(publicKey: KeyObject, message: string, signatureBase64: string): boolean {
  try {
    return verify(null, Buffer.from(message, 'utf8'), publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
