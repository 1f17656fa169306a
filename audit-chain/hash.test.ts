import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalEnvelope } from './canonical';
import { chainHash, GENESIS_HASH } from './hash';

/** The definition in docs/audit-format.md, written the plain way: the fast path must agree with it on any input. */
const reference = (prevHashHex: string, entry: Parameters<typeof chainHash>[1]): string =>
  createHash('sha256').update(Buffer.from(prevHashHex, 'hex')).update(canonicalEnvelope(entry), 'utf8').digest('hex');

describe('chainHash', () => {
  it('hashes a known entry to the digest the plain definition gives', () => {
    const entry = {
      seq: 1,
      ts: '2026-01-05T08:00:00.000Z',
      actor: 'system',
      action: 'officer.created',
      subject: 'OFF-0001',
      payload: '{"role":"admin"}',
    };
    expect(chainHash(GENESIS_HASH, entry)).toBe('391eaa840b287e9087271b22885242f506ca831eb3e79755fdc1f82bec331938');
  });

  it('equals SHA-256(prev_hash bytes ‖ canonical entry) for any stored values, malformed or long ones too', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{64}$/), fc.string({ minLength: 64, maxLength: 64 }), fc.string()),
        fc.string(),
        fc.option(fc.string()),
        fc.string({ unit: 'grapheme', maxLength: 20_000 }),
        (prevHash, actor, subject, payload) => {
          const entry = { seq: 7, ts: '2026-01-05T08:00:00.000Z', actor, action: 'x', subject, payload };
          expect(chainHash(prevHash, entry)).toBe(reference(prevHash, entry));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
