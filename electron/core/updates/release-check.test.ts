/**
 * The acceptance matrix of app updates: only a release signed by the bank's key, for this channel, newer than the
 * running version, whose feed and downloaded file match it byte for byte, is accepted. Keys are made at run time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { signRelease } from '../../../models/package/release-signing';
import type { AppRelease } from '../../../shared/sync/release-bodies';
import {
  checkDownloadedFile,
  checkFeedMatches,
  checkSignedAppRelease,
  inRollout,
  MAX_RELEASE_BYTES,
  rolloutBucket,
} from './release-check';

const bank = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const dir = mkdtempSync(join(tmpdir(), 'nexis-update-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const installerBytes = randomBytes(4096);
const installer = join(dir, 'NEXIS-Setup-1.3.0.exe');
writeFileSync(installer, installerBytes);
const sha512 = createHash('sha512').update(installerBytes).digest('base64');

const running = { version: '1.2.0', channel: 'pilot' } as const;

function release(overrides: Partial<AppRelease> = {}): AppRelease {
  return {
    version: '1.3.0',
    channel: 'pilot',
    files: [{ name: 'NEXIS-Setup-1.3.0.exe', sha512, size: installerBytes.length }],
    notes: 'Faster statement import.',
    ...overrides,
  };
}

const signed = (r: AppRelease, key = bank.privateKey) => signRelease({ kind: 'app', serial: 7, release: r }, key);
const text = (value: unknown) => JSON.stringify(value);

describe('a signed app release', () => {
  it('is accepted only when signed by the bank, for this channel, and newer (the whole matrix)', () => {
    const signers = { bank: 'bank', stranger: 'stranger', unsigned: 'unsigned', altered: 'altered' } as const;
    const outcomes: string[] = [];
    for (const signer of Object.values(signers)) {
      for (const channel of ['pilot', 'general'] as const) {
        for (const version of ['1.3.0', '1.2.0', '1.1.9', '2.0.0-rc.1']) {
          const body = release({ channel, version });
          let value: unknown;
          if (signer === 'unsigned') {
            value = { format: 'nexis.release.v1', kind: 'app', serial: 7, release: body };
          } else if (signer === 'altered') {
            const good = signed(body);
            value = { ...good, release: { ...good.release, notes: 'Nothing to see.' } };
          } else {
            value = signed(body, signer === 'bank' ? bank.privateKey : stranger.privateKey);
          }
          const verdict = checkSignedAppRelease(text(value), bank.publicKey, running);
          outcomes.push(`${signer}/${channel}/${version}: ${verdict.ok ? 'accepted' : verdict.code}`);
        }
      }
    }
    expect(outcomes.filter((o) => o.endsWith('accepted')).sort()).toEqual([
      'bank/pilot/1.3.0: accepted',
      'bank/pilot/2.0.0-rc.1: accepted',
    ]);
    expect(outcomes).toContain('bank/pilot/1.2.0: CURRENT');
    expect(outcomes).toContain('bank/pilot/1.1.9: NOT_NEWER');
    expect(outcomes).toContain('bank/general/1.3.0: OTHER_CHANNEL');
    expect(outcomes).toContain('stranger/pilot/1.3.0: FOREIGN_KEY');
    expect(outcomes).toContain('unsigned/pilot/1.3.0: MALFORMED');
    expect(outcomes).toContain('altered/pilot/1.3.0: BAD_SIGNATURE');
  });

  it('refuses a stranger who copies the bank key id onto their own signature', () => {
    const forged = { ...signed(release(), stranger.privateKey), keyId: signed(release()).keyId };
    expect(checkSignedAppRelease(text(forged), bank.publicKey, running)).toMatchObject({
      ok: false,
      code: 'BAD_SIGNATURE',
    });
  });

  it('refuses an oversized or malformed release before trusting any of it', () => {
    expect(checkSignedAppRelease(' '.repeat(MAX_RELEASE_BYTES + 1), bank.publicKey, running)).toMatchObject({
      code: 'OVERSIZED',
    });
    expect(checkSignedAppRelease('{"format":', bank.publicKey, running)).toMatchObject({ code: 'MALFORMED' });
    for (const files of [
      [{ name: '../evil.exe', sha512, size: 1 }],
      [{ name: 'C:\\evil.exe', sha512, size: 1 }],
      [{ name: 'a.exe', sha512: 'short', size: 1 }],
      [],
    ]) {
      const value = { ...signed(release()), release: { ...release(), files } };
      expect(checkSignedAppRelease(text(value), bank.publicKey, running)).toMatchObject({ code: 'MALFORMED' });
    }
  });

  it('refuses any JSON that is not a bank-signed release (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(checkSignedAppRelease(text(value), bank.publicKey, running).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the feed and the downloaded file', () => {
  const good = signed(release());

  it('must offer exactly the signed files', () => {
    const feedFile = { url: 'NEXIS-Setup-1.3.0.exe', sha512, size: installerBytes.length };
    expect(checkFeedMatches({ version: '1.3.0', files: [feedFile] }, good).ok).toBe(true);
    expect(checkFeedMatches({ version: '1.4.0', files: [feedFile] }, good)).toMatchObject({ code: 'FEED_MISMATCH' });
    expect(checkFeedMatches({ version: '1.3.0', files: [] }, good)).toMatchObject({ code: 'FEED_MISMATCH' });
    expect(
      checkFeedMatches({ version: '1.3.0', files: [feedFile, { url: 'extra.exe', sha512, size: 1 }] }, good),
    ).toMatchObject({ code: 'FEED_MISMATCH' });
    const otherHash = createHash('sha512').update('other').digest('base64');
    expect(checkFeedMatches({ version: '1.3.0', files: [{ ...feedFile, sha512: otherHash }] }, good)).toMatchObject({
      code: 'FEED_MISMATCH',
    });
    expect(checkFeedMatches({ version: '1.3.0', files: [{ ...feedFile, size: 1 }] }, good)).toMatchObject({
      code: 'FEED_MISMATCH',
    });
  });

  it('is hashed again after download: one changed byte is refused', async () => {
    expect(await checkDownloadedFile(installer, good)).toEqual({ ok: true, value: installer });
    const altered = join(dir, 'altered', 'NEXIS-Setup-1.3.0.exe');
    const copy = Buffer.from(installerBytes);
    copy[100] = (copy[100] ?? 0) ^ 1;
    mkdirSync(join(dir, 'altered'));
    writeFileSync(altered, copy);
    expect(await checkDownloadedFile(altered, good)).toMatchObject({ ok: false, code: 'FILE_MISMATCH' });
    expect(await checkDownloadedFile(join(dir, 'other.exe'), good)).toMatchObject({ code: 'FILE_MISMATCH' });
  });
});

describe('staged rollout', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => `DEV-${i.toString(16).padStart(16, '0').toUpperCase()}`);

  it('decides from the device id alone, the same way every time', () => {
    for (const id of ids.slice(0, 50)) {
      expect(rolloutBucket(id)).toBe(rolloutBucket(id));
      expect(rolloutBucket(id)).toBeGreaterThanOrEqual(0);
      expect(rolloutBucket(id)).toBeLessThan(100);
    }
  });

  it('reaches nobody at 0 %, everybody at 100 %, about p % in between, and grows monotonically', () => {
    expect(ids.filter((id) => inRollout(id, 0))).toHaveLength(0);
    expect(ids.filter((id) => inRollout(id, 100))).toHaveLength(ids.length);
    const at10 = ids.filter((id) => inRollout(id, 10));
    expect(at10.length / ids.length).toBeGreaterThan(0.07);
    expect(at10.length / ids.length).toBeLessThan(0.13);
    const at50 = new Set(ids.filter((id) => inRollout(id, 50)));
    expect(at10.every((id) => at50.has(id))).toBe(true);
  });
});
