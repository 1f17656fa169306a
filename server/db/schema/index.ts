export * from './devices';
export * from './chain';
export * from './feed';
export * from './admins';
export * from './server-audit';
export * from './app-releases';
export * from './limits';
export * from './outcomes';
