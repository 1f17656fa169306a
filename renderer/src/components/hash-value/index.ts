export { HashValue, type HashValueProps } from './HashValue';
