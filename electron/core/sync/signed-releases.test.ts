/**
 * Bank-signed policy releases and officer grants, as a workstation judges them before applying anything: only the
 * trusted release key, never an altered byte, never an older serial, never a grant for another branch, never a
 * cut-off jump that the release does not declare.
 */
import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signRelease, verifyRelease } from '../../../models/package/release-signing';
import { RELEASE_KEYS } from './releases';
import type { SyncStateStore } from './types';
import { refuseOfficerGrant, refusePolicyRelease } from './workstation-handlers';

const bank = generateKeyPairSync('ed25519').privateKey;
const trusted = createPublicKey(bank);
const forger = generateKeyPairSync('ed25519').privateKey;

function memoryState(entries: Record<string, string> = {}): SyncStateStore {
  const map = new Map(Object.entries(entries));
  return { get: (key) => map.get(key), set: (key, value) => void map.set(key, value) };
}

const policy = (serial: number, approve: number, refer: number, largeMove?: boolean) =>
  signRelease(
    {
      kind: 'policy',
      serial,
      release: {
        version: `pol-${serial}`,
        cutoffs: { approve, refer },
        reasonTexts: {},
        ...(largeMove === undefined ? {} : { largeMove }),
      },
    },
    bank,
  );
const options = {
  trustedModelKey: trusted,
  scoreRange: () => ({ min: 300, max: 850 }),
  policyInForce: () => ({ version: 'default', approveAtOrAbove: 560, declineBelow: 500 }),
};

describe('signed releases', () => {
  it('applies a correctly signed, newer, bounded policy release', () => {
    expect(refusePolicyRelease(policy(1, 580, 520), memoryState(), options)).toEqual({
      cutoffs: { version: 'pol-1', approveAtOrAbove: 580, declineBelow: 520 },
    });
  });

  it('refuses another key, any altered field, an older or reused serial, disorder and undeclared jumps', () => {
    const foreign = signRelease(
      { kind: 'policy', serial: 5, release: { version: 'x', cutoffs: { approve: 580, refer: 520 }, reasonTexts: {} } },
      forger,
    );
    expect(refusePolicyRelease(foreign, memoryState(), options)).toMatch(/^signed with key/);
    // Claiming the bank's key id does not help a forger.
    expect(refusePolicyRelease({ ...foreign, keyId: policy(1, 580, 520).keyId }, memoryState(), options)).toMatch(
      /altered/,
    );
    const state = memoryState({ [RELEASE_KEYS.policySerial]: '7' });
    expect(refusePolicyRelease(policy(3, 580, 520), state, options)).toMatch(/older than the policy in force/);
    expect(refusePolicyRelease(policy(7, 580, 520), state, options)).toMatch(/already in force with another/);
    expect(refusePolicyRelease(policy(8, 500, 560), state, options)).toMatch(/out of order/);
    expect(refusePolicyRelease(policy(8, 900, 520), state, options)).toMatch(/score scale/);
    expect(refusePolicyRelease(policy(8, 640, 520), state, options)).toMatch(/moves a cut-off by 80 points/);
    expect(refusePolicyRelease(policy(8, 640, 520, true), state, options)).toMatchObject({ cutoffs: {} });
  });

  it('breaks the signature whatever single field changes (property)', () => {
    const signed = policy(4, 580, 520);
    fc.assert(
      fc.property(
        fc.constantFrom('serial', 'issuedAt', 'approve', 'refer', 'version', 'largeMove', 'reason'),
        fc.integer({ min: 1, max: 50 }),
        (field, delta) => {
          const r = structuredClone(signed);
          if (field === 'serial') {
            r.serial += delta;
          } else if (field === 'issuedAt') {
            r.issuedAt = new Date(Date.parse(r.issuedAt) + delta * 1000).toISOString();
          } else if (field === 'approve' || field === 'refer') {
            r.release.cutoffs[field] = (r.release.cutoffs[field] ?? 0) + delta;
          } else if (field === 'version') {
            r.release.version = `${r.release.version}x`;
          } else if (field === 'largeMove') {
            r.release.largeMove = true;
          } else {
            r.release.reasonTexts = { added: { en: 'Changed', sw: 'Imebadilishwa' } };
          }
          return !verifyRelease(r, trusted).ok;
        },
      ),
      { numRuns: 200 },
    );
    expect(verifyRelease(signed, trusted).ok).toBe(true);
  });

  it('refuses officer grants that are forged, for another branch, or not newer than the one in force', () => {
    const grant = (serial: number, branchId?: string, key = bank) =>
      signRelease(
        {
          kind: 'officer',
          serial,
          release: {
            officerId: 'OFF-00000000CAFE0001',
            username: 'baraka',
            role: 'admin',
            status: 'active',
            ...(branchId === undefined ? {} : { branchId }),
          },
        },
        key,
      );
    const state = memoryState({ [`${RELEASE_KEYS.officerSerialPrefix}OFF-00000000CAFE0001`]: '3' });
    expect(refuseOfficerGrant(grant(4), state, trusted, 'NBO-01')).toBeNull();
    expect(refuseOfficerGrant(grant(4, 'NBO-01'), state, trusted, 'NBO-01')).toBeNull();
    expect(refuseOfficerGrant(grant(4, 'MSA-01'), state, trusted, 'NBO-01')).toMatch(/for branch MSA-01/);
    expect(refuseOfficerGrant(grant(3), state, trusted, 'NBO-01')).toMatch(/older than the grant in force/);
    expect(refuseOfficerGrant(grant(9, undefined, forger), state, trusted, 'NBO-01')).toMatch(/^signed with key/);
    const elevated = grant(5);
    expect(
      refuseOfficerGrant(
        { ...elevated, release: { ...elevated.release, username: 'mallory' } },
        state,
        trusted,
        'NBO-01',
      ),
    ).toMatch(/altered/);
  });
});
