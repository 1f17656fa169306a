// The chain hash is audit-chain/'s (shared with the central API). This re-export serves electron/core/sync/ until
// its imports point there.
export { chainHash, GENESIS_HASH } from '../../../audit-chain';
