/**
 * The device's Ed25519 identity: signs audit checkpoints (and later sync requests and consent receipts).
 * The private key is kept outside the database it signs (device-key-custody.ts); the database records the public half.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { deviceIdFor } from '../../../audit-chain';

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
