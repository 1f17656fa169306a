export * from './devices';
export * from './chain';
export * from './feed';
