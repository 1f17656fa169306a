/** What the admin publishes to devices through the feed: officers, policy and model releases, central requests. */
import type { z } from 'zod';
import type { ErasureInputSchema, OfficerInputSchema, WithdrawalInputSchema } from '../../shared/sync/admin';
import type { ModelRelease, PolicyRelease } from '../../shared/sync/pull';
import type { ServerDb } from '../db/database';

/** A database or a transaction: publications run inside the caller's transaction when given one (four eyes). */
type Db = ServerDb | Parameters<Parameters<ServerDb['transaction']>[0]>[0];
import { releases } from '../db/schema';
import { ApiError } from '../http/errors';
import { removePersonalData } from './erasure';
import { appendFeed } from './feed';

export async function publishRelease(
  db: Db,
  release: { kind: 'policy'; body: PolicyRelease } | { kind: 'model'; body: ModelRelease },
  now: Date,
): Promise<{ feedItemId: number; version: string }> {
  return db.transaction(async (tx) => {
    const [feedItemId] =
      release.kind === 'policy'
        ? await appendFeed(
            tx,
            [{ kind: 'policy.release', body: release.body, dedupeKey: `policy:${release.body.version}` }],
            now,
          )
        : await appendFeed(
            tx,
            [{ kind: 'model.release', body: release.body, dedupeKey: `model:${release.body.version}` }],
            now,
          );
    if (feedItemId === undefined) {
      throw new ApiError(409, 'CONFLICT', `A ${release.kind} release ${release.body.version} was already published.`);
    }
    await tx
      .insert(releases)
      .values({ kind: release.kind, version: release.body.version, feedItemId, publishedAt: now });
    return { feedItemId, version: release.body.version };
  });
}

export async function publishOfficer(
  db: Db,
  officer: z.infer<typeof OfficerInputSchema>,
  now: Date,
): Promise<{ feedItemId: number }> {
  return db.transaction(async (tx) => {
    const { branchId, ...body } = officer;
    const [feedItemId] = await appendFeed(tx, [{ kind: 'officer.upsert', body, branchId: branchId ?? null }], now);
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
