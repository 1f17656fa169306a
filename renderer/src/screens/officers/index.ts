export { OfficersScreen } from './OfficersScreen';
