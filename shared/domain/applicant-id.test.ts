import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applicantIdFromBytes, isValidApplicantId, normaliseApplicantId } from './applicant-id';

const bytes = fc.uint8Array({ minLength: 7, maxLength: 7 });

describe('applicant ids', () => {
  it('are well-formed and carry a valid check symbol for any random input', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const id = applicantIdFromBytes(b);
        expect(id).toMatch(/^NEX-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-.$/);
        expect(isValidApplicantId(id)).toBe(true);
      }),
    );
  });

  it('reject any single mistyped symbol', () => {
    fc.assert(
      fc.property(bytes, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 31 }), (b, position, shift) => {
        const id = applicantIdFromBytes(b);
        const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
        const index = position < 5 ? 4 + position : 5 + position;
        const original = id.charAt(index);
        const replaced = alphabet.charAt((alphabet.indexOf(original) + shift) % 32);
        const typo = id.slice(0, index) + replaced + id.slice(index + 1);
        expect(isValidApplicantId(typo)).toBe(false);
      }),
    );
  });

  it('reject two swapped neighbouring symbols', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const id = applicantIdFromBytes(b);
        const body = id.slice(4, 9);
        if (body.charAt(0) === body.charAt(1)) {
          return;
        }
        const swapped = `NEX-${body.charAt(1)}${body.charAt(0)}${body.slice(2)}${id.slice(9)}`;
        expect(isValidApplicantId(swapped)).toBe(false);
      }),
    );
  });

  it('are not sequential: consecutive ids share no predictable order', () => {
    const ids = Array.from({ length: 50 }, (_, i) =>
      applicantIdFromBytes(new Uint8Array([i * 37, 200 - i, i * i, 7, 9, i, 255 - i])),
    );
    expect(new Set(ids).size).toBe(50);
  });

  it('accept what a person types: lower case, O for zero, I and L for one', () => {
    const id = applicantIdFromBytes(new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
    const typed = id.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
    expect(normaliseApplicantId(typed)).toBe(id);
  });
});
