export { theme } from './theme';
export { colorSchemeManager } from './color-scheme';
