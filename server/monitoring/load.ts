/**
 * The facts monitoring needs, read from what the centre holds: `applicant.scored` entries with their `score.result`
 * attachments (probability of default, band, model version), the `decision.*` entries, the loan outcomes, the
 * devices' feature bin counts and the model releases' manifests (the hold-out figures and the drift baseline each
 * package promised). Everything is read defensively: the chain
 * guarantees an entry's payload is what the branch wrote, not that it is well-formed, and the attachment is not in
 * the chain at all, so a score is believed only where its attachment agrees with its chained entry.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { POLICY_OUTCOMES } from '../../shared/domain/decisions';
import { ChallengerScore } from '../../shared/ipc/scoring';
import { FeatureBinCountsSchema } from '../../shared/sync/fleet';
import { LOAN_OUTCOME_STATUSES } from '../../shared/sync/outcomes';
import { ModelReleaseSchema } from '../../shared/sync/pull';
import type { ServerDb } from '../db/database';
import { rowsOf } from '../db/rows';
import { DECISION_ACTIONS, DecisionPayloadSchema } from '../outcomes/decisions';
import type { BaselineFact, DecisionFact, FeatureBinFact, MonitoringFacts, OutcomeFact, ScoreFact } from './compute';

type Reader = Pick<ServerDb, 'execute'>;

const Id = z.string().min(1).max(64);
/** The challenger's figures as the chained entry states them (shared/ipc/scoring.ts ChallengerScore, less the PD). */
const ChainedChallengerSchema = z.looseObject({
  modelHash: z.string(),
  modelVersion: z.string(),
  score: z.number(),
  band: z.string(),
  outcome: z.string(),
});
const ScorePayloadSchema = z.looseObject({
  scoreId: Id,
  band: z.string(),
  outcome: z.string(),
  modelHash: z.string(),
  challenger: ChainedChallengerSchema.optional(),
});
const ScoreAttachmentSchema = z.looseObject({
  scoreId: Id,
  band: z.string().min(1).max(40),
  outcome: z.enum(POLICY_OUTCOMES),
  modelHash: z.string(),
  modelVersion: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/),
  score: z.number().int(),
  probabilityOfDefault: z.number().min(0).max(1),
  challenger: ChallengerScore.optional(),
});

/** The attachment's challenger agrees with the chained entry's (or neither has one). */
function sameChallenger(
  chained: z.infer<typeof ChainedChallengerSchema> | undefined,
  attached: z.infer<typeof ChallengerScore> | undefined,
): boolean {
  if (chained === undefined || attached === undefined) {
    return chained === undefined && attached === undefined;
  }
  return (
    chained.modelHash === attached.modelHash &&
    chained.modelVersion === attached.modelVersion &&
    chained.score === attached.score &&
    chained.band === attached.band &&
    chained.outcome === attached.outcome
  );
}
const MonitoredDecisionSchema = DecisionPayloadSchema.extend({ scoreId: Id, policyOutcome: z.string() });
const ManifestFiguresSchema = z.looseObject({
  modelVersion: z.string(),
  metrics: z.looseObject({
    holdout: z.looseObject({
      rows: z.number().int().nonnegative(),
      auc: z.number().min(0).max(1),
      calibration: z.array(z.looseObject({ upper: z.number(), count: z.number().int().nonnegative() })),
    }),
  }),
  drift: z
    .array(z.looseObject({ feature: z.string(), proportions: z.array(z.number().nonnegative()).min(1) }))
    .default([]),
});

function parsed<T>(schema: z.ZodType<T>, value: unknown): T | null {
  const result = schema.safeParse(value);
  return result.success ? result.data : null;
}

function json(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export async function loadMonitoringFacts(db: Reader): Promise<MonitoringFacts> {
  let scoresWithoutAttachment = 0;
  let inconsistentScores = 0;
  let decisionsWithoutScore = 0;

  const scores = new Map<string, ScoreFact>();
  /** The challenger's model hash of each believed score that has one (checked against the releases below). */
  const challengerOf = new Map<string, { hash: string; version: string }>();
  /** Chained scores per device and month: no device can report more feature counts than it pushed scores. */
  const chainedScores = new Map<string, number>();
  const scoreRows = rowsOf<{ branch_id: string; device_id: string; ts: string; payload: string; attachment: unknown }>(
    await db.execute(sql`
      SELECT branch_id, device_id, ts, payload, attachment FROM audit_entries
      WHERE action = 'applicant.scored' ORDER BY ts, device_id, seq`),
  );
  for (const row of scoreRows) {
    const deviceMonth = `${row.device_id} ${row.ts.slice(0, 7)}`;
    chainedScores.set(deviceMonth, (chainedScores.get(deviceMonth) ?? 0) + 1);
    const payload = parsed(ScorePayloadSchema, json(row.payload));
    if (payload === null) {
      continue;
    }
    const body = parsed(
      ScoreAttachmentSchema,
      typeof row.attachment === 'string' ? json(row.attachment) : row.attachment,
    );
    if (body === null) {
      scoresWithoutAttachment += 1;
      continue;
    }
    if (
      body.scoreId !== payload.scoreId ||
      body.band !== payload.band ||
      body.outcome !== payload.outcome ||
      body.modelHash !== payload.modelHash ||
      !sameChallenger(payload.challenger, body.challenger)
    ) {
      inconsistentScores += 1;
      continue;
    }
    if (body.challenger !== undefined) {
      challengerOf.set(body.scoreId, { hash: body.challenger.modelHash, version: body.challenger.modelVersion });
    }
    scores.set(body.scoreId, {
      scoreId: body.scoreId,
      branchId: row.branch_id,
      month: row.ts.slice(0, 7),
      modelVersion: body.modelVersion,
      probabilityOfDefault: body.probabilityOfDefault,
      band: body.band,
      score: body.score,
      outcome: body.outcome,
      challenger:
        body.challenger === undefined
          ? null
          : {
              modelVersion: body.challenger.modelVersion,
              score: body.challenger.score,
              outcome: body.challenger.outcome,
              probabilityOfDefault: body.challenger.probabilityOfDefault,
            },
    });
  }

  const actions = sql.join(
    DECISION_ACTIONS.map((a) => sql`${a}`),
    sql`, `,
  );
  const decisionRows = rowsOf<{ branch_id: string; ts: string; action: string; payload: string }>(
    await db.execute(sql`
      SELECT branch_id, ts, action, payload FROM audit_entries
      WHERE action IN (${actions}) ORDER BY ts, device_id, seq`),
  );
  const superseded = new Set<string>();
  const candidates: (DecisionFact & { readonly pending: boolean })[] = [];
  for (const row of decisionRows) {
    const payload = parsed(MonitoredDecisionSchema, json(row.payload));
    if (payload === null) {
      continue;
    }
    if (typeof payload.supersedes === 'string') {
      superseded.add(payload.supersedes);
    }
    // The rule of electron/core/decisions/decision-rules.ts (overrideRequired): a supervisor deciding a referral the
    // policy made is its second pair of eyes, not an override.
    const reviewOfReferral = row.action === 'decision.reviewed' && payload.policyOutcome === 'refer';
    candidates.push({
      decisionId: payload.decisionId,
      branchId: row.branch_id,
      scoreId: payload.scoreId,
      decision: payload.decision,
      policyOutcome: payload.policyOutcome,
      override: payload.decision !== payload.policyOutcome && !reviewOfReferral,
      day: row.ts.slice(0, 10),
      pending: payload.fourEyes === 'pending',
    });
  }
  const decisions: DecisionFact[] = [];
  for (const { pending, ...decision } of candidates) {
    if (superseded.has(decision.decisionId) || pending) {
      continue;
    }
    if (!scores.has(decision.scoreId)) {
      decisionsWithoutScore += 1;
      continue;
    }
    decisions.push(decision);
  }

  const outcomes = new Map<string, OutcomeFact[]>();
  const statuses = new Set<string>(LOAN_OUTCOME_STATUSES);
  const outcomeRows = rowsOf<{ decision_id: string; as_of: string; status: string }>(
    await db.execute(
      sql`SELECT decision_id, as_of::text AS as_of, status FROM loan_outcomes ORDER BY decision_id, as_of`,
    ),
  );
  for (const row of outcomeRows) {
    if (!statuses.has(row.status)) {
      continue;
    }
    const history = outcomes.get(row.decision_id) ?? [];
    history.push({ asOf: row.as_of, status: row.status as OutcomeFact['status'] });
    outcomes.set(row.decision_id, history);
  }

  const baselines = new Map<string, BaselineFact>();
  // The challengers the bank released, model hash to model version: a shadow score from any other is not believed.
  const challengerHashes = new Map<string, string>();
  const releaseRows = rowsOf<{ version: string; body: unknown }>(
    await db.execute(sql`
      SELECT r.version, f.body FROM releases r JOIN feed_items f ON f.id = r.feed_item_id
      WHERE r.kind = 'model' ORDER BY r.published_at`),
  );
  for (const row of releaseRows) {
    const release = parsed(ModelReleaseSchema, typeof row.body === 'string' ? json(row.body) : row.body);
    if (release?.challenger !== undefined) {
      // The package's model hash as the workstation computes it (models/package/signing.ts fileHash).
      const onnx = Buffer.from(release.challenger.files['model.onnx'], 'base64');
      const version = parsed(
        z.looseObject({ modelVersion: z.string() }),
        json(Buffer.from(release.challenger.files['manifest.json'], 'base64').toString('utf8')),
      )?.modelVersion;
      if (version !== undefined) {
        challengerHashes.set(`sha256:${createHash('sha256').update(onnx).digest('hex')}`, version);
      }
    }
    const manifest =
      release === null
        ? null
        : parsed(ManifestFiguresSchema, json(Buffer.from(release.files['manifest.json'], 'base64').toString('utf8')));
    if (manifest === null) {
      continue;
    }
    const holdout = manifest.metrics.holdout;
    baselines.set(manifest.modelVersion, {
      release: row.version,
      holdoutAuc: holdout.auc,
      holdoutRows: holdout.rows,
      bins: holdout.calibration.map((b) => ({ upper: b.upper, count: b.count })),
      features: new Map(manifest.drift.map((d) => [d.feature, d.proportions])),
    });
  }

  // A shadow score of a challenger no release carried (a forged package, or a version reused) is not believed.
  let unknownChallengers = 0;
  for (const [scoreId, claimed] of challengerOf) {
    const score = scores.get(scoreId);
    if (score !== undefined && challengerHashes.get(claimed.hash) !== claimed.version) {
      scores.set(scoreId, { ...score, challenger: null });
      unknownChallengers += 1;
    }
  }

  // Validated when they were stored (FeatureBinMonthSchema); read again all the same, as every stored body here is.
  const featureBins: FeatureBinFact[] = [];
  const binRows = rowsOf<{
    branch_id: string;
    device_id: string;
    model_version: string;
    month: string;
    scores: number;
    features: unknown;
  }>(
    await db.execute(sql`
      SELECT branch_id, device_id, model_version, month, scores, features FROM feature_bin_counts
      ORDER BY model_version, month, branch_id, device_id`),
  );
  const reported = new Map<string, number>();
  for (const row of binRows) {
    const deviceMonth = `${row.device_id} ${row.month}`;
    reported.set(deviceMonth, (reported.get(deviceMonth) ?? 0) + Number(row.scores));
  }
  let unbackedFeatureCounts = 0;
  for (const row of binRows) {
    const features = parsed(
      FeatureBinCountsSchema.array(),
      typeof row.features === 'string' ? json(row.features) : row.features,
    );
    const deviceMonth = `${row.device_id} ${row.month}`;
    if (features === null || (reported.get(deviceMonth) ?? 0) > (chainedScores.get(deviceMonth) ?? 0)) {
      // More scores counted than the device pushed for that month: the counts are not believed.
      unbackedFeatureCounts += 1;
      continue;
    }
    featureBins.push({
      branchId: row.branch_id,
      modelVersion: row.model_version,
      month: row.month,
      scores: Number(row.scores),
      features,
    });
  }

  return {
    scores: [...scores.values()],
    decisions,
    outcomes,
    baselines,
    featureBins,
    unbackedFeatureCounts,
    excluded: { scoresWithoutAttachment, inconsistentScores, decisionsWithoutScore, unknownChallengers },
  };
}
