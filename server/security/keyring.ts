/**
 * The central API's secrets, kept outside the database they protect: a keyring file (or environment variable) with
 * the Ed25519 signing keys (countersignatures of device checkpoints, the server's own audit checkpoints), the HMAC
 * keys of access tokens and the AES-256 master keys that wrap per-applicant data keys and seal TOTP secrets.
 *
 * Each list is append-only and ordered: the last key is the one in use, earlier ones stay so that countersignatures,
 * tokens and wrapped keys made before a rotation still verify or open. `rotate-keys` appends a fresh key to each.
 * Source, in order: NEXIS_SERVER_KEYS_FILE (a path; a container secret such as /run/secrets/nexis-server-keys),
 * NEXIS_SERVER_KEYS (the file's JSON, base64). Outside production, without either, a keyring is created in
 * `.nexis-data/server-keys.json` (beside the embedded database's folder, never inside it), mode 0600.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export const KEYRING_FORMAT = 'nexis.server-keys.v1';
const KeyIdSchema = z.string().regex(/^[a-z]{2,8}-[0-9a-z-]{4,40}$/);
const Base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/);
const KeyEntry = z.strictObject({ id: KeyIdSchema, key: Base64, createdAt: z.iso.datetime() });

export const KeyringSchema = z
  .strictObject({
    format: z.literal(KEYRING_FORMAT),
    /** Ed25519 private keys, PKCS#8 DER base64. */
    signing: z.array(KeyEntry).min(1),
    /** 32-byte HMAC-SHA256 keys for device access tokens. */
    token: z.array(KeyEntry).min(1),
    /** 32-byte AES-256-GCM master keys. */
    master: z.array(KeyEntry).min(1),
  })
  .superRefine((ring, ctx) => {
    const ids = [...ring.signing, ...ring.token, ...ring.master].map((k) => k.id);
    if (new Set(ids).size !== ids.length) {
      ctx.addIssue({ code: 'custom', message: 'key ids must be unique' });
    }
    for (const k of [...ring.token, ...ring.master]) {
      if (Buffer.from(k.key, 'base64').length !== 32) {
        ctx.addIssue({ code: 'custom', message: `${k.id} must be 32 bytes` });
      }
    }
  });
export type Keyring = z.infer<typeof KeyringSchema>;

export class KeyringError extends Error {
  readonly code = 'KEYRING_INVALID';
}

function keyId(prefix: string, now: Date): string {
  return `${prefix}-${now.toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`;
}

function freshKeys(now: Date): Pick<Keyring, 'signing' | 'token' | 'master'> {
  const createdAt = now.toISOString();
  const pkcs8 = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  return {
    signing: [{ id: keyId('sig', now), key: pkcs8, createdAt }],
    token: [{ id: keyId('tok', now), key: randomBytes(32).toString('base64'), createdAt }],
    master: [{ id: keyId('mk', now), key: randomBytes(32).toString('base64'), createdAt }],
  };
}

export function generateKeyring(now = new Date()): Keyring {
  return { format: KEYRING_FORMAT, ...freshKeys(now) };
}

/** A new key of each kind becomes current; the previous ones stay for verification and unwrapping. */
export function rotateKeyring(ring: Keyring, now = new Date()): Keyring {
  const fresh = freshKeys(now);
  return {
    format: KEYRING_FORMAT,
    signing: [...ring.signing, ...fresh.signing],
    token: [...ring.token, ...fresh.token],
    master: [...ring.master, ...fresh.master],
  };
}

export function parseKeyring(text: string, source: string): Keyring {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KeyringError(`${source} is not JSON.`);
  }
  const parsed = KeyringSchema.safeParse(json);
  if (!parsed.success) {
    throw new KeyringError(`${source} is not a ${KEYRING_FORMAT} keyring: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  return parsed.data;
}

/** Writes atomically with owner-only permissions. */
export function writeKeyringFile(path: string, ring: Keyring): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  writeFileSync(partial, `${JSON.stringify(ring, null, 2)}\n`, { mode: 0o600 });
  chmodSync(partial, 0o600);
  renameSync(partial, path);
}

export interface KeyringSource {
  readonly ring: Keyring;
  /** Where it came from, for messages; a file path when it can be rotated in place. */
  readonly source: string;
  readonly file: string | undefined;
}

export function loadKeyring(
  env: NodeJS.ProcessEnv,
  options: { production: boolean; developmentFile: string },
): KeyringSource {
  const file = env.NEXIS_SERVER_KEYS_FILE;
  if (file !== undefined && file !== '') {
    if (!existsSync(file)) {
      throw new KeyringError(`NEXIS_SERVER_KEYS_FILE names ${file}, which does not exist.`);
    }
    return { ring: parseKeyring(readFileSync(file, 'utf8'), file), source: file, file };
  }
  const inline = env.NEXIS_SERVER_KEYS;
  if (inline !== undefined && inline !== '') {
    const text = Buffer.from(inline, 'base64').toString('utf8');
    return { ring: parseKeyring(text, 'NEXIS_SERVER_KEYS'), source: 'NEXIS_SERVER_KEYS', file: undefined };
  }
  if (options.production) {
    throw new KeyringError(
      'No server keys: set NEXIS_SERVER_KEYS_FILE (or NEXIS_SERVER_KEYS). Create one with `npm run server -- keys:init`.',
    );
  }
  const path = options.developmentFile;
  if (!existsSync(path)) {
    writeKeyringFile(path, generateKeyring());
  }
  return { ring: parseKeyring(readFileSync(path, 'utf8'), path), source: path, file: path };
}
