import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binOf } from '../ebm/binning';
import { logitOf, termContributions, type GlassBoxModel } from '../ebm/model';
import { trainGlassBox } from '../ebm/train';
import { createOrtTermScorer, type OrtTermScorer } from '../runtime/ort-session';
import { FAST_OPTIONS, UNCONSTRAINED_SPEC, syntheticDataset } from '../testing/fixtures';
import { exportOnnx } from './export';

const data = syntheticDataset(3000, 21, UNCONSTRAINED_SPEC);
const model: GlassBoxModel = trainGlassBox(data, { ...FAST_OPTIONS, interactions: 4 });
const F = data.spec.features.length;
const T = model.terms.length;

/** Below the smallest float32 step: the float32 just under x. */
const float32Below = (x: number): number => {
  const f = new Float32Array([x]);
  const i = new Int32Array(f.buffer);
  i[0] = (i[0] ?? 0) + (x > 0 ? -1 : 1);
  return f[0] ?? x;
};

/** Fixture rows: real rows, rows with missing values, and values exactly on and just below every cut. */
function fixtures(): Float64Array[] {
  const rows: Float64Array[] = [];
  for (let i = 0; i < 300; i++) {
    rows.push(Float64Array.from({ length: F }, (_, j) => data.columns[j]?.[i] ?? Number.NaN));
  }
  rows.push(new Float64Array(F).fill(Number.NaN));
  rows.push(new Float64Array(F).fill(Number.NEGATIVE_INFINITY));
  rows.push(new Float64Array(F).fill(Number.POSITIVE_INFINITY));
  rows.push(new Float64Array(F).fill(-1e12));
  for (const term of model.terms) {
    const cutLists =
      term.kind === 'main'
        ? [[term.feature, term.cuts] as const]
        : term.features.map((f, a) => [f, term.cuts[a] ?? []] as const);
    for (const [feature, cuts] of cutLists) {
      for (const cut of cuts.slice(0, 40)) {
        for (const value of [cut, float32Below(cut), cut + 1e-9]) {
          const row = Float64Array.from(rows[rows.length % 300] ?? new Float64Array(F));
          row[feature] = value;
          rows.push(row);
        }
      }
    }
  }
  return rows;
}

describe('ONNX export', () => {
  let ort: OrtTermScorer;
  const rows = fixtures();
  let onnxOut: Float32Array;

  beforeAll(async () => {
    ort = await createOrtTermScorer(exportOnnx(model), F, T);
    const encoded = new Float32Array(rows.length * F);
    rows.forEach((row, i) => encoded.set(row, i * F));
    onnxOut = await ort.run(encoded, rows.length);
  });
  afterAll(async () => {
    await ort.release();
  });

  it('has pair terms and boundary fixtures to test', () => {
    expect(model.terms.some((t) => t.kind === 'pair')).toBe(true);
    expect(rows.length).toBeGreaterThan(1000);
  });

  it('agrees with the TypeScript model within 1e-5 on every contribution of every fixture', () => {
    let worst = 0;
    rows.forEach((row, i) => {
      const ts = termContributions(model, row);
      for (let t = 0; t < T; t++) {
        worst = Math.max(worst, Math.abs((ts[t] ?? 0) - (onnxOut[i * T + t] ?? Number.NaN)));
      }
    });
    expect(worst).toBeLessThan(1e-5);
  });

  it('is additive: intercept + contributions = logit, in TypeScript and in onnxruntime', () => {
    rows.forEach((row, i) => {
      const ts = termContributions(model, row);
      const logit = logitOf(model, ts);
      expect(Math.abs(model.intercept + ts.reduce((s, c) => s + c, 0) - logit)).toBeLessThan(1e-12);
      let ortSum = model.intercept;
      for (let t = 0; t < T; t++) {
        ortSum += onnxOut[i * T + t] ?? Number.NaN;
      }
      expect(Math.abs(ortSum - logit)).toBeLessThan(1e-5);
    });
  });

  it('routes a value on a cut upward and the float32 just below it downward, like the graph', () => {
    const cuts = [1, 2.5, 1000];
    expect(binOf(2.5, cuts)).toBe(3);
    expect(binOf(float32Below(2.5), cuts)).toBe(2);
    expect(binOf(Number.NaN, cuts)).toBe(0);
    expect(binOf(Number.NEGATIVE_INFINITY, cuts)).toBe(0);
    expect(binOf(Number.POSITIVE_INFINITY, cuts)).toBe(4);
  });

  it('refuses to export a model with a non-finite value', () => {
    const broken: GlassBoxModel = { ...model, intercept: Number.NaN };
    expect(() => exportOnnx(broken)).toThrow(/cannot be exported/);
  });
});
