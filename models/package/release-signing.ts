/**
 * Signing and verifying bank releases (policy releases, officer grants: shared/sync/signed-release.ts) with the same
 * Ed25519 release key and key ids as model packages. What is signed is the RFC 8785 canonical JSON of the release
 * with every field but `signature`, so a change to any of them (cut-offs, role, serial, key id) breaks it.
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import {
  RELEASE_FORMAT,
  type SignedAppRelease,
  type SignedOfficerGrant,
  type SignedPolicyRelease,
  type SignedRelease,
} from '../../shared/sync/signed-release';
import { ModelError } from '../core/errors';
import { keyIdOf } from './signing';

type ToSign =
  | { kind: 'policy'; serial: number; release: SignedPolicyRelease['release'] }
  | { kind: 'officer'; serial: number; release: SignedOfficerGrant['release'] }
  | { kind: 'app'; serial: number; release: SignedAppRelease['release'] };

function signedBytes(release: Omit<SignedRelease, 'signature'>): Buffer {
  const text = canonicalize(release);
  if (text === undefined) {
    throw new ModelError('MODEL_SIGNATURE_INVALID', 'the release cannot be serialised');
  }
  return Buffer.from(text, 'utf8');
}

export function signRelease(input: ToSign & { kind: 'policy' }, key: KeyObject, now?: Date): SignedPolicyRelease;
export function signRelease(input: ToSign & { kind: 'officer' }, key: KeyObject, now?: Date): SignedOfficerGrant;
export function signRelease(input: ToSign & { kind: 'app' }, key: KeyObject, now?: Date): SignedAppRelease;
export function signRelease(input: ToSign, key: KeyObject, now = new Date()): SignedRelease {
  const unsigned = {
    format: RELEASE_FORMAT,
    ...input,
    issuedAt: now.toISOString(),
    keyId: keyIdOf(createPublicKey(key)),
  } as Omit<SignedRelease, 'signature'>;
  return { ...unsigned, signature: sign(null, signedBytes(unsigned), key).toString('base64') } as SignedRelease;
}

export type ReleaseVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Checks the key id and the signature against the one release key this workstation trusts. */
export function verifyRelease(release: SignedRelease, trusted: KeyObject): ReleaseVerdict {
  const trustedId = keyIdOf(trusted);
  if (release.keyId !== trustedId) {
    return {
      ok: false,
      reason: `signed with key ${release.keyId}, not the bank's release key ${trustedId} this workstation trusts`,
    };
  }
  const { signature, ...unsigned } = release;
  let valid = false;
  try {
    valid = verify(null, signedBytes(unsigned), trusted, Buffer.from(signature, 'base64'));
  } catch {
    valid = false;
  }
  return valid ? { ok: true } : { ok: false, reason: 'the signature does not verify: the release was altered' };
}
