/**
 * Bank-signed releases for the suites: signed with the development release key the test workstations trust (the
 * committed development pair, models/cli/args.ts), or with any other key to play a forger.
 */
import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { DEV_PRIVATE_KEY } from '../../models/cli/args';
import { signRelease } from '../../models/package/release-signing';
import { loadPrivateKey } from '../../models/package/signing';
import type { SignedOfficerGrant, SignedPolicyRelease } from '../../shared/sync/signed-release';

export const devReleaseKey = (): KeyObject => loadPrivateKey(readFileSync(DEV_PRIVATE_KEY));

export function signedPolicy(
  serial: number,
  release: SignedPolicyRelease['release'],
  key: KeyObject = devReleaseKey(),
): SignedPolicyRelease {
  return signRelease({ kind: 'policy', serial, release }, key);
}

export function signedOfficer(
  serial: number,
  release: Omit<SignedOfficerGrant['release'], 'status'> & { status?: 'active' | 'disabled' },
  key: KeyObject = devReleaseKey(),
): SignedOfficerGrant {
  return signRelease({ kind: 'officer', serial, release: { status: 'active', ...release } }, key);
}
