import { describe, expect, it } from 'vitest';
import { parseReasonTexts, policyRules, toPolicyRelease, type PolicyValues } from './policy-form';
import { applicantIdFromBytes } from '../../../../shared/domain/applicant-id';
import { applicantIdRule, branchIdRule } from './console-rules';

const VALID: PolicyValues = {
  version: '2026.11-1',
  approve: '620',
  refer: '560',
  reasonTexts: '{"income-not-verified": {"en": "Income not verified.", "sw": "Mapato hayakuthibitishwa."}}',
};

describe('the policy release form', () => {
  it('builds the release the contract accepts, with cut-offs as numbers', () => {
    expect(toPolicyRelease(VALID)).toEqual({
      version: '2026.11-1',
      cutoffs: { approve: 620, refer: 560 },
      reasonTexts: { 'income-not-verified': { en: 'Income not verified.', sw: 'Mapato hayakuthibitishwa.' } },
    });
    expect(toPolicyRelease({ ...VALID, reasonTexts: '  ' }).reasonTexts).toEqual({});
  });

  it('refuses a refer cut-off at or above the approve cut-off, and fractions', () => {
    expect(policyRules.refer('620', VALID)).toBe(
      'Refer cut-off: must be below the approve cut-off (620); lower it or raise the approve cut-off.',
    );
    expect(policyRules.refer('700', VALID)).toMatch(/below the approve cut-off/);
    expect(policyRules.refer('559', VALID)).toBeNull();
    expect(policyRules.approve('600.5')).toBe('Approve cut-off: enter a whole number of score points, such as 620.');
    expect(policyRules.approve('')).toMatch(/whole number/);
    expect(policyRules.approve('6,20')).toMatch(/whole number/);
  });

  it('says where reason texts are wrong: not JSON, or a language missing', () => {
    expect(parseReasonTexts('{"x": ')).toEqual({ ok: false, message: 'Not valid JSON' });
    const missing = parseReasonTexts('{"income-not-verified": {"en": "Income not verified."}}');
    expect(missing.ok).toBe(false);
    expect(missing.ok ? '' : missing.message).toMatch(/^income-not-verified\.sw: /);
  });
});

describe('console field rules', () => {
  it('accepts branch ids in any case, and applicant ids only with a correct check symbol', () => {
    expect(branchIdRule('nbo-01')).toBeNull();
    expect(branchIdRule('N')).not.toBeNull();
    expect(applicantIdRule('not-an-id')).not.toBeNull();
    const id = applicantIdFromBytes(new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
    expect(applicantIdRule(id.toLowerCase())).toBeNull();
    // One symbol changed: the check symbol no longer matches.
    const typo = `${id.slice(0, 4)}${id[4] === '0' ? '1' : '0'}${id.slice(5)}`;
    expect(applicantIdRule(typo)).not.toBeNull();
  });
});
