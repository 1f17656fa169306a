import { describe, expect, it } from 'vitest';
import { describeCutoffs, parseSignedApp, parseSignedPolicy } from './signed-policy';

const RELEASE = { version: '2026.12-1', cutoffs: { approve: 620, refer: 560 }, reasonTexts: {} };
const SIGNED = {
  format: 'nexis.release.v1',
  serial: 3,
  issuedAt: '2026-12-01T10:00:00.000Z',
  keyId: '0123456789abcdef',
  signature: 'A'.repeat(86) + '==',
  kind: 'policy',
  release: RELEASE,
};

describe('reading a signed policy release', () => {
  it('accepts the signed file (the signature itself is checked by the core)', () => {
    const parsed = parseSignedPolicy(JSON.stringify(SIGNED));
    expect(parsed.ok ? parsed.value.release.version : parsed.message).toBe('2026.12-1');
  });

  it('tells an unsigned release, another kind and broken text apart', () => {
    expect(parseSignedPolicy(JSON.stringify({ kind: 'policy', serial: 3, release: RELEASE }))).toEqual({
      ok: false,
      message: 'This release is not signed yet: sign it offline with npm run release:sign first',
    });
    expect(parseSignedPolicy('{"x": ')).toEqual({ ok: false, message: 'Not valid JSON' });
    expect(parseSignedPolicy('  ').ok).toBe(false);
    const other = parseSignedPolicy(JSON.stringify({ ...SIGNED, serial: 0 }));
    expect(other.ok ? '' : other.message).toMatch(/^Not a signed policy release \(serial: /);
  });

  it('reads app releases with the same rules, naming each kind as the reader expects it', () => {
    expect(parseSignedApp(JSON.stringify(SIGNED))).toEqual({
      ok: false,
      message: 'This is a policy release, not an app release',
    });
    expect(
      parseSignedPolicy(
        JSON.stringify({
          kind: 'officer',
          serial: 2,
          release: {
            officerId: 'OFF-1',
            username: 'neema',
            role: 'officer',
            status: 'active',
          },
        }),
      ),
    ).toEqual({
      ok: false,
      message: 'This is an officer grant, not a policy release',
    });
    const broken = parseSignedApp(JSON.stringify({ ...SIGNED, kind: 'app', release: {} }));
    expect(broken.ok ? '' : broken.message).toMatch(/^Not a signed app release/);
  });

  it('lists the cut-offs', () => {
    expect(describeCutoffs({ approve: 620, refer: 560 })).toBe('approve 620 · refer 560');
  });
});
