import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalEnvelope, canonicalJson, type JsonValue } from './canonical';

const json: fc.Arbitrary<JsonValue> = fc.jsonValue() as fc.Arbitrary<JsonValue>;
const payload = fc.dictionary(fc.string(), json);

describe('canonical audit envelope', () => {
  it('equals RFC 8785 canonicalisation of the whole entry for any content', () => {
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
          ts: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          actor: fc.string(),
          action: fc.string(),
          subject: fc.option(fc.string(), { nil: null }),
          payload,
        }),
        (entry) => {
          const viaConcatenation = canonicalEnvelope({ ...entry, payload: canonicalJson(entry.payload) });
          const viaLibrary = canonicalize({ ...entry, v: 1 });
          expect(viaConcatenation).toBe(viaLibrary);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('sorts keys and normalises numbers as RFC 8785 requires', () => {
    expect(canonicalJson({ b: 1, a: [1e21, 0.1, -0], é: 'x', A: true })).toBe(
      '{"A":true,"a":[1e+21,0.1,0],"b":1,"é":"x"}',
    );
  });
});
