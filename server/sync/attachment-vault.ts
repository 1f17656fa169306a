/**
 * Central personal data at rest. A pushed attachment is split: what is not personal (a score's outcome, a decision's
 * codes, a consent receipt) stays readable in `audit_entries.attachment`; what is (the applicant record, behavioural
 * values, a score's contributions and plan, an override's free-text note) is sealed with AES-256-GCM under the
 * applicant's own data key, bound to its entry by AAD. Data keys are wrapped by the keyring's master key (outside the
 * database) in `applicant_keys`; erasure deletes the key, so the sealed bytes can be read from nowhere, backups of
 * the database included, once the key row is gone from them too (see docs/server.md, "Personal data at rest").
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import type { Attachment } from '../../shared/sync/push';
import type { ServerDb } from '../db/database';
import { applicantKeys } from '../db/schema';
import type { ServerSecrets } from '../security/secrets';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

/** Kinds whose body is personal data as a whole. */
const WHOLLY_PERSONAL = new Set(['applicant.record', 'behaviour.summary']);

export interface SplitAttachment {
  /** Stored readable (null when the whole body is personal). */
  readonly open: unknown;
  /** Sealed under the applicant's data key (null when nothing is personal). */
  readonly personal: unknown;
}

export function splitAttachment(attachment: Attachment): SplitAttachment {
  const body = attachment.body;
  if (WHOLLY_PERSONAL.has(attachment.kind)) {
    return { open: null, personal: body };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { open: body, personal: null };
  }
  const record = body as Record<string, unknown>;
  if (attachment.kind === 'score.result') {
    const { contributions, plan, ...rest } = record;
    return contributions === undefined && plan === undefined
      ? { open: rest, personal: null }
      : { open: rest, personal: { contributions, plan } };
  }
  if (attachment.kind === 'decision.record') {
    const override = record.override;
    if (typeof override === 'object' && override !== null && 'note' in override && override.note !== null) {
      return { open: { ...record, override: { ...override, note: null } }, personal: { note: override.note } };
    }
  }
  return { open: body, personal: null };
}

const aadOf = (deviceId: string, seq: number, kind: string): Buffer => Buffer.from(`${deviceId}:${seq}:${kind}`);
const wrapAad = (applicantId: string): string => `applicant-key:${applicantId}`;

export interface AttachmentVault {
  /** Seals the personal part of an entry's attachment, creating the applicant's data key if needed. */
  seal(applicantId: string, deviceId: string, seq: number, kind: string, personal: unknown): Promise<string>;
}

/** Per transaction: data keys are created once and reused for every entry of the batch. */
export function attachmentVault(tx: Tx, secrets: ServerSecrets): AttachmentVault {
  const keys = new Map<string, Buffer>();
  const keyFor = async (applicantId: string): Promise<Buffer> => {
    const cached = keys.get(applicantId);
    if (cached !== undefined) {
      return cached;
    }
    const [row] = await tx.select().from(applicantKeys).where(eq(applicantKeys.applicantId, applicantId));
    let key = row === undefined ? undefined : secrets.open(row.wrappedKey, wrapAad(applicantId));
    if (key === undefined) {
      key = randomBytes(32);
      const wrapped = secrets.seal(key, wrapAad(applicantId));
      const masterKeyId = wrapped.split('.')[1] ?? '';
      await tx
        .insert(applicantKeys)
        .values({ applicantId, masterKeyId, wrappedKey: wrapped })
        .onConflictDoUpdate({ target: applicantKeys.applicantId, set: { masterKeyId, wrappedKey: wrapped } });
    }
    keys.set(applicantId, key);
    return key;
  };
  return {
    async seal(applicantId, deviceId, seq, kind, personal) {
      const key = await keyFor(applicantId);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aadOf(deviceId, seq, kind));
      const body = Buffer.concat([cipher.update(JSON.stringify(personal), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
    },
  };
}

/** The personal part of a stored attachment, or null when its applicant's key is gone (erased) or it was altered. */
export async function openSealedAttachment(
  db: ServerDb,
  secrets: ServerSecrets,
  row: { applicantId: string; deviceId: string; seq: number; kind: string; sealed: string },
): Promise<unknown> {
  const [keyRow] = await db.select().from(applicantKeys).where(eq(applicantKeys.applicantId, row.applicantId));
  const key = keyRow === undefined ? undefined : secrets.open(keyRow.wrappedKey, wrapAad(row.applicantId));
  if (key === undefined) {
    return null;
  }
  try {
    const bytes = Buffer.from(row.sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAAD(aadOf(row.deviceId, row.seq, row.kind));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/** Destroys the applicants' data keys: their sealed attachments become unreadable everywhere. */
export async function destroyApplicantKeys(tx: Tx | ServerDb, applicantIds: readonly string[]): Promise<void> {
  if (applicantIds.length > 0) {
    await tx.delete(applicantKeys).where(inArray(applicantKeys.applicantId, [...applicantIds]));
  }
}
