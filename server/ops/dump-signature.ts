/**
 * `<dump>.sig`: the server keyring's signature over a backup. The `.sha256` beside a dump shows damage, not tampering
 * (whoever can change the dump can change its checksum); the keyring is kept apart from the database and its backups,
 * so a dump that verifies was written by `backup` (or `migrate --backup-dir`) of a server holding this keyring.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { publicKeyFromBase64, verifySignature } from '../../audit-chain';
import type { SigningKey } from '../security/secrets';
import { OpsError } from './pg-tools';

/** What a signature covers; every field is in the signed message. */
export interface DumpSignatureFields {
  readonly sha256: string;
  readonly size: number;
  /** The database the dump was taken from (a restore may go elsewhere: recorded, not checked). */
  readonly database: string;
  /** ISO 8601, when the dump was complete. */
  readonly createdAt: string;
}

const SignatureFileSchema = z
  .object({
    keyId: z.string().min(1).max(200),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    size: z.number().int().nonnegative(),
    database: z.string().min(1).max(200),
    createdAt: z.string().datetime(),
    signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
  })
  .strict();

export type DumpSignature = z.infer<typeof SignatureFileSchema>;

export function signatureFile(dump: string): string {
  return `${dump}.sig`;
}

/** Domain-separated, so that no other signature of this key (checkpoints, countersignatures) can pass for one. */
export function dumpSignatureMessage(fields: DumpSignatureFields): string {
  return ['nexis.backup.v1', fields.sha256, String(fields.size), fields.database, fields.createdAt].join('\n');
}

/** Writes `<dump>.sig` (owner-only, never over an existing file); the caller flushes it. */
export function writeDumpSignature(dump: string, signer: SigningKey, fields: DumpSignatureFields): DumpSignature {
  const signed: DumpSignature = {
    keyId: signer.keyId,
    ...fields,
    signature: signer.sign(dumpSignatureMessage(fields)),
  };
  writeFileSync(signatureFile(dump), `${JSON.stringify(signed, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return signed;
}

/**
 * Reads and verifies `<dump>.sig` against the keyring's public keys; returns the signed fields. It does not read the
 * dump: the caller compares the fields with the copy it restores from.
 */
export function verifyDumpSignature(dump: string, publicKeyFor: (keyId: string) => string | undefined): DumpSignature {
  const file = signatureFile(dump);
  const name = basename(dump);
  if (!existsSync(file)) {
    throw new OpsError(
      'OPS_DUMP_UNSIGNED',
      `${basename(file)} is missing: only a dump signed by this server's keyring is restored (backup and migrate ` +
        '--backup-dir write the signature beside the dump; backups are copied with their .sha256 and .sig). ' +
        'Nothing was restored.',
    );
  }
  let parsed: DumpSignature;
  try {
    parsed = SignatureFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    throw new OpsError(
      'OPS_DUMP_SIGNATURE_INVALID',
      `${basename(file)} is not a NEXIS backup signature: nothing was restored.`,
    );
  }
  const spki = publicKeyFor(parsed.keyId);
  if (spki === undefined) {
    throw new OpsError(
      'OPS_DUMP_SIGNATURE_INVALID',
      `${name} was signed by key "${parsed.keyId}", which this server's keyring does not hold: it was not taken by ` +
        'this deployment (or the keyring is not the one in use). Nothing was restored.',
    );
  }
  let valid: boolean;
  try {
    valid = verifySignature(publicKeyFromBase64(spki), dumpSignatureMessage(parsed), parsed.signature);
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new OpsError(
      'OPS_DUMP_SIGNATURE_INVALID',
      `${basename(file)} does not verify with key "${parsed.keyId}": the signature or what it covers was altered. ` +
        'Nothing was restored; use another copy or an earlier backup.',
    );
  }
  return parsed;
}
