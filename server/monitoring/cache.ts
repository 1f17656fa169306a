/**
 * The monitoring report, computed from the whole of the centre's scores, decisions and outcomes: seconds of work on a
 * large book, so the console asks for a fresh one and the metrics reuse the last one. Concurrent requests share the
 * computation in flight, so a burst of scrapes or console reloads runs it once.
 */
import type { MonitoringReport } from '../../shared/sync/monitoring';
import { DEFAULT_PERFORMANCE_MONTHS } from '../../shared/sync/monitoring';
import type { ServerDb } from '../db/database';
import { monitoringReport } from './compute';
import { loadMonitoringFacts } from './load';

/** A report this young is reused by the metrics (the figures move with imports and syncs, over days). */
export const METRICS_REPORT_MAX_AGE_MS = 10 * 60_000;
/** How long a scrape waits for a fresh report before it shows the previous one (or nothing, at first). */
export const METRICS_REPORT_WAIT_MS = 3_000;

export interface MonitoringSource {
  /** A report computed now (shared with a computation already running for the same window). */
  fresh(performanceMonths: number): Promise<MonitoringReport>;
  /** For the metrics: the default-window report, recomputed when older than METRICS_REPORT_MAX_AGE_MS. */
  forMetrics(): Promise<MonitoringReport | undefined>;
}

export function monitoringSource(db: Pick<ServerDb, 'execute'>, now: () => Date): MonitoringSource {
  const inFlight = new Map<number, Promise<MonitoringReport>>();
  let last: { readonly at: number; readonly report: MonitoringReport } | undefined;
  const fresh = (months: number): Promise<MonitoringReport> => {
    const running = inFlight.get(months);
    if (running !== undefined) {
      return running;
    }
    const started = now();
    const computing = loadMonitoringFacts(db)
      .then((facts) => monitoringReport(facts, months, started))
      .then((report) => {
        if (months === DEFAULT_PERFORMANCE_MONTHS) {
          last = { at: started.getTime(), report };
        }
        return report;
      })
      .finally(() => inFlight.delete(months));
    inFlight.set(months, computing);
    return computing;
  };
  return {
    fresh,
    forMetrics: async () => {
      if (last !== undefined && now().getTime() - last.at < METRICS_REPORT_MAX_AGE_MS) {
        return last.report;
      }
      const computing = fresh(DEFAULT_PERFORMANCE_MONTHS).catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), METRICS_REPORT_WAIT_MS);
        timer.unref();
      });
      const report = await Promise.race([computing, waited]);
      clearTimeout(timer);
      return report ?? last?.report;
    },
  };
}
