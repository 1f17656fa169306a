/** Enrolment codes, device enrolment, challenges and access tokens, and revocation. */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull, lt, or } from 'drizzle-orm';
import { deviceIdFor, publicKeyFromBase64, verifySignature } from '../../audit-chain';
import type { EnrolRequest, TokenRequest } from '../../shared/sync/auth';
import { enrolmentMessage, tokenRequestMessage } from '../../shared/sync/messages';
import { GENESIS_HASH } from '../../shared/sync/primitives';
import type { ServerDb } from '../db/database';
import { appendServerAudit } from '../audit/server-audit';
import { authChallenges, devices, enrolmentCodes } from '../db/schema';
import { ApiError } from '../http/errors';
import type { AccessTokens } from '../security/access-tokens';
import type { ServerSecrets } from '../security/secrets';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CHALLENGE_TTL_MS = 2 * 60_000;
/** Outstanding challenges per device: an anonymous caller can make the server store no more than this per device. */
export const MAX_OPEN_CHALLENGES = 5;

const hashCode = (code: string): string => createHash('sha256').update(code, 'utf8').digest('hex');

export function newEnrolmentCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g += 1) {
    let group = '';
    for (let i = 0; i < 5; i += 1) {
      group += CROCKFORD[randomInt(CROCKFORD.length)];
    }
    groups.push(group);
  }
  return groups.join('-');
}

export async function createEnrolmentCode(
  db: ServerDb,
  branchId: string,
  ttlMinutes: number,
  now: Date,
): Promise<{ code: string; branchId: string; expiresAt: string }> {
  const code = newEnrolmentCode();
  const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000);
  await db.insert(enrolmentCodes).values({ codeHash: hashCode(code), branchId, createdAt: now, expiresAt });
  return { code, branchId, expiresAt: expiresAt.toISOString() };
}

/**
 * A one-time recovery code bound to an enrolled device (revoked or not): the workstation restored from that device's
 * recovery bundle re-enrols with it, proving it holds the same key. Runs in the caller's transaction, with its audit.
 */
export async function createRecoveryCode(
  db: ServerDb,
  deviceId: string,
  ttlMinutes: number,
  now: Date,
): Promise<{ code: string; deviceId: string; branchId: string; expiresAt: string }> {
  const [device] = await db.select({ branchId: devices.branchId }).from(devices).where(eq(devices.deviceId, deviceId));
  if (device === undefined) {
    throw new ApiError(404, 'NOT_FOUND', 'No such device.');
  }
  const code = newEnrolmentCode();
  const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000);
  await db.insert(enrolmentCodes).values({
    codeHash: hashCode(code),
    branchId: device.branchId,
    deviceId,
    createdAt: now,
    expiresAt,
  });
  return { code, deviceId, branchId: device.branchId, expiresAt: expiresAt.toISOString() };
}

const badSignature = (): ApiError =>
  new ApiError(401, 'SIGNATURE_INVALID', 'The signature does not verify with the device key.');

/** Consumes the code and registers the device, atomically: a code enrols exactly one device. */
export async function enrolDevice(
  db: ServerDb,
  secrets: ServerSecrets,
  request: EnrolRequest,
  now: Date,
): Promise<{ deviceId: string; branchId: string }> {
  let publicKey: ReturnType<typeof publicKeyFromBase64>;
  try {
    publicKey = publicKeyFromBase64(request.publicKey);
  } catch {
    throw new ApiError(400, 'INVALID_INPUT', 'publicKey is not an Ed25519 public key (SPKI DER, base64).');
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new ApiError(400, 'INVALID_INPUT', 'publicKey is not an Ed25519 public key (SPKI DER, base64).');
  }
  if (deviceIdFor(Buffer.from(request.publicKey, 'base64')) !== request.deviceId) {
    throw new ApiError(400, 'INVALID_INPUT', 'deviceId is not derived from publicKey.');
  }
  if (
    !verifySignature(publicKey, enrolmentMessage(request.code, request.deviceId, request.publicKey), request.signature)
  ) {
    throw badSignature();
  }
  return db.transaction(async (tx) => {
    const claimed = await tx
      .update(enrolmentCodes)
      .set({ usedAt: now, usedBy: request.deviceId })
      .where(
        and(
          eq(enrolmentCodes.codeHash, hashCode(request.code)),
          isNull(enrolmentCodes.usedAt),
          gt(enrolmentCodes.expiresAt, now),
          // A recovery code matches only the device it was issued for: anyone else's attempt leaves it unused.
          or(isNull(enrolmentCodes.deviceId), eq(enrolmentCodes.deviceId, request.deviceId)),
        ),
      )
      .returning({ branchId: enrolmentCodes.branchId, deviceId: enrolmentCodes.deviceId });
    const code = claimed[0];
    // Unused and unexpired are conditions of the UPDATE itself: of two concurrent uses, one matches no row.
    if (code === undefined) {
      return repeatEnrolment(tx, request, now);
    }
    const [existing] = await tx
      .select({ publicKey: devices.publicKey, branchId: devices.branchId })
      .from(devices)
      .where(eq(devices.deviceId, request.deviceId));
    if (code.deviceId !== null) {
      // The UPDATE matched only this device's code; checked again so a change to that condition cannot widen it.
      if (code.deviceId !== request.deviceId) {
        throw codeInvalid();
      }
      return recoverDevice(tx, secrets, request, existing, now);
    }
    if (existing !== undefined) {
      throw new ApiError(409, 'ALREADY_ENROLLED', 'This device key is already enrolled.');
    }
    await tx.insert(devices).values({
      deviceId: request.deviceId,
      branchId: code.branchId,
      publicKey: request.publicKey,
      enrolledAt: now,
      lastContactAt: now,
      ackedHash: GENESIS_HASH,
    });
    await appendServerAudit(
      tx,
      secrets.signing,
      {
        actor: request.deviceId,
        action: 'device.enrolled',
        subject: request.deviceId,
        payload: { branchId: code.branchId },
      },
      now,
    );
    return { deviceId: request.deviceId, branchId: code.branchId };
  });
}

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

const codeInvalid = (): ApiError =>
  new ApiError(401, 'ENROLMENT_CODE_INVALID', 'The enrolment code is unknown, used or expired.');

/**
 * A recovery code claimed by its own device: reinstated only when the stored key is the one presented. Any refusal
 * is thrown inside the claiming transaction, so the code stays unused (the administrator need not issue another).
 */
async function recoverDevice(
  tx: Tx,
  secrets: ServerSecrets,
  request: EnrolRequest,
  existing: { publicKey: string; branchId: string } | undefined,
  now: Date,
): Promise<{ deviceId: string; branchId: string }> {
  if (existing?.publicKey !== request.publicKey) {
    throw codeInvalid();
  }
  await tx
    .update(devices)
    .set({ revokedAt: null, recoveredAt: now, lastContactAt: now })
    .where(eq(devices.deviceId, request.deviceId));
  await appendServerAudit(
    tx,
    secrets.signing,
    {
      actor: request.deviceId,
      action: 'device.recovered',
      subject: request.deviceId,
      payload: { branchId: existing.branchId },
    },
    now,
  );
  return { deviceId: request.deviceId, branchId: existing.branchId };
}

/**
 * The same device retrying with the code it already used (its first answer was lost on the network) gets the same
 * enrolment again, until the code would have expired; anyone else gets ENROLMENT_CODE_INVALID.
 */
async function repeatEnrolment(
  tx: Tx,
  request: EnrolRequest,
  now: Date,
): Promise<{ deviceId: string; branchId: string }> {
  const [used] = await tx
    .select()
    .from(enrolmentCodes)
    .where(eq(enrolmentCodes.codeHash, hashCode(request.code)));
  const [device] = await tx.select().from(devices).where(eq(devices.deviceId, request.deviceId));
  if (
    used?.usedBy === request.deviceId &&
    used.expiresAt.getTime() > now.getTime() &&
    device !== undefined &&
    device.publicKey === request.publicKey &&
    device.revokedAt === null
  ) {
    return { deviceId: device.deviceId, branchId: device.branchId };
  }
  throw codeInvalid();
}

export async function createChallenge(
  db: ServerDb,
  deviceId: string,
  now: Date,
): Promise<{ nonce: string; expiresAt: string }> {
  const nonce = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  // Housekeeping: expired nonces are worthless.
  await db.delete(authChallenges).where(lt(authChallenges.expiresAt, now));
  const [device] = await db.select({ id: devices.deviceId }).from(devices).where(eq(devices.deviceId, deviceId));
  if (device === undefined) {
    // Nothing is stored for an unknown device; the answer looks the same, and the exchange fails. A revoked device
    // still gets its challenge, so that having proved its key it learns it is revoked and stops.
    return { nonce, expiresAt: expiresAt.toISOString() };
  }
  await db.transaction(async (tx) => {
    const open = await tx
      .select({ nonce: authChallenges.nonce })
      .from(authChallenges)
      .where(eq(authChallenges.deviceId, deviceId))
      .orderBy(desc(authChallenges.expiresAt));
    const surplus = open.slice(MAX_OPEN_CHALLENGES - 1).map((c) => c.nonce);
    if (surplus.length > 0) {
      await tx.delete(authChallenges).where(inArray(authChallenges.nonce, surplus));
    }
    await tx.insert(authChallenges).values({ nonce, deviceId, expiresAt });
  });
  return { nonce, expiresAt: expiresAt.toISOString() };
}

/** Proof of possession: the device signs a fresh nonce; the nonce is consumed whatever the outcome. */
export async function exchangeChallenge(
  db: ServerDb,
  tokens: AccessTokens,
  request: TokenRequest,
  now: Date,
): Promise<{ token: string; expiresAt: string }> {
  const consumed = await db
    .delete(authChallenges)
    .where(and(eq(authChallenges.nonce, request.nonce), eq(authChallenges.deviceId, request.deviceId)))
    .returning({ expiresAt: authChallenges.expiresAt });
  const challenge = consumed[0];
  if (challenge === undefined || challenge.expiresAt.getTime() <= now.getTime()) {
    throw new ApiError(401, 'CHALLENGE_INVALID', 'The challenge is unknown, used or expired; request a new one.');
  }
  const device = (await db.select().from(devices).where(eq(devices.deviceId, request.deviceId)))[0];
  if (device === undefined) {
    throw new ApiError(401, 'UNAUTHENTICATED', 'Unknown device.');
  }
  if (device.revokedAt !== null) {
    throw new ApiError(403, 'DEVICE_REVOKED', 'This device has been revoked.');
  }
  const message = tokenRequestMessage(request.deviceId, request.nonce);
  if (!verifySignature(publicKeyFromBase64(device.publicKey), message, request.signature)) {
    throw badSignature();
  }
  return tokens.issue(request.deviceId, now);
}

export async function revokeDevice(db: ServerDb, deviceId: string, now: Date): Promise<{ revokedAt: string }> {
  const rows = await db
    .update(devices)
    .set({ revokedAt: now })
    .where(eq(devices.deviceId, deviceId))
    .returning({ revokedAt: devices.revokedAt });
  const row = rows[0];
  if (row === undefined) {
    throw new ApiError(404, 'NOT_FOUND', 'No such device.');
  }
  return { revokedAt: (row.revokedAt ?? now).toISOString() };
}
