export * from './meta';
export * from './officers';
export * from './audit';
export * from './applicants';
export * from './scoring';
