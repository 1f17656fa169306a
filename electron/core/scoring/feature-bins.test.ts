/**
 * Feature bin counts on a real encrypted workstation with the shipped model: each stored score counts once in its
 * bin of every feature, what-if scoring counts nothing, the month in progress and small months stay on the
 * workstation, old months go, and what is reported always passes the centre's schema.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { binOf, encodeValues } from '../../../models/runtime';
import { DeviceReportSchema, FEATURE_BINS_MIN_SCORES } from '../../../shared/sync/fleet';
import { featureBinWindow } from '../../../shared/sync/fleet';
import { featureBinsForReport } from './feature-bins';
import { APPROVE_VALUES, createScoringHarness, DECLINE_VALUES, type ScoringHarness } from './scoring-fixtures';

let h: ScoringHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const storedCounts = (hh: ScoringHarness): number =>
  hh.t.ws.store.sqlite.prepare<[], { n: number }>('SELECT coalesce(sum(count), 0) AS n FROM feature_bin_counts').get()
    ?.n ?? -1;

async function scoreMany(hh: ScoringHarness, values: typeof APPROVE_VALUES | typeof DECLINE_VALUES, n: number) {
  for (let i = 0; i < n; i++) {
    await hh.scoring.score(hh.officerId, await hh.register(values));
  }
}

describe('feature bin counts', () => {
  it('counts each stored score once per feature in its baseline bin and reports a closed month of 20 scores', async () => {
    const hh = (h = await createScoringHarness());
    const november = new Date('2026-11-20T10:00:00.000Z');
    const december = new Date('2026-12-01T00:00:01.000Z');
    hh.t.clock.set(november);
    const { manifest } = hh.model.active();
    await scoreMany(hh, APPROVE_VALUES, FEATURE_BINS_MIN_SCORES - 6);
    await scoreMany(hh, DECLINE_VALUES, 5);
    await hh.scoring.whatIf({ ...APPROVE_VALUES });
    expect(storedCounts(hh)).toBe((FEATURE_BINS_MIN_SCORES - 1) * manifest.drift.length);
    // 19 scores: the month stays on the workstation, even once it is closed.
    expect(featureBinsForReport(hh.t.ws.store, december)).toEqual([]);

    await scoreMany(hh, DECLINE_VALUES, 1);
    // 20 scores, but November is still in progress: running totals would give away each new applicant's bins.
    expect(featureBinsForReport(hh.t.ws.store, hh.t.clock.now())).toEqual([]);
    const report = featureBinsForReport(hh.t.ws.store, december);
    expect(report).toHaveLength(1);
    const [month] = report;
    expect(month).toMatchObject({ modelVersion: manifest.modelVersion, month: '2026-11', scores: 20 });
    expect(month?.features.map((f) => f.feature)).toEqual(manifest.drift.map((d) => d.feature).sort());
    // Hand-checked against the baseline's own cuts: 14 approve-like and 6 decline-like applicants.
    const approve = encodeValues(manifest.spec, APPROVE_VALUES);
    const decline = encodeValues(manifest.spec, DECLINE_VALUES);
    for (const baseline of manifest.drift) {
      const column = manifest.spec.features.findIndex((f) => f.key === baseline.feature);
      const a = binOf(approve[column] ?? Number.NaN, baseline.cuts);
      const d = binOf(decline[column] ?? Number.NaN, baseline.cuts);
      const expected =
        a === d
          ? [[a, 20]]
          : [
              [Math.min(a, d), a < d ? 14 : 6],
              [Math.max(a, d), a < d ? 6 : 14],
            ];
      expect(month?.features.find((f) => f.feature === baseline.feature)?.bins).toEqual(expected);
    }
    const debt = month?.features.find((f) => f.feature === 'debtToIncome')?.bins;
    expect(debt).toHaveLength(2);
    expect(DeviceReportSchema.shape.featureBins.parse(report)).toEqual(report);
  });

  it('drops months past the window from the workstation and keeps the newest months within the budget', async () => {
    const hh = (h = await createScoringHarness());
    hh.t.clock.set(new Date('2025-11-30T23:00:00.000Z'));
    await scoreMany(hh, APPROVE_VALUES, FEATURE_BINS_MIN_SCORES);
    hh.t.clock.set(new Date('2025-12-01T00:30:00.000Z'));
    await scoreMany(hh, DECLINE_VALUES, FEATURE_BINS_MIN_SCORES);
    const monthsOf = (at: string) => featureBinsForReport(hh.t.ws.store, new Date(at)).map((m) => [m.month, m.scores]);
    // Thirteen closed months: December 2026's report still carries November 2025.
    expect(featureBinWindow(new Date('2026-12-15T12:00:00.000Z'))).toEqual({ first: '2025-11', last: '2026-11' });
    expect(monthsOf('2026-12-15T12:00:00.000Z')).toEqual([
      ['2025-12', 20],
      ['2025-11', 20],
    ]);
    // A budget for one month keeps the newest.
    const december = featureBinsForReport(hh.t.ws.store, new Date('2026-12-15T12:00:00.000Z'));
    const newest = JSON.stringify(december[0]).length;
    expect(
      featureBinsForReport(hh.t.ws.store, new Date('2026-12-15T12:00:00.000Z'), newest + 10).map((m) => m.month),
    ).toEqual(['2025-12']);
    // In January 2027 November 2025 is out of the window: gone from the workstation, not only from the report.
    expect(monthsOf('2027-01-10T12:00:00.000Z')).toEqual([['2025-12', 20]]);
    const months = hh.t.ws.store.sqlite.prepare('SELECT DISTINCT month FROM feature_bin_counts').all();
    expect(months).toEqual([{ month: '2025-12' }]);

    // January 2027 in progress is not reported; once closed it is, and December 2025 has left the window.
    hh.t.clock.set(new Date('2027-01-10T12:00:00.000Z'));
    await scoreMany(hh, APPROVE_VALUES, FEATURE_BINS_MIN_SCORES);
    expect(monthsOf('2027-01-31T23:59:59.000Z')).toEqual([['2025-12', 20]]);
    expect(monthsOf('2027-02-01T00:00:00.000Z')).toEqual([['2027-01', 20]]);
  });
});
