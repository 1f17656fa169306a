export { LockedScreen } from './LockedScreen';
