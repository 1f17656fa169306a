export { ApplicantsScreen } from './ApplicantsScreen';
