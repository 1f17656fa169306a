/**
 * Scoring an applicant: active applicant, active credit-scoring consent and a complete behavioural record, then
 * the verified model, its exact explanation and the improvement plan. The score row (with the input vector, for
 * replay) and its audit entry commit in one transaction; what-if scoring stores nothing.
 */
import { randomBytes } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import { validateFeatureValues, type FeatureSpec, type FeatureValues } from '../../../shared/features';
import type {
  BatchSummary,
  ChallengerScore,
  PlanProgressView,
  ScoreExplanation,
  ScoreView,
  WhatIfResult,
} from '../../../shared/ipc/scoring';
import {
  ChallengerScore as ChallengerScoreSchema,
  ImprovementPlan as ImprovementPlanSchema,
  PlanProgress as PlanProgressSchema,
  ScoreExplanation as ExplanationSchema,
} from '../../../shared/ipc/scoring';
import { driftBins, encodeApplicant, encodeValues, isModelError, type ScoreResult } from '../../../models/runtime';
import { buildImprovementPlan, checkProgress } from '../../../models/plans';
import type { ApplicantService } from '../applicants/applicant-service';
import type { BehaviourService } from '../behaviour/behaviour-service';
import type { Clock } from '../clock';
import type { ConsentService } from '../consent/consent-service';
import type { ScoringPerformance } from '../diagnostics/scoring-performance';
import { featureBinCounts, scores } from '../db/schema';
import { NexisError } from '../errors';
import { openScoreRow, scoreErased, sealScoreField } from './score-seal';
import type { Store } from '../store';
import { scoreCsvBatch, type BatchProgress } from './batch';
import { MODEL_UNAVAILABLE, type ActiveModel, type ModelService } from './model-service';

export type ScoreRow = typeof scores.$inferSelect;
type Values = Record<string, number | string | null>;

export interface ScoringServiceDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly applicants: ApplicantService;
  readonly consent: ConsentService;
  readonly behaviour: BehaviourService;
  readonly model: ModelService;
  /** Where each stored score's latency goes for the fleet report (none kept when absent). */
  readonly recorder?: Pick<ScoringPerformance, 'recordScore'>;
  /** The release's challenger, scored in shadow beside the champion when it is loaded (none when absent). */
  readonly challenger?: Pick<ModelService, 'status' | 'active'>;
}

/** Only the fields of the explanation (the runtime result may grow; the stored JSON must not). */
export function explanationOf(result: ScoreResult): ScoreExplanation {
  return {
    intercept: result.intercept,
    logit: result.logit,
    probabilityOfDefault: result.probabilityOfDefault,
    basePoints: result.basePoints,
    rawScore: result.rawScore,
    score: result.score,
    band: result.band,
    outcome: result.outcome,
    contributions: result.contributions.map((c) => ({
      term: c.term,
      features: [...c.features],
      logit: c.logit,
      points: c.points,
    })),
    attribution: {
      reference: result.attribution.reference,
      bestPoints: result.attribution.bestPoints,
      factors: result.attribution.factors.map((f) => ({ feature: f.feature, points: f.points })),
    },
    reasons: result.reasons.map((r) => ({
      feature: r.feature,
      pointsLost: r.pointsLost,
      text: r.text.sw === undefined ? { en: r.text.en } : { en: r.text.en, sw: r.text.sw },
    })),
  };
}

/**
 * One applicant through onnxruntime, explained with the model's precomputed tables (identical to the runtime's
 * `scorer.score`, tested; replay uses that reference path, so every replay cross-checks this one).
 */
export async function runModel(active: ActiveModel, values: FeatureValues): Promise<ScoreResult> {
  const row = encodeApplicant(active.manifest, values);
  const contributions = await active.scorer.contributions(Float32Array.from(row), 1);
  return active.explainer.explain(row, contributions);
}

/** The input vector in specification order, missing values as null: what is stored and replayed. */
export function inputVector(spec: FeatureSpec, values: FeatureValues): Values {
  const out: Values = {};
  for (const feature of spec.features) {
    out[feature.key] = values[feature.key] ?? null;
  }
  return out;
}

function invalid(spec: FeatureSpec, values: FeatureValues, lead: string): NexisError | null {
  const issues = validateFeatureValues(spec, values);
  return issues.length === 0
    ? null
    : new NexisError('INVALID_INPUT', `${lead} — ${issues.map((i) => `${i.key}: ${i.message}`).join('; ')}`);
}

/** A challenger inference that has not answered by then is given up: the officer's score does not wait for it. */
export const CHALLENGER_TIMEOUT_MS = 2_000;

/** The promise's value, or null once `ms` have passed (the promise is left to settle on its own). */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class ScoringService {
  readonly #d: ScoringServiceDeps;

  constructor(deps: ScoringServiceDeps) {
    this.#d = deps;
  }

  async score(officerId: string, applicantId: string): Promise<ScoreView> {
    // The whole wait an officer sees (checks, model, plan, commit), on a monotonic clock: `clock` is wall time and
    // may jump. Only stored scores count; a refusal (no consent, no model) is not a score and would flatter the p50.
    const started = performance.now();
    const { store, clock, model } = this.#d;
    const { record, values } = this.#currentValues(applicantId);
    const active = model.active();
    const { manifest } = active;
    // The challenger runs beside the champion, so the officer waits for the slower of the two, not their sum.
    const shadow = this.#challengerScore(active, values);
    const result = await runModel(active, values);
    const now = clock.now();
    const plan = buildImprovementPlan(manifest, encodeValues(manifest.spec, values), {
      modelHash: active.modelHash,
      now,
    });
    const explanation: ScoreExplanation = {
      ...explanationOf(result),
      policyCutOffs: {
        approveAtOrAbove: manifest.policy.approveAtOrAbove,
        declineBelow: manifest.policy.declineBelow,
      },
    };
    const challenger = await shadow;
    const row: ScoreRow = {
      id: `SC-${randomBytes(8).toString('hex').toUpperCase()}`,
      applicantId,
      behaviourRecordId: record.recordId,
      createdAt: now.toISOString(),
      officerId,
      modelHash: active.modelHash,
      modelVersion: manifest.modelVersion,
      policyVersion: manifest.policy.version,
      specHash: manifest.specHash,
      score: result.score,
      band: result.band,
      outcome: result.outcome,
      probabilityOfDefault: result.probabilityOfDefault,
      inputs: JSON.stringify(values),
      explanation: JSON.stringify({ ...explanation, plan }),
      challenger: challenger === null ? null : JSON.stringify(challenger),
    };
    const month = row.createdAt.slice(0, 7);
    const bins = driftBins(manifest.model, manifest.drift, encodeApplicant(manifest, values)).flatMap((bin, i) => {
      const feature = manifest.drift[i]?.feature;
      return bin === null || feature === undefined
        ? []
        : [{ modelVersion: row.modelVersion, month, feature, bin, count: 1 }];
    });
    store.transaction(() => {
      // The model ran outside the transaction: a withdrawal (or an erasure) in the meantime still wins.
      this.#d.consent.requireActive(applicantId, 'credit-scoring');
      const key = this.#d.applicants.dataKey(applicantId);
      if (key === null) {
        throw scoreErased();
      }
      const sealed = {
        ...row,
        inputs: sealScoreField(key, row.id, 'inputs', row.inputs),
        explanation: sealScoreField(key, row.id, 'explanation', row.explanation),
      };
      key.fill(0);
      store.db.insert(scores).values(sealed).run();
      if (bins.length > 0) {
        // Characteristic stability: this score in each feature's baseline bin (schema/scoring.ts, featureBinCounts).
        store.db
          .insert(featureBinCounts)
          .values(bins)
          .onConflictDoUpdate({
            target: [
              featureBinCounts.modelVersion,
              featureBinCounts.month,
              featureBinCounts.feature,
              featureBinCounts.bin,
            ],
            set: { count: sql`${featureBinCounts.count} + 1` },
          })
          .run();
      }
      store.audit.append({
        actor: officerId,
        action: 'applicant.scored',
        subject: applicantId,
        payload: {
          scoreId: row.id,
          modelHash: row.modelHash,
          band: row.band,
          outcome: row.outcome,
          ...(challenger === null
            ? {}
            : {
                challenger: {
                  modelHash: challenger.modelHash,
                  modelVersion: challenger.modelVersion,
                  score: challenger.score,
                  band: challenger.band,
                  outcome: challenger.outcome,
                },
              }),
        },
      });
    });
    // The officer's whole wait, a shadow challenger's inference included: it is a real cost of running one.
    this.#d.recorder?.recordScore(performance.now() - started);
    return viewOf(row);
  }

  /**
   * The challenger's score of the same values, or null: none loaded, another feature specification (the release
   * staging refuses that; a model loaded by hand could still differ), or a failure, which must never cost the officer
   * the champion's score; nor may a challenger that hangs (CHALLENGER_TIMEOUT_MS).
   */
  async #challengerScore(champion: ActiveModel, values: Values): Promise<ChallengerScore | null> {
    const shadow = this.#d.challenger;
    if (shadow === undefined || shadow.status().state !== 'verified') {
      return null;
    }
    try {
      const model = shadow.active();
      if (model.manifest.specHash !== champion.manifest.specHash) {
        return null;
      }
      const result = await withTimeout(runModel(model, values), CHALLENGER_TIMEOUT_MS);
      if (result === null) {
        return null;
      }
      return {
        modelVersion: model.manifest.modelVersion,
        modelHash: model.modelHash,
        score: result.score,
        band: result.band,
        outcome: result.outcome,
        probabilityOfDefault: result.probabilityOfDefault,
      };
    } catch {
      return null;
    }
  }

  /** The challenger's shadow score stored with a score, or null. */
  challengerOf(scoreId: string): ChallengerScore | null {
    const row = this.#d.store.read(() =>
      this.#d.store.db.select({ challenger: scores.challenger }).from(scores).where(eq(scores.id, scoreId)).get(),
    );
    if (row?.challenger === null || row?.challenger === undefined) {
      return null;
    }
    const parsed = ChallengerScoreSchema.safeParse(JSON.parse(row.challenger));
    return parsed.success ? parsed.data : null;
  }

  /** Scores complete feature values with the loaded model; stores nothing. */
  async whatIf(values: FeatureValues): Promise<ScoreExplanation> {
    const active = this.#d.model.active();
    const error = invalid(active.manifest.spec, values, 'Invalid input');
    if (error !== null) {
      throw error;
    }
    return explanationOf(await runModel(active, values));
  }

  /** The applicant's current values with some actionable features changed; one inference for both rows. */
  async whatIfForApplicant(
    applicantId: string,
    changes: Readonly<Record<string, number | null>>,
  ): Promise<WhatIfResult> {
    const { values } = this.#currentValues(applicantId);
    const active = this.#d.model.active();
    const spec = active.manifest.spec;
    for (const key of Object.keys(changes)) {
      const feature = spec.features.find((f) => f.key === key);
      if (feature === undefined || !feature.actionable) {
        throw new NexisError('INVALID_INPUT', `Invalid input — ${key}: only actionable features can be changed.`);
      }
    }
    const changed: Values = { ...values, ...changes };
    const error = invalid(spec, changed, 'Invalid input');
    if (error !== null) {
      throw error;
    }
    const base = encodeValues(spec, values);
    const next = encodeValues(spec, changed);
    const encoded = new Float32Array(base.length * 2);
    encoded.set(base, 0);
    encoded.set(next, base.length);
    const contributions = await active.scorer.contributions(encoded, 2);
    const terms = active.manifest.model.terms.length;
    const before = active.explainer.explain(base, contributions.subarray(0, terms));
    const after = active.explainer.explain(next, contributions.subarray(terms, 2 * terms));
    return {
      ...explanationOf(after),
      deltaPoints: after.score - before.score,
      changed: Object.keys(changes).filter((k) => changes[k] !== values[k]),
      modelHash: active.modelHash,
    };
  }

  latest(applicantId: string): ScoreView | null {
    this.#d.applicants.get(applicantId);
    const row = this.#d.store.read(() =>
      this.#d.store.db
        .select()
        .from(scores)
        .where(eq(scores.applicantId, applicantId))
        .orderBy(desc(scores.createdAt), desc(scores.id))
        .limit(1)
        .get(),
    );
    return row === undefined ? null : viewOf(this.#open(row));
  }

  get(scoreId: string): ScoreView {
    return viewOf(this.row(scoreId));
  }

  row(scoreId: string): ScoreRow {
    const row = this.#d.store.read(() => this.#d.store.db.select().from(scores).where(eq(scores.id, scoreId)).get());
    if (row === undefined) {
      throw new NexisError('NOT_FOUND', 'No score with this id on this workstation.');
    }
    return this.#open(row);
  }

  /** The row with its inputs and explanation opened under the applicant's key (score-seal.ts). */
  #open(row: ScoreRow): ScoreRow {
    return openScoreRow(row, (applicantId) => this.#d.applicants.dataKey(applicantId));
  }

  /** How the latest plan is going, with the applicant's current data and the same model. */
  progress(applicantId: string): PlanProgressView {
    const latest = this.latest(applicantId);
    if (latest === null) {
      throw new NexisError('NOT_FOUND', 'The applicant has not been scored yet, so there is no plan to follow.');
    }
    const { values } = this.#currentValues(applicantId);
    const active = this.#d.model.active();
    try {
      return PlanProgressSchema.parse(
        checkProgress(
          latest.plan,
          encodeValues(active.manifest.spec, values),
          active.manifest,
          active.modelHash,
          this.#d.clock.now(),
        ),
      );
    } catch (error) {
      if (isModelError(error) && error.code === 'MODEL_INCOMPATIBLE') {
        throw new NexisError(MODEL_UNAVAILABLE, `The plan cannot be checked: ${error.message}.`);
      }
      throw error;
    }
  }

  /** Admin batch over anonymous feature rows: no applicant, no consent; only an audit entry with counts. */
  async batch(officerId: string, csv: string, onProgress?: (progress: BatchProgress) => void): Promise<BatchSummary> {
    const active = this.#d.model.active();
    const summary = await scoreCsvBatch(active, csv, onProgress);
    this.#d.store.transaction(() =>
      this.#d.store.audit.append({
        actor: officerId,
        action: 'scoring.batch_run',
        payload: {
          rows: summary.rows,
          scored: summary.scored,
          failed: summary.failed,
          modelHash: summary.modelHash,
          outcomes: summary.outcomes,
        },
      }),
    );
    return summary;
  }

  #currentValues(applicantId: string): { record: { recordId: string }; values: Values } {
    this.#d.applicants.requireActive(applicantId);
    this.#d.consent.requireActive(applicantId, 'credit-scoring');
    const record = this.#d.behaviour.latest(applicantId);
    if (record === null) {
      throw new NexisError('CONFLICT', "Enter the applicant's behavioural data before scoring.");
    }
    const spec = this.#d.model.active().manifest.spec;
    if (record.specId !== spec.id || record.specVersion !== spec.version) {
      throw new NexisError(
        'CONFLICT',
        `The behavioural data was captured for ${record.specId} ${record.specVersion}; the model needs ` +
          `${spec.id} ${spec.version}. Capture the data again.`,
      );
    }
    const values = inputVector(spec, record.values);
    const error = invalid(spec, { ...record.values, ...values }, 'The behavioural record is incomplete');
    if (error !== null) {
      throw error;
    }
    return { record, values };
  }
}

/** A stored score as the UI sees it; the stored JSON is parsed, not trusted. */
export function viewOf(row: ScoreRow): ScoreView {
  const stored = JSON.parse(row.explanation) as Record<string, unknown>;
  const { plan, ...rest } = stored;
  return {
    ...ExplanationSchema.parse(rest),
    scoreId: row.id,
    applicantId: row.applicantId,
    behaviourRecordId: row.behaviourRecordId,
    createdAt: row.createdAt,
    officerId: row.officerId,
    modelHash: row.modelHash,
    modelVersion: row.modelVersion,
    policyVersion: row.policyVersion,
    specHash: row.specHash,
    plan: ImprovementPlanSchema.parse(plan),
  };
}
