export { fromSchema, required, sameAs } from './form-rules';
