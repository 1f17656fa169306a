import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchSummary } from '../../../shared/ipc/scoring';
import { encodeValues, explainContributions, scoreWithTs, termContributions } from '../../../models/runtime';
import { NexisError } from '../errors';
import { createExplainer } from './explainer';
import {
  APPROVE_VALUES,
  createScoringHarness,
  DECLINE_VALUES,
  REFER_VALUES,
  type ScoringHarness,
} from './scoring-fixtures';

let h: ScoringHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const KEYS = Object.keys(APPROVE_VALUES);
const line = (values: Record<string, number | string | null>): string =>
  KEYS.map((k) => (values[k] === null ? '' : String(values[k]))).join(',');

describe('fast explainer', () => {
  it('gives exactly the runtime explanation (contributions, score, reasons) on random rows', async () => {
    h = await createScoringHarness();
    const manifest = h.model.active().manifest;
    const explainer = createExplainer(manifest);
    const cell = (min: number, max: number, integer: boolean) =>
      integer
        ? fc.integer({ min, max })
        : fc.integer({ min: 0, max: 10_000 }).map((v) => min + ((max - min) * v) / 10_000);
    const rows = fc.tuple(
      ...manifest.spec.features.map((f) =>
        f.kind === 'categorical'
          ? fc.integer({ min: 0, max: f.categories.length - 1 })
          : fc.option(cell(f.min, f.min + Math.floor((f.max - f.min) / 20), f.kind === 'integer'), {
              nil: Number.NaN,
              freq: 10,
            }),
      ),
    );
    fc.assert(
      fc.property(rows, (values) => {
        const row = Float64Array.from(values);
        const contributions = termContributions(manifest.model, row);
        expect(explainer.explain(row, contributions)).toEqual(explainContributions(manifest, contributions));
      }),
      { numRuns: 400, seed: 11 },
    );
    const row = encodeValues(manifest.spec, DECLINE_VALUES);
    expect(explainer.reasons(row)).toEqual(scoreWithTs(manifest, DECLINE_VALUES).reasons);
  });
});

describe('batch scoring', () => {
  it('scores valid rows, reports bad rows by line, and stores only an audit entry with counts', async () => {
    const hh = (h = await createScoringHarness());
    const csv = [
      KEYS.join(','),
      line(APPROVE_VALUES),
      line(REFER_VALUES),
      line(DECLINE_VALUES),
      line({ ...APPROVE_VALUES, savingsRate: 7 }),
      line({ ...APPROVE_VALUES, activeLoans: null }),
      line({ ...APPROVE_VALUES, rentOnTime12m: null, savingsBalanceAvg: null }),
      line({ ...APPROVE_VALUES, termMonths: 1.5 }),
    ].join('\n');
    const progress: number[] = [];
    const summary = await hh.scoring.batch('admin-id', csv, (p) => progress.push(p.done));
    expect(BatchSummary.parse(summary)).toEqual(summary);
    expect(summary).toMatchObject({ rows: 7, scored: 4, failed: 3, errorsTruncated: false });
    expect(summary.outcomes.approve + summary.outcomes.refer + summary.outcomes.decline).toBe(4);
    expect(summary.outcomes.decline).toBeGreaterThanOrEqual(1);
    expect(summary.outcomes.refer).toBeGreaterThanOrEqual(1);
    expect(summary.errors.map((e) => e.line)).toEqual([5, 6, 8]);
    expect(summary.errors[0]?.message).toContain('savingsRate');
    expect(progress).toEqual([7]);

    const manifest = hh.model.active().manifest;
    const lines = summary.resultCsv.trim().split('\n');
    expect(lines).toHaveLength(8);
    const reference = scoreWithTs(manifest, DECLINE_VALUES);
    expect(lines[3]).toBe(
      `4,${reference.score},${reference.band},${reference.outcome},${reference.probabilityOfDefault.toPrecision(6)},` +
        `${reference.reasons.map((r) => r.feature).join(',')},`,
    );

    expect(hh.t.ws.store.sqlite.prepare('SELECT count(*) AS n FROM scores').get()).toEqual({ n: 0 });
    const audit = hh.t.ws.store.sqlite
      .prepare<[], { action: string; payload: string }>(
        "SELECT action, payload FROM audit_log WHERE action LIKE 'scoring.%'",
      )
      .all();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.payload ?? '{}')).toMatchObject({ rows: 7, scored: 4, failed: 3 });
  });

  it('refuses a file with columns that are not specification keys (no personal data can ride along)', async () => {
    const hh = (h = await createScoringHarness());
    const csv = [`fullName,${KEYS.join(',')}`, `Wanjiru,${line(APPROVE_VALUES)}`].join('\n');
    const error: unknown = await hh.scoring.batch('admin-id', csv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NexisError);
    expect((error as NexisError).message).toContain('not allowed: fullName');
    expect((error as NexisError).message).not.toContain('Wanjiru');
    const missing: unknown = await hh.scoring.batch('admin-id', 'termMonths\n12').catch((e: unknown) => e);
    expect((missing as NexisError).code).toBe('INVALID_INPUT');
  });
});
