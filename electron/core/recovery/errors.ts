/**
 * Why a recovery bundle was refused. The NexisError code is what the IPC layer and the UI switch on; `reason` says
 * which check failed, for the recovery drill and the tests. Messages name no secret and no personal data.
 */
import type { ErrorCode } from '../../../shared/ipc/result';
import { NexisError } from '../errors';

export type RecoveryFailure =
  /** The file is smaller than an empty bundle or larger than the biggest one this version accepts. */
  | 'BUNDLE_SIZE'
  /** The first bytes are not a NEXIS recovery bundle's. */
  | 'BUNDLE_MAGIC'
  /** A format version (or flags) this build does not read. */
  | 'BUNDLE_VERSION'
  /** A section tag out of place, a length beyond its limit or beyond the file, or bytes after the checksum. */
  | 'BUNDLE_LENGTH'
  /** The SHA-256 over the file does not match: damaged in transit or on the drive. */
  | 'BUNDLE_CHECKSUM'
  /** The clear header is not the expected JSON. */
  | 'BUNDLE_HEADER'
  /** The secrets block is not an age file, or what it decrypts to is not the expected JSON. */
  | 'BUNDLE_SECRETS'
  /** A section does not match the hash the secrets block binds it to (sections mixed from different bundles). */
  | 'BUNDLE_BINDING'
  /** The identity given is not an age X25519 identity (AGE-SECRET-KEY-1…). */
  | 'IDENTITY_INVALID'
  /** The identity is well formed but is not one the bundle was encrypted to. */
  | 'IDENTITY_MISMATCH'
  /** The recipients given for a new bundle are not 1–4 age X25519 recipients. */
  | 'RECIPIENTS_INVALID'
  /** The restore target is not an empty folder. */
  | 'TARGET_NOT_EMPTY'
  /** The restored database does not open with the recovered key or fails its integrity check. */
  | 'RESTORE_CHECK_FAILED'
  /** An off-device folder that is inside the data folder (a copy that dies with the laptop). */
  | 'FOLDER_INSIDE_DATA_DIR'
  /** This build carries no bank recovery recipient, so it writes no recovery bundle. */
  | 'RECOVERY_DISABLED'
  /** No recovery folder has been chosen yet. */
  | 'FOLDER_NOT_SET';

const CODE_OF: Record<RecoveryFailure, ErrorCode> = {
  BUNDLE_SIZE: 'IMPORT_INVALID',
  BUNDLE_MAGIC: 'IMPORT_INVALID',
  BUNDLE_VERSION: 'IMPORT_INVALID',
  BUNDLE_LENGTH: 'IMPORT_INVALID',
  BUNDLE_CHECKSUM: 'IMPORT_INVALID',
  BUNDLE_HEADER: 'IMPORT_INVALID',
  BUNDLE_SECRETS: 'IMPORT_INVALID',
  BUNDLE_BINDING: 'IMPORT_INVALID',
  IDENTITY_INVALID: 'INVALID_INPUT',
  IDENTITY_MISMATCH: 'DB_KEY_INVALID',
  RECIPIENTS_INVALID: 'INVALID_INPUT',
  TARGET_NOT_EMPTY: 'CONFLICT',
  RESTORE_CHECK_FAILED: 'DB_CORRUPT',
  FOLDER_INSIDE_DATA_DIR: 'INVALID_INPUT',
  RECOVERY_DISABLED: 'CONFLICT',
  FOLDER_NOT_SET: 'CONFLICT',
};

export class RecoveryError extends NexisError {
  readonly reason: RecoveryFailure;

  constructor(reason: RecoveryFailure, message: string, options?: { cause?: unknown }) {
    super(CODE_OF[reason], message, options);
    this.name = 'RecoveryError';
    this.reason = reason;
  }
}
