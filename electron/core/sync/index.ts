/** The workstation's sync client (docs/sync-protocol.md): what the composition root wires. */
export { SyncClient, type SyncClientOptions, type SyncReport } from './client';
export { SyncLoop, type SyncLoopOptions, type SyncLoopStatus } from './scheduler';
export { SyncState, SYNC_KEYS, memoryStateStore } from './state';
export { createHttpTransport, type SyncTransport } from './transport';
export { auditChainSource } from './audit-source';
export { metaSyncStateStore } from './meta-state';
export { coreSyncHandlers, type CoreHandlerDeps } from './core-handlers';
export {
  installModelRelease,
  rollbackModelRelease,
  installPolicyRelease,
  currentPolicy,
  RELEASE_KEYS,
} from './releases';
export type { VerifyModelPackage, ModelPackageFiles } from './releases';
export { syncStatusLine, type SyncStatusLine } from './status';
export { backoffDelay, DEFAULT_BACKOFF } from './backoff';
export { SyncError, type AttachmentFor, type ChainSource, type PullHandlers, type PullOutcome } from './types';
