export {
  FEATURES,
  featureByKey,
  featureLabel,
  formatFeatureValue,
  formatNumber,
  type TextLanguage,
} from './feature-text';
