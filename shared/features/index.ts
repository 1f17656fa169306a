export * from './schema';
export * from './deny-list';
export * from './hash';
export * from './validate';
export { NEXIS_FEATURE_SPEC } from './nexis-spec';
export * from './input';
