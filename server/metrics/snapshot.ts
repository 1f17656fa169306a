/**
 * What the metrics read from the database at scrape time, in one read-only transaction of a few small queries (the
 * devices and their latest reports are one row per device; chain issues a row per issue kind). A scrape never waits
 * more than SNAPSHOT_TIMEOUT_MS: on PostgreSQL the statements are also cut by `statement_timeout`, and concurrent
 * scrapes share the read in flight, so a slow database cannot pile queries up.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { rowsOf } from '../db/rows';

export const SNAPSHOT_TIMEOUT_MS = 3_000;
/** Scrapes within this long of a snapshot reuse it (every gauge of one scrape reads the same snapshot). */
const SNAPSHOT_REUSE_MS = 1_000;

export const CONTACT_BUCKETS = ['under_1h', '1h_1d', '1d_7d', 'over_7d', 'never'] as const;
export type ContactBucket = (typeof CONTACT_BUCKETS)[number];

export const ERROR_KINDS = ['coreErrors', 'rendererErrors', 'rendererCrashes', 'mainCrashes', 'childCrashes'] as const;
const ERROR_LABELS: Record<(typeof ERROR_KINDS)[number], string> = {
  coreErrors: 'core_error',
  rendererErrors: 'renderer_error',
  rendererCrashes: 'renderer_crash',
  mainCrashes: 'main_crash',
  childCrashes: 'child_crash',
};

export interface BranchDevices {
  readonly branch: string;
  readonly byContact: Record<ContactBucket, number>;
  readonly revoked: number;
  readonly flagged: number;
  readonly backlog: number;
}

export interface BranchFleet {
  readonly branch: string;
  readonly reporting: number;
  readonly modelRefused: number;
  readonly databaseBytes: number;
  readonly freeDiskBytesMin: number | undefined;
  readonly scoreP95Seconds: number | undefined;
  readonly modelLoadFailures: number | undefined;
  readonly scoresSinceSync: number | undefined;
  /** `since_sync/core_error` → sum over the branch's devices. */
  readonly errors: Map<string, number>;
}

export interface Snapshot {
  readonly up: boolean;
  readonly feedItems: number;
  readonly serverAuditEntries: number;
  readonly chainIssues: Map<string, number>;
  readonly devices: readonly BranchDevices[];
  readonly fleet: readonly BranchFleet[];
}

const HOUR = 3_600_000;

export function contactBucket(lastContactAt: Date | null, now: Date): ContactBucket {
  if (lastContactAt === null) {
    return 'never';
  }
  const age = now.getTime() - lastContactAt.getTime();
  return age < HOUR ? 'under_1h' : age < 24 * HOUR ? '1h_1d' : age < 7 * 24 * HOUR ? '1d_7d' : 'over_7d';
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

interface FleetAccumulator {
  reporting: number;
  modelRefused: number;
  databaseBytes: number;
  freeDiskBytesMin: number | undefined;
  scoreP95Ms: number | undefined;
  modelLoadFailures: number | undefined;
  scoresSinceSync: number | undefined;
  errors: Map<string, number>;
}

const add = (a: number | undefined, b: number | undefined): number | undefined => (b === undefined ? a : (a ?? 0) + b);

/**
 * Folds one stored report into its branch. Reports are validated on ingest, but rows written by older builds lack
 * newer fields (performance), so every field is read defensively and a missing one is simply not counted.
 */
export function foldReport(into: FleetAccumulator, body: unknown): void {
  const report = record(body);
  into.reporting += 1;
  if (report === undefined) {
    return;
  }
  if (record(report.model)?.state === 'refused') {
    into.modelRefused += 1;
  }
  into.databaseBytes += count(report.databaseBytes) ?? 0;
  const free = count(report.freeDiskBytes);
  if (free !== undefined) {
    into.freeDiskBytesMin = Math.min(into.freeDiskBytesMin ?? Infinity, free);
  }
  const diagnostics = record(report.diagnostics);
  for (const window of ['sinceSync', 'total'] as const) {
    const counters = record(diagnostics?.[window]);
    if (counters === undefined) {
      continue;
    }
    for (const kind of ERROR_KINDS) {
      const n = count(counters[kind]);
      if (n !== undefined) {
        const key = `${window === 'sinceSync' ? 'since_sync' : 'total'}/${ERROR_LABELS[kind]}`;
        into.errors.set(key, (into.errors.get(key) ?? 0) + n);
      }
    }
  }
  const performance = record(report.performance);
  if (performance !== undefined) {
    const p95 = count(performance.scoreP95Ms);
    if (p95 !== undefined) {
      into.scoreP95Ms = Math.max(into.scoreP95Ms ?? 0, p95);
    }
    into.modelLoadFailures = add(into.modelLoadFailures, count(performance.modelLoadFailures));
    into.scoresSinceSync = add(into.scoresSinceSync, count(performance.scoresSinceSync));
  }
}

function emptyFleet(): FleetAccumulator {
  return {
    reporting: 0,
    modelRefused: 0,
    databaseBytes: 0,
    freeDiskBytesMin: undefined,
    scoreP95Ms: undefined,
    modelLoadFailures: undefined,
    scoresSinceSync: undefined,
    errors: new Map(),
  };
}

interface DeviceRow {
  branch_id: string;
  revoked: boolean;
  flagged: boolean;
  last_contact_at: Date | string | null;
  backlog: number | string;
  body: unknown;
}

async function readSnapshot(database: Database, now: Date): Promise<Snapshot> {
  return database.db.transaction(
    async (tx) => {
      if (database.kind === 'postgres') {
        await tx.execute(sql.raw(`SET LOCAL statement_timeout = ${SNAPSHOT_TIMEOUT_MS}`));
      }
      await tx.execute(sql`SELECT 1`);
      const feed = rowsOf<{ n: number | string }>(await tx.execute(sql`SELECT count(*)::bigint AS n FROM feed_items`));
      const audit = rowsOf<{ n: number | string | null }>(
        await tx.execute(sql`SELECT max(seq) AS n FROM server_audit`),
      );
      const issues = rowsOf<{ kind: string; n: number | string }>(
        await tx.execute(sql`SELECT kind, count(*)::bigint AS n FROM chain_issues GROUP BY kind`),
      );
      const devices = rowsOf<DeviceRow>(
        await tx.execute(sql`
          SELECT d.branch_id, d.revoked_at IS NOT NULL AS revoked, d.chain_status = 'flagged' AS flagged,
                 d.last_contact_at, greatest(d.reported_head_seq - d.acked_seq, 0) AS backlog, r.body
          FROM devices d LEFT JOIN device_reports r ON r.device_id = d.device_id`),
      );
      const byBranch = new Map<string, { devices: BranchDevices; fleet: FleetAccumulator }>();
      for (const row of devices) {
        let branch = byBranch.get(row.branch_id);
        if (branch === undefined) {
          branch = {
            devices: {
              branch: row.branch_id,
              byContact: { under_1h: 0, '1h_1d': 0, '1d_7d': 0, over_7d: 0, never: 0 },
              revoked: 0,
              flagged: 0,
              backlog: 0,
            },
            fleet: emptyFleet(),
          };
          byBranch.set(row.branch_id, branch);
        }
        const d = branch.devices as { -readonly [K in keyof BranchDevices]: BranchDevices[K] };
        if (row.revoked) {
          d.revoked += 1;
          continue;
        }
        const contact = row.last_contact_at === null ? null : new Date(row.last_contact_at);
        d.byContact[contactBucket(contact, now)] += 1;
        d.flagged += row.flagged ? 1 : 0;
        d.backlog += Number(row.backlog);
        if (row.body !== null && row.body !== undefined) {
          // Both drivers return jsonb parsed; anything else is counted as a report with no readable field.
          foldReport(branch.fleet, row.body);
        }
      }
      return {
        up: true,
        feedItems: Number(feed[0]?.n ?? 0),
        serverAuditEntries: Number(audit[0]?.n ?? 0),
        chainIssues: new Map(issues.map((i) => [i.kind, Number(i.n)])),
        devices: [...byBranch.values()].map((b) => b.devices),
        fleet: [...byBranch.values()]
          .filter((b) => b.fleet.reporting > 0)
          .map(({ devices: d, fleet: f }) => ({
            branch: d.branch,
            reporting: f.reporting,
            modelRefused: f.modelRefused,
            databaseBytes: f.databaseBytes,
            freeDiskBytesMin: f.freeDiskBytesMin,
            scoreP95Seconds: f.scoreP95Ms === undefined ? undefined : f.scoreP95Ms / 1000,
            modelLoadFailures: f.modelLoadFailures,
            scoresSinceSync: f.scoresSinceSync,
            errors: f.errors,
          })),
      };
    },
    { accessMode: 'read only' },
  );
}

/** A reader shared by every gauge of a registry: at most one database read in flight, reused for a second. */
export function snapshotReader(database: Database, now: () => Date): () => Promise<Snapshot | undefined> {
  let last: { at: number; settled: boolean; value: Promise<Snapshot | undefined> } | undefined;
  return () => {
    const at = Date.now();
    if (last !== undefined && (!last.settled || at - last.at < SNAPSHOT_REUSE_MS)) {
      return last.value;
    }
    const value = new Promise<Snapshot | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), SNAPSHOT_TIMEOUT_MS);
      timer.unref();
      readSnapshot(database, now()).then(
        (snapshot) => {
          clearTimeout(timer);
          resolve(snapshot);
        },
        () => {
          clearTimeout(timer);
          resolve(undefined);
        },
      );
    });
    const current = { at, settled: false, value };
    last = current;
    void value.then(() => {
      current.settled = true;
      current.at = Date.now();
    });
    return value;
  };
}
