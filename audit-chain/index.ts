/**
 * The audit chain shared by the workstation and the central API (docs/audit-format.md): one implementation of the
 * canonical form, the hash, the checkpoint message, the privacy guards and the verifier.
 */
export * from './canonical';
export * from './checkpoint';
export * from './errors';
export * from './hash';
export * from './keys';
export * from './privacy';
export * from './walk';
