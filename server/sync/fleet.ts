/**
 * The fleet view's data: each device's latest self-report, the published model releases, and the fleet-wide
 * withdrawal of one of them (performed on four-eyes approval, inside the decision's transaction).
 */
import { and, desc, eq, lt } from 'drizzle-orm';
import {
  DeviceHealthSchema,
  featureBinWindow,
  type DeviceHealth,
  type DeviceReport,
  type ModelReleaseSummary,
} from '../../shared/sync/fleet';
import type { ServerDb } from '../db/database';
import { ModelReleaseSchema, type ModelRelease } from '../../shared/sync/pull';
import { VersionSchema } from '../../shared/sync/primitives';
import { deviceReports, featureBinCounts, feedItems, releases } from '../db/schema';
import { ApiError } from '../http/errors';
import { appendFeed } from './feed';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];
type Db = ServerDb | Tx;

/**
 * The months the centre takes from a report received at `now`: closed months only (an older workstation that still
 * sends the month in progress would leak one applicant's bins between two reports), back to the report's window
 * with a month of slack for a device clock that is behind.
 */
function acceptedMonths(now: Date): { readonly first: string; readonly last: string } {
  const behind = featureBinWindow(new Date(now.getTime() - 31 * 24 * 3600 * 1000));
  return { first: behind.first, last: featureBinWindow(now).last };
}

/**
 * Replaces the device's report: only the latest matters for the fleet view (the audit trail keeps history). Its
 * feature bin counts go to their own table in the same transaction, replacing all of the device's earlier rows (a
 * report carries its whole window), months outside the window left out; the stored report body is the rest. Rows
 * older than the window go, for every device.
 */
export async function recordReport(
  db: ServerDb,
  device: { readonly deviceId: string; readonly branchId: string },
  report: DeviceReport,
  now: Date,
): Promise<void> {
  const { featureBins, ...body } = report;
  const { deviceId, branchId } = device;
  const window = acceptedMonths(now);
  await db.transaction(async (tx) => {
    await tx
      .insert(deviceReports)
      .values({ deviceId, body, receivedAt: now })
      .onConflictDoUpdate({ target: deviceReports.deviceId, set: { body, receivedAt: now } });
    if (featureBins === undefined) {
      return;
    }
    await tx.delete(featureBinCounts).where(eq(featureBinCounts.deviceId, deviceId));
    await tx.delete(featureBinCounts).where(lt(featureBinCounts.month, window.first));
    const rows = featureBins
      .filter((m) => m.month >= window.first && m.month <= window.last)
      .map((m) => ({
        deviceId,
        branchId,
        modelVersion: m.modelVersion,
        month: m.month,
        scores: m.scores,
        features: m.features,
        receivedAt: now,
      }));
    if (rows.length > 0) {
      await tx.insert(featureBinCounts).values(rows);
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

/** The model version a package's manifest declares, or null when it cannot be read (branches refuse such a one). */
function manifestVersion(files: ModelRelease['files'] | undefined): string | null {
  if (files === undefined) {
    return null;
  }
  try {
    const manifest = JSON.parse(Buffer.from(files['manifest.json'], 'base64').toString('utf8')) as unknown;
    const version = (manifest as { modelVersion?: unknown } | null)?.modelVersion;
    return typeof version === 'string' && VersionSchema.safeParse(version).success ? version : null;
  } catch {
    return null;
  }
}

export async function listModelReleases(db: Db): Promise<ModelReleaseSummary[]> {
  const rows = await db
    .select({ release: releases, body: feedItems.body })
    .from(releases)
    .innerJoin(feedItems, eq(feedItems.id, releases.feedItemId))
    .where(eq(releases.kind, 'model'))
    .orderBy(desc(releases.publishedAt), desc(releases.feedItemId));
  return rows.map(({ release: r, body }) => {
    const parsed = ModelReleaseSchema.safeParse(body);
    return {
      version: r.version,
      publishedAt: r.publishedAt.toISOString(),
      withdrawnAt: r.withdrawnAt?.toISOString() ?? null,
      challengerVersion: parsed.success ? manifestVersion(parsed.data.challenger?.files) : null,
    };
  });
}

/**
 * The challenger package a published, not withdrawn, release carries: what a promotion proposes as the next
 * release's champion.
 */
export async function challengerOf(db: Db, version: string): Promise<ModelRelease['files']> {
  const [row] = await db
    .select({ body: feedItems.body, withdrawnAt: releases.withdrawnAt })
    .from(releases)
    .innerJoin(feedItems, eq(feedItems.id, releases.feedItemId))
    .where(and(eq(releases.kind, 'model'), eq(releases.version, version)));
  if (row === undefined) {
    throw new ApiError(404, 'NOT_FOUND', `No model release ${version} was published.`);
  }
  if (row.withdrawnAt !== null) {
    throw new ApiError(409, 'CONFLICT', `Model release ${version} was withdrawn: its challenger cannot be promoted.`);
  }
  const parsed = ModelReleaseSchema.safeParse(row.body);
  if (!parsed.success || parsed.data.challenger === undefined) {
    throw new ApiError(409, 'CONFLICT', `Model release ${version} carries no challenger.`);
  }
  return parsed.data.challenger.files;
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
