/**
 * Protected attributes and obvious proxies never become model inputs (GDPR, ECOA / Reg B,
 * EU AI Act). The check runs on every specification the trainer accepts and in the build's tests.
 * Matching is by whole word of the key, column and English label, so "averageInflow" does not
 * trip on "age" while "applicantAge", "age_years" or "Age of applicant" do.
 */
import { featureColumn, type FeatureSpec } from './schema';

export const PROTECTED_ATTRIBUTES = [
  'sex',
  'age',
  'maritalStatus',
  'religion',
  'ethnicity',
  'nationality',
  'disability',
  'location',
  'contacts',
  'school',
] as const;
export type ProtectedAttribute = (typeof PROTECTED_ATTRIBUTES)[number];

/** Lower-case words that name a protected attribute or an obvious proxy for one. */
const DENIED_WORDS: Readonly<Record<ProtectedAttribute, readonly string[]>> = {
  sex: ['sex', 'gender', 'male', 'female', 'pregnant', 'pregnancy', 'maternity'],
  age: ['age', 'aged', 'birth', 'birthday', 'birthdate', 'dob', 'born', 'yob'],
  maritalStatus: ['marital', 'married', 'marriage', 'spouse', 'widowed', 'divorced', 'single', 'personal_status'],
  religion: ['religion', 'religious', 'faith', 'church', 'mosque', 'caste'],
  ethnicity: ['ethnic', 'ethnicity', 'race', 'racial', 'tribe', 'tribal', 'clan', 'language', 'tongue', 'skin'],
  nationality: ['nationality', 'citizenship', 'citizen', 'foreign', 'immigrant', 'migrant', 'passport', 'country'],
  disability: ['disability', 'disabled', 'handicap', 'impairment', 'illness', 'health'],
  location: [
    'postcode',
    'postal',
    'zip',
    'zipcode',
    'location',
    'address',
    'gps',
    'latitude',
    'longitude',
    'geo',
    'geolocation',
    'neighbourhood',
    'neighborhood',
    'district',
    'village',
    'county',
    'region',
    'ward',
  ],
  contacts: ['contacts', 'contact', 'phonebook', 'friends', 'social'],
  school: ['school', 'schooling', 'university', 'college', 'education', 'alumni'],
};

export interface DeniedFeature {
  readonly key: string;
  readonly attribute: ProtectedAttribute | 'protectedColumn';
  /** The word or column that matched, so the message says why. */
  readonly match: string;
}

/** Splits camelCase, snake_case, kebab-case and free text into lower-case words. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** Which protected attribute, if any, a name refers to. */
export function protectedAttributeOf(name: string): { attribute: ProtectedAttribute; word: string } | undefined {
  const found = words(name);
  const joined = found.join('_');
  for (const attribute of PROTECTED_ATTRIBUTES) {
    for (const denied of DENIED_WORDS[attribute]) {
      // Multi-word entries (personal_status) match as a phrase, single words as a whole word.
      if (denied.includes('_') ? joined.includes(denied) : found.includes(denied)) {
        return { attribute, word: denied };
      }
    }
  }
  return undefined;
}

/**
 * Every feature of the specification that is a protected attribute, a proxy, or reads a column the
 * specification itself lists as protected. An empty list means the specification may be trained.
 */
export function findDeniedFeatures(spec: Pick<FeatureSpec, 'features' | 'protectedColumns'>): DeniedFeature[] {
  const protectedColumns = new Set(spec.protectedColumns.map((p) => p.column));
  const denied: DeniedFeature[] = [];
  for (const feature of spec.features) {
    const column = featureColumn(feature);
    if (protectedColumns.has(column)) {
      denied.push({ key: feature.key, attribute: 'protectedColumn', match: column });
      continue;
    }
    for (const name of [feature.key, column, feature.label.en]) {
      const hit = protectedAttributeOf(name);
      if (hit !== undefined) {
        denied.push({ key: feature.key, attribute: hit.attribute, match: hit.word });
        break;
      }
    }
  }
  return denied;
}
