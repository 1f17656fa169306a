/**
 * The device's Ed25519 identity: signs audit checkpoints (and later sync requests and consent receipts).
 * The private key lives in the encrypted database's meta table, so it is as protected as the data it signs.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

export interface DeviceKey {
  readonly deviceId: string;
  /** SPKI DER, base64. */
  readonly publicKey: string;
  sign(message: string): string;
}

export interface StoredDeviceKey {
  readonly privateKeyPkcs8: string;
}

export function generateDeviceKey(): StoredDeviceKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { privateKeyPkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64') };
}

export function loadDeviceKey(stored: StoredDeviceKey): DeviceKey {
  const privateKey = createPrivateKey({
    key: Buffer.from(stored.privateKeyPkcs8, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  const publicDer = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return {
    deviceId: deviceIdFor(publicDer),
    publicKey: publicDer.toString('base64'),
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  };
}

/** `DEV-` + the first 16 hex characters of SHA-256(public key): stable, derived, not guessable in advance. */
export function deviceIdFor(publicKeyDer: Buffer): string {
  return `DEV-${createHash('sha256').update(publicKeyDer).digest('hex').slice(0, 16).toUpperCase()}`;
}

export function publicKeyFromBase64(spkiBase64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' });
}

export function verifySignature(publicKey: KeyObject, message: string, signatureBase64: string): boolean {
  try {
    return verify(null, Buffer.from(message, 'utf8'), publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
