import { describe, expect, it } from 'vitest';
import {
  FeatureSpec,
  NEXIS_FEATURE_SPEC,
  canonicalSpecText,
  computeSpecHash,
  findDeniedFeatures,
  missingTranslations,
  protectedAttributeOf,
  validateFeatureValues,
  words,
  type Feature,
} from './index';

/** shared/ stays free of node:*, so the test injects a small stand-in digest (FNV-1a, hex); models/ injects SHA-256. */
const fakeHex = (text: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0').repeat(8);
};

const numeric = (key: string, label = key): Feature => ({
  key,
  label: { en: label },
  description: { en: 'test feature' },
  unit: 'units',
  kind: 'numeric',
  min: 0,
  max: 10,
  required: true,
  actionable: false,
  riskDirection: 'none',
  reasonText: { en: 'test' },
});

describe('the NEXIS feature specification', () => {
  it('passes its own schema', () => {
    expect(FeatureSpec.safeParse(NEXIS_FEATURE_SPEC).success).toBe(true);
  });

  it('has Swahili for every label, description, reason and category', () => {
    expect(missingTranslations(NEXIS_FEATURE_SPEC, 'sw')).toEqual([]);
  });

  it('contains no protected attribute or proxy (the build fails here if one is added)', () => {
    expect(findDeniedFeatures(NEXIS_FEATURE_SPEC)).toEqual([]);
  });

  it('gives feasibility bounds to exactly the actionable features', () => {
    for (const f of NEXIS_FEATURE_SPEC.features) {
      expect(f.feasibility !== undefined, f.key).toBe(f.actionable);
    }
  });
});

describe('the deny-list', () => {
  it.each([
    ['applicantAge', 'age'],
    ['age_years', 'age'],
    ['dateOfBirth', 'age'],
    ['gender', 'sex'],
    ['personal_status_sex', 'sex'],
    ['maritalStatus', 'maritalStatus'],
    ['religion', 'religion'],
    ['ethnicGroup', 'ethnicity'],
    ['nationality', 'nationality'],
    ['foreign_worker', 'nationality'],
    ['disabilityFlag', 'disability'],
    ['postcode', 'location'],
    ['homeAddress', 'location'],
    ['gpsLatitude', 'location'],
    ['phoneContactsCount', 'contacts'],
    ['schoolName', 'school'],
    ['educationLevel', 'school'],
  ])('refuses %s as %s', (key, attribute) => {
    expect(protectedAttributeOf(key)?.attribute).toBe(attribute);
    const denied = findDeniedFeatures({ features: [numeric('x', key)], protectedColumns: [] });
    expect(denied.map((d) => d.attribute)).toEqual([attribute]);
  });

  it('does not trip on words that merely contain a denied word', () => {
    for (const key of ['averageInflow', 'mobileMoneyInflowAvg', 'messageCount', 'pageViews', 'storage', 'mileage']) {
      expect(protectedAttributeOf(key), key).toBeUndefined();
    }
  });

  it('refuses a feature that reads a column listed as protected, whatever its name', () => {
    const denied = findDeniedFeatures({
      features: [{ ...numeric('harmless'), column: 'X5' }],
      protectedColumns: [{ column: 'X5', attribute: 'age' }],
    });
    expect(denied).toEqual([{ key: 'harmless', attribute: 'protectedColumn', match: 'X5' }]);
  });

  it('splits names into words', () => {
    expect(words('worstDaysPastDue12m')).toEqual(['worst', 'days', 'past', 'due12m']);
    expect(words('personal_status-sex HTMLParser')).toEqual(['personal', 'status', 'sex', 'html', 'parser']);
  });
});

describe('the specification schema', () => {
  it('refuses duplicate keys, a categorical feature with a direction, and missing feasibility', () => {
    const base = { ...NEXIS_FEATURE_SPEC };
    const first = NEXIS_FEATURE_SPEC.features[0];
    if (first === undefined) {
      throw new Error('spec has no features');
    }
    expect(FeatureSpec.safeParse({ ...base, features: [first, first] }).success).toBe(false);
    expect(FeatureSpec.safeParse({ ...base, features: [{ ...first, feasibility: undefined }] }).success).toBe(false);
    const categorical = {
      ...numeric('colour'),
      kind: 'categorical',
      min: undefined,
      max: undefined,
      categories: [
        { value: 'a', label: { en: 'A' } },
        { value: 'b', label: { en: 'B' } },
      ],
    };
    const { min: _min, max: _max, ...cat } = categorical;
    expect(FeatureSpec.safeParse({ ...base, features: [cat] }).success).toBe(true);
    expect(FeatureSpec.safeParse({ ...base, features: [{ ...cat, riskDirection: 'increasing' }] }).success).toBe(false);
  });
});

describe('the specification hash', () => {
  it('is independent of key order and changes with content', () => {
    const hash = computeSpecHash(NEXIS_FEATURE_SPEC, fakeHex);
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(canonicalSpecText(NEXIS_FEATURE_SPEC).startsWith('{"currency":')).toBe(true);
    const reversed = Object.fromEntries(Object.entries(NEXIS_FEATURE_SPEC).reverse()) as unknown;
    expect(Object.keys(reversed as object)[0]).not.toBe(Object.keys(NEXIS_FEATURE_SPEC)[0]);
    expect(computeSpecHash(reversed as FeatureSpec, fakeHex)).toBe(hash);
    expect(computeSpecHash({ ...NEXIS_FEATURE_SPEC, version: '1.0.1' }, fakeHex)).not.toBe(hash);
  });
});

describe('value validation', () => {
  it('reports required, range, integer and unknown keys', () => {
    const issues = validateFeatureValues(NEXIS_FEATURE_SPEC, {
      mobileMoneyInflowAvg: -1,
      activeLoans: 1.5,
      unknownThing: 3,
    });
    const byKey = new Map(issues.map((i) => [i.key, i.code]));
    expect(byKey.get('mobileMoneyInflowAvg')).toBe('OUT_OF_RANGE');
    expect(byKey.get('activeLoans')).toBe('NOT_AN_INTEGER');
    expect(byKey.get('unknownThing')).toBe('UNKNOWN_FEATURE');
    expect(byKey.get('termMonths')).toBe('REQUIRED');
    expect(byKey.has('rentOnTime12m')).toBe(false);
  });
});
