/**
 * The fleet view's data: each device's latest self-report, the published model releases, and the fleet-wide
 * withdrawal of one of them (performed on four-eyes approval, inside the decision's transaction).
 */
import { and, desc, eq } from 'drizzle-orm';
import {
  DeviceHealthSchema,
  type DeviceHealth,
  type DeviceReport,
  type ModelReleaseSummary,
} from '../../shared/sync/fleet';
import type { ServerDb } from '../db/database';
import { deviceReports, featureBinCounts, releases } from '../db/schema';
import { ApiError } from '../http/errors';
import { appendFeed } from './feed';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];
type Db = ServerDb | Tx;

/**
 * Replaces the device's report: only the latest matters for the fleet view (the audit trail keeps history). Its
 * feature bin counts go to their own table (one row per device, model version and month, replaced by newer figures)
 * in the same transaction; the stored report body is the rest.
 */
export async function recordReport(
  db: ServerDb,
  device: { readonly deviceId: string; readonly branchId: string },
  report: DeviceReport,
  now: Date,
): Promise<void> {
  const { featureBins, ...body } = report;
  const { deviceId, branchId } = device;
  await db.transaction(async (tx) => {
    await tx
      .insert(deviceReports)
      .values({ deviceId, body, receivedAt: now })
      .onConflictDoUpdate({ target: deviceReports.deviceId, set: { body, receivedAt: now } });
    for (const month of featureBins ?? []) {
      const row = { scores: month.scores, features: month.features, branchId, receivedAt: now };
      await tx
        .insert(featureBinCounts)
        .values({ deviceId, modelVersion: month.modelVersion, month: month.month, ...row })
        .onConflictDoUpdate({
          target: [featureBinCounts.deviceId, featureBinCounts.modelVersion, featureBinCounts.month],
          set: row,
        });
    }
  });
}

/** Every device's latest report, by device id. A stored body that no longer parses is left out, not guessed at. */
export async function latestReports(db: Db): Promise<Map<string, DeviceHealth>> {
  const rows = await db.select().from(deviceReports);
  const out = new Map<string, DeviceHealth>();
  for (const row of rows) {
    const parsed = DeviceHealthSchema.omit({ receivedAt: true }).safeParse(row.body);
    if (parsed.success) {
      out.set(row.deviceId, { ...parsed.data, receivedAt: row.receivedAt.toISOString() });
    }
  }
  return out;
}

export async function listModelReleases(db: Db): Promise<ModelReleaseSummary[]> {
  const rows = await db
    .select()
    .from(releases)
    .where(eq(releases.kind, 'model'))
    .orderBy(desc(releases.publishedAt), desc(releases.feedItemId));
  return rows.map((r) => ({
    version: r.version,
    publishedAt: r.publishedAt.toISOString(),
    withdrawnAt: r.withdrawnAt?.toISOString() ?? null,
  }));
}

/** Checks a withdrawal can be proposed or performed: the release exists and is not withdrawn yet. */
export async function withdrawableRelease(db: Db, version: string): Promise<{ publishedAt: Date }> {
  const [row] = await db
    .select()
    .from(releases)
    .where(and(eq(releases.kind, 'model'), eq(releases.version, version)));
  if (row === undefined) {
    throw new ApiError(404, 'NOT_FOUND', `No model release ${version} was published.`);
  }
  if (row.withdrawnAt !== null) {
    throw new ApiError(409, 'CONFLICT', `Model release ${version} was already withdrawn.`);
  }
  return { publishedAt: row.publishedAt };
}

/** Marks the release withdrawn and tells every branch (one feed item for all branches). */
export async function withdrawModelRelease(
  tx: Tx,
  version: string,
  now: Date,
): Promise<{ feedItemId: number; version: string }> {
  await withdrawableRelease(tx, version);
  await tx
    .update(releases)
    .set({ withdrawnAt: now })
    .where(and(eq(releases.kind, 'model'), eq(releases.version, version)));
  const [feedItemId] = await appendFeed(
    tx,
    [{ kind: 'model.withdrawal', body: { version }, dedupeKey: `model-withdrawal:${version}` }],
    now,
  );
  if (feedItemId === undefined) {
    throw new ApiError(409, 'CONFLICT', `Model release ${version} was already withdrawn.`);
  }
  return { feedItemId, version };
}
