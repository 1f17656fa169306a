/**
 * What administrators publish to devices through the feed: bank-signed officer grants and policy releases, signed
 * model packages, central requests. The server forwards signed releases as they are; every workstation verifies the
 * bank's signature before applying them (the server holds no release key).
 */
import type { z } from 'zod';
import type { ErasureInputSchema, WithdrawalInputSchema } from '../../shared/sync/admin';
import type { ModelRelease } from '../../shared/sync/pull';
import type { SignedOfficerGrant, SignedPolicyRelease } from '../../shared/sync/signed-release';
import type { ServerDb } from '../db/database';
import { releases } from '../db/schema';
import { ApiError } from '../http/errors';
import { removePersonalData } from './erasure';
import { appendFeed } from './feed';

/** A database or a transaction: publications run inside the caller's transaction when given one (four eyes). */
type Db = ServerDb | Parameters<Parameters<ServerDb['transaction']>[0]>[0];

export async function publishRelease(
  db: Db,
  release: { kind: 'policy'; body: SignedPolicyRelease } | { kind: 'model'; body: ModelRelease },
  now: Date,
): Promise<{ feedItemId: number; version: string }> {
  const version = release.kind === 'policy' ? release.body.release.version : release.body.version;
  return db.transaction(async (tx) => {
    const [feedItemId] =
      release.kind === 'policy'
        ? await appendFeed(tx, [{ kind: 'policy.release', body: release.body, dedupeKey: `policy:${version}` }], now)
        : await appendFeed(tx, [{ kind: 'model.release', body: release.body, dedupeKey: `model:${version}` }], now);
    if (feedItemId === undefined) {
      throw new ApiError(409, 'CONFLICT', `A ${release.kind} release ${version} was already published.`);
    }
    await tx.insert(releases).values({ kind: release.kind, version, feedItemId, publishedAt: now });
    return { feedItemId, version };
  });
}

export async function publishOfficer(db: Db, grant: SignedOfficerGrant, now: Date): Promise<{ feedItemId: number }> {
  return db.transaction(async (tx) => {
    const [feedItemId] = await appendFeed(
      tx,
      [{ kind: 'officer.upsert', body: grant, branchId: grant.release.branchId ?? null }],
      now,
    );
    return { feedItemId: feedItemId ?? 0 };
  });
}

/** A withdrawal or erasure raised centrally (e.g. by the data protection office) goes to every branch. */
export async function publishRequest(
  db: Db,
  request:
    | { kind: 'applicant.erasure'; input: z.infer<typeof ErasureInputSchema> }
    | { kind: 'consent.withdrawal'; input: z.infer<typeof WithdrawalInputSchema> },
  now: Date,
): Promise<{ feedItemId: number }> {
  return db.transaction(async (tx) => {
    const [feedItemId] =
      request.kind === 'applicant.erasure'
        ? await appendFeed(tx, [{ kind: request.kind, body: { ...request.input, originDeviceId: null } }], now)
        : await appendFeed(tx, [{ kind: request.kind, body: { ...request.input, originDeviceId: null } }], now);
    if (request.kind === 'applicant.erasure' || request.input.purpose === 'central-sync') {
      await removePersonalData(tx, [request.input.applicantId]);
    }
    return { feedItemId: feedItemId ?? 0 };
  });
}
