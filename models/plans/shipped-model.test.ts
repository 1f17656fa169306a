import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { nexisApplicant } from '../testing/applicants';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureValues } from '../../shared/features';
import {
  createModelScorer,
  encodeApplicant,
  loadModelPackage,
  scoreWithTs,
  termContributions,
  type ModelScorer,
  type VerifiedPackage,
} from '../runtime';
import { pointsFactor, scoreOf } from '../scoring/scaling';
import { featureMoves, type FeatureMoves } from './moves';
import { buildImprovementPlan, MINIMUM_STEP_POINTS, type ImprovementPlan } from './plan';
import { checkProgress } from './progress';

const packageDir = fileURLToPath(new URL('../../resources/model/', import.meta.url));
const publicKey = readFileSync(fileURLToPath(new URL('../../resources/model/dev-keys/public.pem', import.meta.url)));
const NOW = new Date('2026-11-25T10:00:00.000Z');

let verified: VerifiedPackage;
let scorer: ModelScorer;
beforeAll(async () => {
  const loaded = loadModelPackage(packageDir, publicKey);
  if (!loaded.ok) {
    throw loaded.error;
  }
  verified = loaded.value;
  scorer = await createModelScorer(verified);
});
afterAll(async () => {
  await scorer.release();
});

const applicant = nexisApplicant;

function applyPlan(values: FeatureValues, steps: ImprovementPlan['targets'][number]['steps']): FeatureValues {
  const out: Record<string, FeatureValues[string]> = { ...values };
  for (const step of steps) {
    out[step.feature] = step.to;
  }
  return out;
}

describe('improvement plans on the shipped model', () => {
  it('applied plans reach their target when rescored by the TypeScript model and by onnxruntime', async () => {
    const samples = fc.sample(applicant, { numRuns: 120, seed: 42 });
    let reachedTargets = 0;
    for (const values of samples) {
      const manifest = verified.manifest;
      const row = encodeApplicant(manifest, values);
      const plan = buildImprovementPlan(manifest, row, { modelHash: verified.modelHash, now: NOW });
      expect(plan.currentScore).toBe(scoreWithTs(manifest, values).score);
      for (const target of plan.targets.filter((t) => t.reachable)) {
        const changed = applyPlan(values, target.steps);
        const viaTs = scoreWithTs(manifest, changed);
        const viaOrt = await scorer.score(changed);
        expect(viaTs.score).toBeGreaterThanOrEqual(target.minScore);
        expect(viaOrt.score).toBeGreaterThanOrEqual(target.minScore);
        expect(viaOrt.score).toBe(target.projectedScore);
        for (const step of target.steps) {
          const feature = manifest.spec.features.find((f) => f.key === step.feature);
          expect(feature?.actionable).toBe(true);
          expect(step.gainPoints).toBeGreaterThan(0);
          expect(step.effort).toBeGreaterThan(0);
          expect(step.effort).toBeLessThanOrEqual(1 + 1e-9);
        }
        reachedTargets++;
      }
    }
    expect(reachedTargets).toBeGreaterThan(20);
  });

  it('is optimal against exhaustive enumeration of every move of the real tables (3-month horizon)', () => {
    const manifest = verified.manifest;
    const samples = fc.sample(applicant, { numRuns: 60, seed: 3 });
    let compared = 0;
    for (const values of samples) {
      const row = encodeApplicant(manifest, values);
      const plan = buildImprovementPlan(manifest, row, { modelHash: verified.modelHash, now: NOW, horizon: 'months3' });
      const all = manifest.spec.features
        .map((_, j) => featureMoves(manifest.spec, manifest.model, row, j, 'months3', false))
        // The plan's rule: a step adds at least MINIMUM_STEP_POINTS on its own.
        .map((m): FeatureMoves | null => {
          const kept = m?.moves.filter((move) => move.gain * pointsFactor(manifest.scaling) >= MINIMUM_STEP_POINTS);
          return m === null || kept === undefined || kept.length === 0 ? null : { ...m, moves: kept };
        })
        .filter((m): m is FeatureMoves => m !== null);
      const combinations = all.reduce((p, f) => p * (f.moves.length + 1), 1);
      if (combinations > 300_000) {
        continue;
      }
      for (const target of plan.targets) {
        let best: { count: number; effort: number } | null = null;
        const probe = Float64Array.from(row);
        const visit = (i: number, count: number, effort: number): void => {
          const f = all[i];
          if (f === undefined) {
            let logit = manifest.model.intercept;
            for (const c of termContributions(manifest.model, probe)) {
              logit += c;
            }
            // The plan keeps a 1e-6-point margin above the cut-off against float32 rounding; so does the reference.
            const raw = scoreOf(logit + 1e-6 / (manifest.scaling.pdo / Math.LN2), manifest.scaling);
            if (
              raw >= target.minScore &&
              (best === null || count < best.count || (count === best.count && effort < best.effort - 1e-12))
            ) {
              best = { count, effort };
            }
            return;
          }
          visit(i + 1, count, effort);
          for (const move of f.moves) {
            probe[f.feature] = move.value;
            visit(i + 1, count + 1, effort + move.effort);
          }
          probe[f.feature] = f.from;
        };
        visit(0, 0, 0);
        const expected = best as { count: number; effort: number } | null;
        expect(target.reachable).toBe(expected !== null);
        if (expected !== null) {
          expect(target.steps.length).toBe(expected.count);
          expect(target.totalEffort).toBeCloseTo(expected.effort, 9);
        }
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('tracks progress with the same model and refuses a plan from another model', () => {
    const manifest = verified.manifest;
    const values = fc.sample(applicant, { numRuns: 200, seed: 9 }).find((v) => {
      const plan = buildImprovementPlan(manifest, encodeApplicant(manifest, v), {
        modelHash: verified.modelHash,
        now: NOW,
      });
      return plan.targets.some((t) => t.reachable && t.steps.length >= 2);
    });
    if (values === undefined) {
      throw new Error('no sample with a two-step plan');
    }
    const plan = buildImprovementPlan(manifest, encodeApplicant(manifest, values), {
      modelHash: verified.modelHash,
      now: NOW,
    });
    const target = plan.targets.find((t) => t.reachable && t.steps.length >= 2);
    if (target === undefined) {
      throw new Error('unreachable');
    }
    const later = new Date('2027-01-10T10:00:00.000Z');
    const before = checkProgress(plan, encodeApplicant(manifest, values), manifest, verified.modelHash, later);
    expect(before.targets.find((t) => t.kind === target.kind)?.reached).toBe(false);
    expect(before.targets.find((t) => t.kind === target.kind)?.steps.every((s) => !s.done)).toBe(true);

    const partly = applyPlan(values, target.steps.slice(0, 1));
    const middle = checkProgress(plan, encodeApplicant(manifest, partly), manifest, verified.modelHash, later);
    expect(middle.targets.find((t) => t.kind === target.kind)?.steps.map((s) => s.done)[0]).toBe(true);
    expect(middle.pointsSincePlan).toBeGreaterThan(0);

    const done = applyPlan(values, target.steps);
    const after = checkProgress(plan, encodeApplicant(manifest, done), manifest, verified.modelHash, later);
    expect(after.targets.find((t) => t.kind === target.kind)?.reached).toBe(true);
    expect(after.targets.find((t) => t.kind === target.kind)?.steps.every((s) => s.done)).toBe(true);
    expect(after.expired).toBe(false);
    expect(
      checkProgress(plan, encodeApplicant(manifest, done), manifest, verified.modelHash, new Date('2030-01-01'))
        .expired,
    ).toBe(true);

    expect(() => checkProgress(plan, encodeApplicant(manifest, done), manifest, 'sha256:other', later)).toThrow(
      /make a new plan/,
    );
  });
});
