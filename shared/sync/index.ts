/** The sync protocol between workstations and the central API (docs/sync-protocol.md): validated at both ends. */
export * from './primitives';
export * from './errors';
export * from './messages';
export * from './auth';
export * from './push';
export * from './pull';
export * from './admin';
export * from './fleet';
