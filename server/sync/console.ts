/** Read models for the admin sync console: devices and their chain state, issues, failures, branch activity. */
import { and, desc, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import type { BranchActivity, ChainIssue, DeviceSummary, Failure } from '../../shared/sync/admin';
import type { ServerDb } from '../db/database';
import { auditEntries, chainIssues, countersignedCheckpoints, devices, failures } from '../db/schema';
import { rowsOf } from '../db/rows';
import { view } from './ingest';
import { latestReports } from './fleet';

export async function listDevices(db: ServerDb): Promise<DeviceSummary[]> {
  const rows = await db.select().from(devices).orderBy(devices.branchId, devices.deviceId);
  const reports = await latestReports(db);
  const out: DeviceSummary[] = [];
  for (const d of rows) {
    const [openIssues] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(chainIssues)
      .where(eq(chainIssues.deviceId, d.deviceId));
    const [lastError] = await db
      .select({ code: failures.code, at: failures.at })
      .from(failures)
      .where(eq(failures.deviceId, d.deviceId))
      .orderBy(desc(failures.id))
      .limit(1);
    const [checkpoint] = await db
      .select()
      .from(countersignedCheckpoints)
      .where(eq(countersignedCheckpoints.deviceId, d.deviceId))
      .orderBy(desc(countersignedCheckpoints.seq))
      .limit(1);
    out.push({
      deviceId: d.deviceId,
      branchId: d.branchId,
      status: d.revokedAt === null ? 'active' : 'revoked',
      enrolledAt: d.enrolledAt.toISOString(),
      revokedAt: d.revokedAt?.toISOString() ?? null,
      lastContactAt: d.lastContactAt?.toISOString() ?? null,
      ackedSeq: d.ackedSeq,
      ackedHash: d.ackedHash,
      reportedHeadSeq: d.reportedHeadSeq,
      backlog: Math.max(0, d.reportedHeadSeq - d.ackedSeq),
      chainStatus: d.chainStatus,
      openIssues: openIssues?.n ?? 0,
      lastError: lastError === undefined ? null : { code: lastError.code, at: lastError.at.toISOString() },
      lastCountersigned: checkpoint === undefined ? null : view(d.deviceId, checkpoint),
      health: reports.get(d.deviceId) ?? null,
    });
  }
  return out;
}

export async function listChainIssues(db: ServerDb, deviceId?: string): Promise<ChainIssue[]> {
  const rows = await db
    .select()
    .from(chainIssues)
    .where(deviceId === undefined ? undefined : eq(chainIssues.deviceId, deviceId))
    .orderBy(desc(chainIssues.id))
    .limit(500);
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}

export async function listFailures(db: ServerDb, before?: number): Promise<Failure[]> {
  const rows = await db
    .select()
    .from(failures)
    .where(before === undefined ? undefined : lt(failures.id, before))
    .orderBy(desc(failures.id))
    .limit(200);
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}

export async function branchActivity(db: ServerDb, since: Date): Promise<BranchActivity[]> {
  const counts = rowsOf<{ branch_id: string; family: string; n: number }>(
    await db.execute(sql`
      SELECT ${auditEntries.branchId} AS branch_id, split_part(${auditEntries.action}, '.', 1) AS family, count(*)::int AS n
      FROM ${auditEntries} WHERE ${auditEntries.receivedAt} >= ${since.toISOString()}
      GROUP BY 1, 2`),
  );
  const deviceCounts = await db
    .select({ branchId: devices.branchId, n: sql<number>`count(*)::int` })
    .from(devices)
    .where(isNull(devices.revokedAt))
    .groupBy(devices.branchId);
  const byBranch = new Map<string, BranchActivity>();
  for (const d of deviceCounts) {
    byBranch.set(d.branchId, { branchId: d.branchId, devices: d.n, counts: {} });
  }
  for (const c of counts) {
    const branch = byBranch.get(c.branch_id) ?? { branchId: c.branch_id, devices: 0, counts: {} };
    branch.counts[c.family] = c.n;
    byBranch.set(c.branch_id, branch);
  }
  return [...byBranch.values()].sort((a, b) => a.branchId.localeCompare(b.branchId));
}

export async function deviceEntryCount(db: ServerDb, deviceId: string, since?: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditEntries)
    .where(
      and(eq(auditEntries.deviceId, deviceId), since === undefined ? undefined : gte(auditEntries.receivedAt, since)),
    );
  return row?.n ?? 0;
}
