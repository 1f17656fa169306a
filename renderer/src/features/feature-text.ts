/** Labels and display of behavioural features, read from the one feature specification. */
import { NEXIS_FEATURE_SPEC, isPercentFeature, toInputText, type Feature } from '../../../shared/features';
import { officerNumberSymbols } from '../format';

export type TextLanguage = 'en' | 'sw';

export const FEATURES: readonly Feature[] = NEXIS_FEATURE_SPEC.features;

const BY_KEY = new Map(FEATURES.map((feature) => [feature.key, feature]));

export function featureByKey(key: string): Feature | undefined {
  return BY_KEY.get(key);
}

export function featureLabel(key: string, language: TextLanguage = 'en'): string {
  const feature = BY_KEY.get(key);
  return feature ? (feature.label[language] ?? feature.label.en) : key;
}

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

/** A value with its unit ("25,000 KES/month", "8 %" for a 0.08 share, "0.3 ratio"); "—" for a missing value. */
export function formatFeatureValue(key: string, value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') {
    return '—';
  }
  const feature = BY_KEY.get(key);
  if (typeof value === 'string') {
    const category = feature?.kind === 'categorical' ? feature.categories.find((c) => c.value === value) : undefined;
    return category ? category.label.en : value;
  }
  if (feature !== undefined && isPercentFeature(feature)) {
    // In percent, as the form takes it: the share 0.0825 reads "8.25 %", never "0.08 share".
    return `${toInputText(feature, value, officerNumberSymbols())} %`;
  }
  const text = numberFormat.format(value);
  return feature ? `${text} ${feature.unit}` : text;
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}
