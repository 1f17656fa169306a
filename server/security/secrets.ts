/**
 * The server's secrets in use, from its keyring (server/security/keyring.ts): the current signing key (countersigning
 * device checkpoints and the server audit chain), the token keys and the master keys, with every earlier key kept by
 * id so that what was made before a rotation still verifies.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';
import { serverKeyMessage } from '../../shared/sync/messages';
import type { Keyring } from './keyring';

export interface SigningKey {
  readonly keyId: string;
  /** SPKI DER base64. */
  readonly publicKey: string;
  sign(message: string): string;
}

export interface ServerSecrets {
  /** Current signing key: countersignatures and server audit checkpoints. */
  readonly signing: SigningKey;
  /** Public keys of every signing key the keyring holds, by id. */
  signingPublicKey(keyId: string): string | undefined;
  /** Every signing key, oldest first, each after the first endorsed by its predecessor (GET /v1/sync/server-keys). */
  readonly signingChain: readonly {
    keyId: string;
    publicKey: string;
    endorsedBy: string | null;
    endorsement: string | null;
  }[];
  /** SPKI DER base64 of the current signing key: what devices verify countersignatures with. */
  readonly publicKey: string;
  signCountersignature(message: string): string;
  readonly tokenKeys: { readonly current: { id: string; key: Buffer }; byId(id: string): Buffer | undefined };
  /** AES-256-GCM under the current master key; `aad` binds the ciphertext to its place (e.g. `totp:ADM-…`). */
  seal(plaintext: Buffer, aad: string): string;
  /** Opens what any master key of the keyring sealed; undefined when it cannot (unknown key, altered, wrong aad). */
  open(sealed: string, aad: string): Buffer | undefined;
}

function signingKey(entry: Keyring['signing'][number]): SigningKey & { privateKey: KeyObject } {
  const privateKey = createPrivateKey({ key: Buffer.from(entry.key, 'base64'), format: 'der', type: 'pkcs8' });
  return {
    keyId: entry.id,
    privateKey,
    publicKey: createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64'),
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  };
}

const SEALED = /^s1\.([0-9a-z-]+)\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]{22})$/;

export function secretsFromKeyring(ring: Keyring): ServerSecrets {
  const signers = ring.signing.map(signingKey);
  const current = signers.at(-1);
  const tokenCurrent = ring.token.at(-1);
  const masterCurrent = ring.master.at(-1);
  if (current === undefined || tokenCurrent === undefined || masterCurrent === undefined) {
    throw new Error('keyring has an empty list');
  }
  const tokens = new Map(ring.token.map((k) => [k.id, Buffer.from(k.key, 'base64')]));
  const masters = new Map(ring.master.map((k) => [k.id, Buffer.from(k.key, 'base64')]));
  const publicKeys = new Map(signers.map((s) => [s.keyId, s.publicKey]));
  const signingChain = signers.map((s, i) => {
    const previous = i === 0 ? undefined : signers[i - 1];
    return {
      keyId: s.keyId,
      publicKey: s.publicKey,
      endorsedBy: previous?.keyId ?? null,
      endorsement: previous === undefined ? null : previous.sign(serverKeyMessage(s.keyId, s.publicKey)),
    };
  });
  return {
    signingChain,
    signing: { keyId: current.keyId, publicKey: current.publicKey, sign: current.sign },
    signingPublicKey: (keyId) => publicKeys.get(keyId),
    publicKey: current.publicKey,
    signCountersignature: current.sign,
    tokenKeys: {
      current: { id: tokenCurrent.id, key: Buffer.from(tokenCurrent.key, 'base64') },
      byId: (id) => tokens.get(id),
    },
    seal(plaintext, aad) {
      const key = masters.get(masterCurrent.id);
      if (key === undefined) {
        throw new Error('master key missing');
      }
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(`${masterCurrent.id}|${aad}`, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return `s1.${masterCurrent.id}.${iv.toString('base64url')}.${body.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
    },
    open(sealed, aad) {
      const m = SEALED.exec(sealed);
      const key = m?.[1] === undefined ? undefined : masters.get(m[1]);
      if (m === null || key === undefined) {
        return undefined;
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(m[2] ?? '', 'base64url'));
        decipher.setAAD(Buffer.from(`${m[1]}|${aad}`, 'utf8'));
        decipher.setAuthTag(Buffer.from(m[4] ?? '', 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(m[3] ?? '', 'base64url')), decipher.final()]);
      } catch {
        return undefined;
      }
    },
  };
}
