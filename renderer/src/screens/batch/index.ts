export { BatchScreen } from './BatchScreen';
