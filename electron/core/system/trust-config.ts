/**
 * The bank's trust anchors: the release public key (verifies model packages, policy releases, officer grants and app
 * releases), the central server's https address, and how its certificate is authenticated. A packaged build takes
 * them only from the trust file baked into its archive at build time (scripts/bake-trust.ts, docs/trust.md), never
 * from the environment; a development run uses `developmentTrust` (the committed development key, any server).
 *
 * The file is checked as hostile input: size first, then JSON, a strict schema (no extra fields), an Ed25519 SPKI
 * public key that is not a development or compromised key, an https URL without credentials, parseable CA
 * certificates and well-formed SHA-256 pins. The optional recovery recipients (the public half of the bank's offline
 * recovery key, electron/core/recovery/) must be age X25519 recipients with a valid checksum.
 */
import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { UPDATE_CHANNELS, type UpdateChannel } from '../../../shared/sync/release-bodies';
import { keyIdOf } from '../../../models/package/signing';
import { REFUSED_KEY_IDS } from '../../../models/cli/dev-keys';
import { createHttpTransport, type SyncTransport, type TlsTrust } from '../sync/transport';
import { SyncError } from '../sync/types';
import { AGE_X25519_RECIPIENT, isAgeX25519Recipient, MAX_RECOVERY_RECIPIENTS } from '../recovery/recipients';

/** Where `npm run dist` bakes the trust file, relative to the app root (inside the asar archive). */
export const BAKED_TRUST_PATH = 'out/trust/trust.json';

/** A trust file is a few kilobytes (a key, a URL, a CA chain); anything much larger is not one. */
export const TRUST_FILE_MAX_BYTES = 64 * 1024;

export type TrustErrorCode =
  | 'TRUST_MISSING'
  | 'TRUST_TOO_LARGE'
  | 'TRUST_INVALID'
  | 'TRUST_KEY_INVALID'
  | 'TRUST_DEVELOPMENT_KEY'
  | 'TRUST_URL_INVALID'
  | 'TRUST_CA_INVALID'
  | 'TRUST_RECOVERY_KEY_INVALID';

/** A refused trust file: the code says which check, the message what to fix (it names no secret). */
export class TrustConfigError extends Error {
  readonly code: TrustErrorCode;

  constructor(code: TrustErrorCode, message: string) {
    super(message);
    this.name = 'TrustConfigError';
    this.code = code;
  }
}

const PUBLIC_KEY_PEM = /^-----BEGIN PUBLIC KEY-----\r?\n(?:[A-Za-z0-9+/=]{1,76}\r?\n)+-----END PUBLIC KEY-----\r?\n?$/;
const CERTIFICATE_PEM = /-----BEGIN CERTIFICATE-----\r?\n(?:[A-Za-z0-9+/=]{1,76}\r?\n)+-----END CERTIFICATE-----/g;
/** base64 of 32 bytes: 43 characters and one `=`. */
const SHA256_BASE64 = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

export const TrustFileSchema = z.strictObject({
  bankName: z.string().trim().min(1).max(120),
  /** Ed25519 public key, SPKI PEM (`openssl pkey -pubout`). */
  releasePublicKeyPem: z.string().max(1024),
  /** https only; the workstation enrols with this server and no other. */
  centralServerUrl: z.string().max(2048),
  /** PEM certificate(s) of the CA(s) that issue the server's certificate; replaces the system roots. */
  centralServerCaPem: z
    .string()
    .max(48 * 1024)
    .optional(),
  /** base64 SHA-256 of a SubjectPublicKeyInfo in the server's chain (leaf or issuer); at least one must match. */
  centralServerSpkiPins: z.array(z.string().regex(SHA256_BASE64, 'must be a base64 SHA-256')).min(1).max(8).optional(),
  updateChannel: z.enum(UPDATE_CHANNELS),
  /** age X25519 recipients (`age-keygen -y`) of the bank's offline recovery key; absent: no recovery bundles. */
  recoveryRecipients: z
    .array(z.string().regex(AGE_X25519_RECIPIENT, 'must be an age X25519 recipient (age1…)'))
    .min(1)
    .max(MAX_RECOVERY_RECIPIENTS)
    .optional(),
});
export type TrustFile = z.infer<typeof TrustFileSchema>;

export interface CentralServerTrust extends TlsTrust {
  /** Normalised: origin and path, no trailing slash. */
  readonly url: string;
}

/** Trust baked into a packaged build by the bank. */
export interface BankTrust {
  readonly source: 'baked';
  readonly bankName: string;
  readonly releasePublicKeyPem: string;
  readonly releaseKeyId: string;
  readonly centralServer: CentralServerTrust;
  readonly updateChannel: UpdateChannel;
  /** Who can open this build's recovery bundles (age1…); null: the bank configured none, so none are written. */
  readonly recoveryRecipients: readonly string[] | null;
}

/** A development run: the committed development key, enrolment with any server (the E2E suites run one on loopback). */
export interface DevelopmentTrust {
  readonly source: 'development';
  readonly releasePublicKeyPem: string;
  readonly releaseKeyId: string;
  readonly centralServer: null;
  readonly updateChannel: null;
  /** A development run writes no recovery bundles: there is no bank key to encrypt them to. */
  readonly recoveryRecipients: null;
}

export type WorkstationTrust = BankTrust | DevelopmentTrust;

function releaseKey(pem: string): KeyObject {
  if (!PUBLIC_KEY_PEM.test(pem)) {
    throw new TrustConfigError(
      'TRUST_KEY_INVALID',
      'releasePublicKeyPem must be one PEM "PUBLIC KEY" block (openssl pkey -pubout), nothing else.',
    );
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new TrustConfigError('TRUST_KEY_INVALID', 'releasePublicKeyPem is not a readable public key.');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new TrustConfigError(
      'TRUST_KEY_INVALID',
      `releasePublicKeyPem must be an Ed25519 key, not ${key.asymmetricKeyType ?? 'unknown'}.`,
    );
  }
  return key;
}

/** Normalises an https server address; refuses http, credentials, queries and fragments. */
export function normaliseServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TrustConfigError('TRUST_URL_INVALID', 'centralServerUrl is not a URL.');
  }
  if (url.protocol !== 'https:') {
    throw new TrustConfigError('TRUST_URL_INVALID', `centralServerUrl must use https, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new TrustConfigError(
      'TRUST_URL_INVALID',
      'centralServerUrl must be a plain https address: no user name, password, query or fragment.',
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function caCertificates(pem: string): string {
  const blocks = pem.match(CERTIFICATE_PEM) ?? [];
  // Only certificate blocks and white space: no private key or other material rides along into the archive.
  if (blocks.length === 0 || pem.replace(CERTIFICATE_PEM, '').trim() !== '') {
    throw new TrustConfigError(
      'TRUST_CA_INVALID',
      'centralServerCaPem must hold PEM "CERTIFICATE" blocks and nothing else.',
    );
  }
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      throw new TrustConfigError('TRUST_CA_INVALID', 'centralServerCaPem holds a certificate that cannot be read.');
    }
  }
  return `${blocks.join('\n')}\n`;
}

/**
 * Checks a bank trust file (its bytes) and returns what a packaged build trusts. Throws TrustConfigError: too large,
 * not JSON, a field missing or extra, a key that is not Ed25519 or is a development/compromised one, an http URL,
 * an unreadable CA.
 */
export function parseTrustFile(content: string | Uint8Array): BankTrust {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  if (bytes.byteLength > TRUST_FILE_MAX_BYTES) {
    throw new TrustConfigError('TRUST_TOO_LARGE', `A trust file is at most ${TRUST_FILE_MAX_BYTES} bytes.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new TrustConfigError('TRUST_INVALID', 'The trust file is not UTF-8 JSON.');
  }
  const parsed = TrustFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? 'the trust file' : issue.path.join('.');
    throw new TrustConfigError('TRUST_INVALID', `${where}: ${issue?.message ?? 'does not match the format'}`);
  }
  const file = parsed.data;
  const key = releaseKey(file.releasePublicKeyPem);
  const keyId = keyIdOf(key);
  const refused = REFUSED_KEY_IDS.get(keyId);
  if (refused !== undefined) {
    throw new TrustConfigError(
      'TRUST_DEVELOPMENT_KEY',
      `The release key ${keyId} is ${refused}. A packaged build must trust the bank's own release key (docs/trust.md).`,
    );
  }
  const url = normaliseServerUrl(file.centralServerUrl);
  file.recoveryRecipients?.forEach((recipient, index) => {
    if (!isAgeX25519Recipient(recipient)) {
      throw new TrustConfigError(
        'TRUST_RECOVERY_KEY_INVALID',
        `recoveryRecipients.${index}: not a valid age X25519 recipient (its checksum fails); copy it from age-keygen -y.`,
      );
    }
  });
  const recipients = file.recoveryRecipients === undefined ? null : [...new Set(file.recoveryRecipients)];
  return {
    source: 'baked',
    bankName: file.bankName,
    releasePublicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString(),
    releaseKeyId: keyId,
    centralServer: {
      url,
      ...(file.centralServerCaPem === undefined ? {} : { caPem: caCertificates(file.centralServerCaPem) }),
      ...(file.centralServerSpkiPins === undefined ? {} : { spkiPins: [...new Set(file.centralServerSpkiPins)] }),
    },
    updateChannel: file.updateChannel,
    recoveryRecipients: recipients,
  };
}

/** Reads and checks a trust file; the size is checked before a byte is read. */
export function readTrustFile(path: string): BankTrust {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new TrustConfigError('TRUST_MISSING', `There is no trust file at ${path}.`);
  }
  if (size > TRUST_FILE_MAX_BYTES) {
    throw new TrustConfigError('TRUST_TOO_LARGE', `A trust file is at most ${TRUST_FILE_MAX_BYTES} bytes.`);
  }
  return parseTrustFile(readFileSync(path));
}

/** The trust of a development run: the given (committed development) public key, no server pinned. */
export function developmentTrust(publicKeyPem: string): DevelopmentTrust {
  const key = releaseKey(publicKeyPem.endsWith('\n') ? publicKeyPem : `${publicKeyPem}\n`);
  return {
    source: 'development',
    releasePublicKeyPem: publicKeyPem,
    releaseKeyId: keyIdOf(key),
    centralServer: null,
    updateChannel: null,
    recoveryRecipients: null,
  };
}

/** Whether an address names the baked central server (same origin and path, trailing slashes aside). */
export function isTrustedServer(trust: CentralServerTrust, serverUrl: string): boolean {
  try {
    return normaliseServerUrl(serverUrl) === trust.url;
  } catch {
    return false;
  }
}

/**
 * The sync transport of a bank build (`WorkstationOptions.syncTransportFor`): the baked server only, over https with
 * the baked CA and pins. Any other address — typed at enrolment, or left in an old database — is refused before a
 * byte is sent, so neither an enrolment code nor a device token can reach another host.
 */
export function trustedTransportFor(
  trust: CentralServerTrust,
  timeoutMs?: number,
): (serverUrl: string) => SyncTransport {
  return (serverUrl) => {
    if (!isTrustedServer(trust, serverUrl)) {
      const refusal = new SyncError(
        'REFUSED',
        `This workstation enrols only with the bank's central server ${trust.url}.`,
        false,
      );
      return { request: () => Promise.reject(refusal) };
    }
    return createHttpTransport(trust.url, timeoutMs, {
      ...(trust.caPem === undefined ? {} : { caPem: trust.caPem }),
      ...(trust.spkiPins === undefined ? {} : { spkiPins: trust.spkiPins }),
    });
  };
}
