/**
 * Points-to-double-the-odds scaling: score = base + factor · ln(oddsGood / baseOdds), factor = pdo / ln 2,
 * clamped to [min, max]. Each term's contribution to the logit of default becomes −factor · contribution
 * points, so the points of a scorecard add up to the score exactly (before clamping and rounding).
 */
import { z } from 'zod';

export const ScoreScaling = z.strictObject({
  baseScore: z.number(),
  baseOdds: z.number().positive(),
  pdo: z.number().positive(),
  minScore: z.number(),
  maxScore: z.number(),
});
export type ScoreScaling = z.infer<typeof ScoreScaling>;

export const ScoreBand = z.strictObject({
  band: z.string().min(1),
  /** Lowest score in the band; bands are listed best first. */
  minScore: z.number(),
  description: z.string(),
});
export type ScoreBand = z.infer<typeof ScoreBand>;

export const PolicyDefaults = z.strictObject({
  version: z.string(),
  /** Scores at or above are approved by default. */
  approveAtOrAbove: z.number(),
  /** Scores below are declined by default; in between the application is referred to a supervisor. */
  declineBelow: z.number(),
});
export type PolicyDefaults = z.infer<typeof PolicyDefaults>;

export const DEFAULT_SCALING: ScoreScaling = { baseScore: 650, baseOdds: 50, pdo: 40, minScore: 300, maxScore: 850 };

/** A ≈ PD below 2.3%, B below 6.6%, C below 13.7%, D below 27% at the default scaling. */
export const DEFAULT_BANDS: readonly ScoreBand[] = [
  { band: 'A', minScore: 640, description: 'very low risk' },
  { band: 'B', minScore: 580, description: 'low risk' },
  { band: 'C', minScore: 530, description: 'moderate risk' },
  { band: 'D', minScore: 480, description: 'high risk' },
  { band: 'E', minScore: 300, description: 'very high risk' },
];

/** Approve at PD ≲ 8.7%, decline at PD ≳ 21% under the default scaling; a bank sets its own. */
export const DEFAULT_POLICY: PolicyDefaults = { version: 'default-1', approveAtOrAbove: 560, declineBelow: 500 };

export type Outcome = 'approve' | 'refer' | 'decline';

export function pointsFactor(scaling: ScoreScaling): number {
  return scaling.pdo / Math.LN2;
}

/** Unclamped, unrounded score of a logit of default. */
export function rawScore(logitOfDefault: number, scaling: ScoreScaling): number {
  return scaling.baseScore + pointsFactor(scaling) * (-logitOfDefault - Math.log(scaling.baseOdds));
}

/** The integer score shown to an officer. */
export function scoreOf(logitOfDefault: number, scaling: ScoreScaling): number {
  const raw = Math.round(rawScore(logitOfDefault, scaling));
  return Math.min(scaling.maxScore, Math.max(scaling.minScore, raw));
}

/** Points a logit contribution is worth: negative when the term raises the risk. */
export function pointsOf(contribution: number, scaling: ScoreScaling): number {
  return -pointsFactor(scaling) * contribution;
}

export function bandOf(score: number, bands: readonly ScoreBand[]): string {
  for (const band of bands) {
    if (score >= band.minScore) {
      return band.band;
    }
  }
  return bands[bands.length - 1]?.band ?? '?';
}

export function outcomeOf(score: number, policy: PolicyDefaults): Outcome {
  if (score >= policy.approveAtOrAbove) {
    return 'approve';
  }
  return score < policy.declineBelow ? 'decline' : 'refer';
}
