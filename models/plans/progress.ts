/**
 * When the applicant returns: how far each planned step and target has come, against the same model the plan was
 * made with. A plan from another model is refused, because its bins and gains mean nothing under new tables.
 */
import { ModelError } from '../core/errors';
import { termCell, termContributions, type GlassBoxModel } from '../ebm/model';
import { bandOf, outcomeOf, scoreOf, type Outcome } from '../scoring/scaling';
import { termsOfFeature } from './moves';
import type { ImprovementPlan, PlanModel, PlanTarget } from './plan';

export interface StepProgress {
  readonly feature: string;
  readonly planned: number;
  readonly current: number | null;
  /** The feature now contributes at least as well as the planned value would. */
  readonly done: boolean;
}

export interface TargetProgress {
  readonly kind: PlanTarget['kind'];
  readonly band: string;
  readonly minScore: number;
  readonly reached: boolean;
  readonly steps: readonly StepProgress[];
}

export interface PlanProgress {
  readonly modelHash: string;
  readonly checkedAt: string;
  readonly expired: boolean;
  readonly score: number;
  readonly band: string;
  readonly outcome: Outcome;
  /** Score points gained since the plan was made. */
  readonly pointsSincePlan: number;
  readonly targets: readonly TargetProgress[];
}

function featureContribution(model: GlassBoxModel, featureIndex: number, row: Float64Array): number {
  let sum = 0;
  for (const term of termsOfFeature(model, featureIndex)) {
    sum += term.values[termCell(term, row)] ?? 0;
  }
  return sum;
}

/**
 * `row` is the applicant's new encoded values (specification order); `modelHash` the loaded model's hash, which must
 * equal the plan's (MODEL_INCOMPATIBLE otherwise).
 */
export function checkProgress(
  plan: ImprovementPlan,
  row: Float64Array,
  pm: PlanModel,
  modelHash: string,
  now: Date,
): PlanProgress {
  if (plan.modelHash !== modelHash) {
    throw new ModelError(
      'MODEL_INCOMPATIBLE',
      `the plan was made with model ${plan.modelHash}; the loaded model is ${modelHash}: make a new plan`,
    );
  }
  let logit = pm.model.intercept;
  for (const c of termContributions(pm.model, row)) {
    logit += c;
  }
  const score = scoreOf(logit, pm.scaling);
  const keys = pm.spec.features.map((f) => f.key);
  const targets = plan.targets.map((target): TargetProgress => {
    const steps = target.steps.map((step): StepProgress => {
      const j = keys.indexOf(step.feature);
      const value = row[j];
      if (j < 0 || value === undefined || Number.isNaN(value)) {
        return { feature: step.feature, planned: step.to, current: null, done: false };
      }
      const probe = Float64Array.from(row);
      probe[j] = step.to;
      const done = featureContribution(pm.model, j, row) <= featureContribution(pm.model, j, probe);
      return { feature: step.feature, planned: step.to, current: value, done };
    });
    return {
      kind: target.kind,
      band: target.band,
      minScore: target.minScore,
      reached: score >= target.minScore,
      steps,
    };
  });
  return {
    modelHash,
    checkedAt: now.toISOString(),
    expired: now.getTime() > Date.parse(plan.validUntil),
    score,
    band: bandOf(score, pm.bands),
    outcome: outcomeOf(score, pm.policy),
    pointsSincePlan: score - plan.currentScore,
    targets,
  };
}
