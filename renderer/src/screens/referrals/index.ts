export { ReferralsScreen } from './ReferralsScreen';
