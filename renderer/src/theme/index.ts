export { theme } from './theme';
export { cssVariablesResolver } from './css-variables';
export { colorSchemeManager } from './color-scheme';
