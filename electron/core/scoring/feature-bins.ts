/**
 * The feature bin counts the fleet report carries (shared/sync/fleet.ts, FeatureBinMonthSchema): the scores of each
 * model version and UTC month per bin of each feature, counted when the score was stored (scoring-service.ts). The
 * centre computes characteristic stability from them (server/monitoring). Months older than the report's window are
 * dropped here, so the table never grows past it.
 */
import { and, gte, lte, lt } from 'drizzle-orm';
import {
  FEATURE_BINS_BUDGET_BYTES,
  FEATURE_BINS_MIN_SCORES,
  MAX_FEATURE_BIN_MONTHS,
  FeatureBinMonthSchema,
  featureBinWindow,
  type FeatureBinMonth,
} from '../../../shared/sync/fleet';
import { featureBinCounts } from '../db/schema';
import type { Store } from '../store';

/**
 * The closed months to report, newest first within the byte budget: the month in progress is never sent, and months
 * under FEATURE_BINS_MIN_SCORES scores stay on the workstation (small-cell suppression). A feature whose counts do not add up to its month's
 * scores (a package whose baseline changed under a version number) is left out rather than sending a report the
 * centre must refuse.
 */
export function featureBinsForReport(
  store: Store,
  now: Date,
  budgetBytes = FEATURE_BINS_BUDGET_BYTES,
): FeatureBinMonth[] {
  // Closed months only (featureBinWindow): the month in progress stays here until it ends.
  const { first, last } = featureBinWindow(now);
  store.transaction(() => store.db.delete(featureBinCounts).where(lt(featureBinCounts.month, first)).run());
  const rows = store.read(() =>
    store.db
      .select()
      .from(featureBinCounts)
      .where(and(gte(featureBinCounts.month, first), lte(featureBinCounts.month, last)))
      .all(),
  );
  const months = new Map<string, { modelVersion: string; month: string; features: Map<string, [number, number][]> }>();
  for (const row of rows) {
    const key = `${row.modelVersion} ${row.month}`;
    const month = months.get(key) ?? { modelVersion: row.modelVersion, month: row.month, features: new Map() };
    const bins = month.features.get(row.feature) ?? [];
    if (row.count > 0) {
      bins.push([row.bin, row.count]);
    }
    month.features.set(row.feature, bins);
    months.set(key, month);
  }
  const out: FeatureBinMonth[] = [];
  let bytes = 2;
  const newestFirst = [...months.values()].sort(
    (a, b) => b.month.localeCompare(a.month) || a.modelVersion.localeCompare(b.modelVersion),
  );
  for (const month of newestFirst) {
    const features = [...month.features.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([feature, bins]) => ({ feature, bins: bins.sort(([a], [b]) => a - b) }))
      .filter((f) => f.bins.length > 0);
    const total = (f: { bins: [number, number][] }): number => f.bins.reduce((sum, [, count]) => sum + count, 0);
    const scores = Math.max(0, ...features.map(total));
    const candidate = FeatureBinMonthSchema.safeParse({
      modelVersion: month.modelVersion,
      month: month.month,
      scores,
      features: features.filter((f) => total(f) === scores),
    });
    if (scores < FEATURE_BINS_MIN_SCORES || !candidate.success) {
      continue;
    }
    const size = JSON.stringify(candidate.data).length + 1;
    if (bytes + size > budgetBytes || out.length === MAX_FEATURE_BIN_MONTHS) {
      break;
    }
    bytes += size;
    out.push(candidate.data);
  }
  return out;
}
