export * from './use-report-error';
export * from './use-nexis-query';
export * from './use-nexis-mutation';
export * from './use-polling';
