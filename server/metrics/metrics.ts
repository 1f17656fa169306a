/**
 * The central API's Prometheus metrics: one registry per built API (no module-level registry, so a test process can
 * start many servers), served on a listener of its own (server/metrics/listener.ts), never on the API port.
 *
 * Label values are bounded and never personal: route patterns (not URLs), status codes, limiter and outcome names,
 * chain-issue kinds, error-counter kinds and branch codes (set by administrators at enrolment). No device id, applicant,
 * officer, address or token ever becomes a label. Values read from the database (feed, devices, fleet reports, the
 * server's audit chain) are taken once per scrape by a single bounded snapshot (server/metrics/snapshot.ts).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/database';
import { diskUsage, memoryLimit, type Volume } from './system';
import { snapshotReader, type Snapshot } from './snapshot';
import { MONITORING_FLAG_CODES, type MonitoringReport, type MonitoringSegment } from '../../shared/sync/monitoring';
import type { MonitoringSource } from '../monitoring/cache';

export const RATE_LIMITERS = ['ip', 'device', 'enrol'] as const;
export type RateLimiter = (typeof RATE_LIMITERS)[number];

/** Seconds. Fine around 1 s, where the p95 latency alert sits (deployment/prometheus/alerts.yml). */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2.5, 5, 10, 30];
/** Seconds from an event's time on the workstation to its arrival: offline branches push hours or days later. */
export const INGEST_LAG_BUCKETS = [1, 10, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86_400, 3 * 86_400, 7 * 86_400];
export const QUERY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface MetricsOptions {
  readonly database: Database;
  /** Folders whose filesystem is measured (data: PGlite's folder; updates: app release files). */
  readonly volumes: readonly Volume[];
  readonly now: () => Date;
  /** prom-client's process metrics (CPU, memory, event-loop lag, GC); default on. */
  readonly processMetrics?: boolean;
  /** Model monitoring figures (server/monitoring/cache.ts); absent: no model gauges. */
  readonly monitoring?: Pick<MonitoringSource, 'forMetrics'>;
}

export interface IngestRecord {
  readonly branchId: string;
  /** Entries the push stored (a resend stores none). */
  readonly stored: number;
  readonly bytes: number;
  /** Event time of the newest stored entry, when it parses. */
  readonly newestEventAt: Date | undefined;
}

export interface ApiMetrics {
  readonly registry: Registry;
  recordRequest(method: string, route: string, statusCode: number, seconds: number): void;
  recordRateLimited(limiter: RateLimiter): void;
  recordIngest(record: IngestRecord): void;
  recordIngestRefused(): void;
  recordCountersignFailure(): void;
  /** Stops listening to the database's queries (the API closed). */
  close(): void;
}

export function createApiMetrics(options: MetricsOptions): ApiMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) {
    collectDefaultMetrics({ register: registry, prefix: 'nexis_' });
  }
  const registers = [registry];

  const httpRequests = new Counter({
    name: 'nexis_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern (unmatched: no route) and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'nexis_http_request_duration_seconds',
    help: 'Time from receiving a request to sending the reply, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers,
  });
  const rateLimited = new Counter({
    name: 'nexis_rate_limited_requests_total',
    help: 'Requests refused with 429, by budget: ip (per client address), device (per device), enrol (public auth).',
    labelNames: ['limiter'] as const,
    registers,
  });
  for (const limiter of RATE_LIMITERS) {
    rateLimited.inc({ limiter }, 0);
  }
  const ingestEvents = new Counter({
    name: 'nexis_ingest_events_total',
    help: 'Audit entries stored from pushes (resent entries are not counted again).',
    registers,
  });
  const ingestBytes = new Counter({
    name: 'nexis_ingest_bytes_total',
    help: 'Bytes of accepted push bodies (as parsed, after any content decoding).',
    registers,
  });
  const ingestBatches = new Counter({
    name: 'nexis_ingest_batches_total',
    help: 'Push requests by outcome: accepted (stored or acknowledged as a resend) or refused (conflict, bad input).',
    labelNames: ['outcome'] as const,
    registers,
  });
  ingestBatches.inc({ outcome: 'accepted' }, 0);
  ingestBatches.inc({ outcome: 'refused' }, 0);
  const ingestLag = new Histogram({
    name: 'nexis_ingest_lag_seconds',
    help: 'Per push that stored entries: arrival time minus the event time of the newest entry.',
    buckets: INGEST_LAG_BUCKETS,
    registers,
  });
  const lastLag = new Gauge({
    name: 'nexis_ingest_last_lag_seconds',
    help: 'Per branch: ingest lag of the last push this instance stored.',
    labelNames: ['branch'] as const,
    registers,
  });
  const countersignFailures = new Counter({
    name: 'nexis_countersign_failures_total',
    help: 'Checkpoints the server failed to countersign (its signing key failed); the push was refused.',
    registers,
  });
  const queryDuration = new Histogram({
    name: 'nexis_db_query_duration_seconds',
    help: 'Database query durations as the driver measured them, by outcome (ok, error).',
    labelNames: ['outcome'] as const,
    buckets: QUERY_BUCKETS,
    registers,
  });
  const unsubscribe = options.database.onQuery((seconds, ok) => {
    queryDuration.observe({ outcome: ok ? 'ok' : 'error' }, seconds);
  });

  const pool = (name: string, help: string, read: (s: ReturnType<Database['poolStats']>) => number): void => {
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read(options.database.poolStats()));
      },
    });
  };
  pool(
    'nexis_db_pool_connections',
    'Open database connections (PGlite: its one in-process connection).',
    (s) => s.total,
  );
  pool('nexis_db_pool_idle_connections', 'Open database connections not in use.', (s) => s.idle);
  pool('nexis_db_pool_waiting_requests', 'Queries waiting for a free connection.', (s) => s.waiting);

  registerSystemGauges(registers, options.volumes);
  registerSnapshotGauges(registers, snapshotReader(options.database, options.now));
  if (options.monitoring !== undefined) {
    registerMonitoringGauges(registers, options.monitoring);
  }

  return {
    registry,
    recordRequest: (method, route, statusCode, seconds) => {
      const labels = { method, route, status_code: String(statusCode) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, seconds);
    },
    recordRateLimited: (limiter) => rateLimited.inc({ limiter }),
    recordIngest: (record) => {
      ingestBatches.inc({ outcome: 'accepted' });
      ingestBytes.inc(record.bytes);
      if (record.stored === 0) {
        return;
      }
      ingestEvents.inc(record.stored);
      if (record.newestEventAt !== undefined) {
        // A workstation clock ahead of the server's must not record a negative lag.
        const lag = Math.max(0, (options.now().getTime() - record.newestEventAt.getTime()) / 1000);
        ingestLag.observe(lag);
        lastLag.set({ branch: record.branchId }, lag);
      }
    },
    recordIngestRefused: () => ingestBatches.inc({ outcome: 'refused' }),
    recordCountersignFailure: () => countersignFailures.inc(),
    close: () => {
      unsubscribe();
    },
  };
}

function registerSystemGauges(registers: Registry[], volumes: readonly Volume[]): void {
  const disk = (name: string, help: string, pick: 'total' | 'free' | 'used'): void => {
    new Gauge({
      name,
      help,
      labelNames: ['volume'] as const,
      registers,
      async collect() {
        this.reset();
        for (const usage of await diskUsage(volumes)) {
          this.set({ volume: usage.volume }, usage[pick]);
        }
      },
    });
  };
  disk('nexis_disk_total_bytes', "Size of the filesystem holding the volume's folder.", 'total');
  disk('nexis_disk_free_bytes', 'Bytes available to the server on that filesystem.', 'free');
  disk('nexis_disk_used_bytes', 'Bytes used on that filesystem.', 'used');
  new Gauge({
    name: 'nexis_memory_limit_bytes',
    help: "Memory the process may use: the cgroup's limit (memory.max) when one is set, else the host's memory.",
    registers,
    async collect() {
      this.set(await memoryLimit());
    },
  });
}

type SnapshotRead = () => Promise<Snapshot | undefined>;

/**
 * Gauges read from the database. All read one snapshot per scrape; when it fails or times out they report nothing
 * (an alert sees absent series, not stale numbers) and `nexis_db_up` says 0.
 */
function registerSnapshotGauges(registers: Registry[], read: SnapshotRead): void {
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    fill: (snapshot: Snapshot, set: (labels: Partial<Record<L, string>>, value: number) => void) => void,
  ): void => {
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        const snapshot = await read();
        this.reset();
        if (snapshot !== undefined) {
          fill(snapshot, (labels, value) => this.set(labels, value));
        }
      },
    });
  };
  new Gauge({
    name: 'nexis_db_up',
    help: 'The database answered a SELECT 1 within the scrape budget (1) or not (0).',
    registers,
    async collect() {
      this.set((await read())?.up === true ? 1 : 0);
    },
  });
  gauge('nexis_feed_items', 'Items in the pull feed.', [], (s, set) => set({}, s.feedItems));
  gauge('nexis_server_audit_entries', "Entries in the server's own audit chain (its head sequence).", [], (s, set) =>
    set({}, s.serverAuditEntries),
  );
  gauge('nexis_chain_issues', 'Chain issues flagged on pushed chains, by kind.', ['kind'], (s, set) => {
    for (const [kind, n] of s.chainIssues) {
      set({ kind }, n);
    }
  });
  gauge(
    'nexis_devices',
    'Enrolled, unrevoked devices by branch and time since last contact (under_1h, 1h_1d, 1d_7d, over_7d, never).',
    ['branch', 'last_contact'],
    (s, set) => {
      for (const d of s.devices) {
        for (const [lastContact, n] of Object.entries(d.byContact)) {
          set({ branch: d.branch, last_contact: lastContact }, n);
        }
      }
    },
  );
  gauge('nexis_devices_revoked', 'Revoked devices by branch.', ['branch'], (s, set) => {
    for (const d of s.devices) {
      set({ branch: d.branch }, d.revoked);
    }
  });
  gauge('nexis_devices_chain_flagged', 'Unrevoked devices whose chain is flagged, by branch.', ['branch'], (s, set) => {
    for (const d of s.devices) {
      set({ branch: d.branch }, d.flagged);
    }
  });
  gauge(
    'nexis_sync_backlog_entries',
    'Per branch: entries devices reported holding but the server has not stored yet (reported head minus acked).',
    ['branch'],
    (s, set) => {
      for (const d of s.devices) {
        set({ branch: d.branch }, d.backlog);
      }
    },
  );
  const fleet = (name: string, help: string, pick: (f: Snapshot['fleet'][number]) => number | undefined): void => {
    gauge(name, help, ['branch'], (s, set) => {
      for (const f of s.fleet) {
        const value = pick(f);
        if (value !== undefined) {
          set({ branch: f.branch }, value);
        }
      }
    });
  };
  fleet('nexis_fleet_devices_reporting', 'Unrevoked devices with a self-report, by branch.', (f) => f.reporting);
  fleet(
    'nexis_fleet_model_refused_devices',
    'Devices whose last report says their model package was refused (signature or hash), by branch.',
    (f) => f.modelRefused,
  );
  fleet('nexis_fleet_database_bytes', "Sum of the devices' local database sizes, by branch.", (f) => f.databaseBytes);
  fleet(
    'nexis_fleet_free_disk_bytes_min',
    'Smallest free disk space any device of the branch reported.',
    (f) => f.freeDiskBytesMin,
  );
  fleet(
    'nexis_fleet_score_p95_seconds',
    "Highest of the devices' reported scoring p95 latency, by branch (devices that report performance).",
    (f) => f.scoreP95Seconds,
  );
  fleet(
    'nexis_fleet_model_load_failures',
    'Sum of the model load failures the devices reported, by branch (devices that report performance).',
    (f) => f.modelLoadFailures,
  );
  fleet(
    'nexis_fleet_scores_since_sync',
    'Sum of the scores computed since their last sync the devices reported, by branch.',
    (f) => f.scoresSinceSync,
  );
  gauge(
    'nexis_fleet_errors',
    "Sum of the devices' error counters by branch, kind and window (since_sync: since the device's last sync; total).",
    ['branch', 'kind', 'window'],
    (s, set) => {
      for (const f of s.fleet) {
        for (const [key, n] of f.errors) {
          const [window, kind] = key.split('/') as [string, string];
          set({ branch: f.branch, kind, window }, n);
        }
      }
    },
  );
}

/**
 * Model risk figures from the last monitoring report (at most ten minutes old; a scrape never waits more than three
 * seconds for a new one). Labels are model versions, flag codes and branch codes ("ALL" for the whole fleet).
 */
function registerMonitoringGauges(registers: Registry[], source: Pick<MonitoringSource, 'forMetrics'>): void {
  const perSegment = (
    name: string,
    help: string,
    pick: (segment: MonitoringSegment) => number | null | undefined,
  ): void => {
    new Gauge<'model_version' | 'branch'>({
      name,
      help,
      labelNames: ['model_version', 'branch'],
      registers,
      async collect() {
        const report = await source.forMetrics();
        this.reset();
        for (const model of report?.models ?? []) {
          for (const segment of model.segments) {
            const value = pick(segment);
            if (value !== null && value !== undefined) {
              this.set({ model_version: model.modelVersion, branch: segment.branchId ?? 'ALL' }, value);
            }
          }
        }
      },
    });
  };
  new Gauge<'model_version' | 'code'>({
    name: 'nexis_model_monitoring_flags',
    help: 'Model monitoring flags raised (score or feature PSI above 0.25, realised AUC below the hold-out, a miscalibrated band), by model version and code.',
    labelNames: ['model_version', 'code'],
    registers,
    async collect() {
      const report: MonitoringReport | undefined = await source.forMetrics();
      this.reset();
      for (const model of report?.models ?? []) {
        for (const code of MONITORING_FLAG_CODES) {
          this.set(
            { model_version: model.modelVersion, code },
            report?.flags.filter((f) => f.modelVersion === model.modelVersion && f.code === code).length ?? 0,
          );
        }
      }
    },
  });
  perSegment(
    'nexis_model_realised_auc',
    'Realised AUC on matured loans, by model version and branch.',
    (s) => s.performance.auc,
  );
  perSegment(
    'nexis_model_matured_loans',
    'Matured loans behind the realised figures, by model version and branch.',
    (s) => s.performance.matured,
  );
  perSegment(
    'nexis_model_score_psi',
    "Score PSI of the latest month against the package's hold-out distribution, by model version and branch (months with too few scores are left out).",
    (s) => {
      const latest = s.stability[s.stability.length - 1];
      return latest === undefined || latest.level === 'too-few' ? null : latest.psi;
    },
  );
  new Gauge<'model_version' | 'feature'>({
    name: 'nexis_model_feature_psi',
    help: "Characteristic stability: each feature's PSI in the latest month with enough scores against the package's training baseline, all branches together, by model version and feature (per branch on the console).",
    labelNames: ['model_version', 'feature'],
    registers,
    async collect() {
      const report = await source.forMetrics();
      this.reset();
      for (const model of report?.models ?? []) {
        const all = model.segments.find((s) => s.branchId === null);
        const latest = new Map<string, number>();
        for (const f of all?.featureStability ?? []) {
          // Sorted by feature then month: the last month with a figure wins.
          if (f.psi !== null && f.level !== 'too-few') {
            latest.set(f.feature, f.psi);
          }
        }
        for (const [feature, psi] of latest) {
          this.set({ model_version: model.modelVersion, feature }, psi);
        }
      }
    },
  });
  perSegment(
    'nexis_model_override_rate',
    'Share of decisions in force that override the policy, by model version and branch.',
    (s) => s.decisions.overrideRate,
  );
}
