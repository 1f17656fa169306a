import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NEXIS_FEATURE_SPEC, type FeatureValues } from '../../shared/features';
import { createModelScorer, loadModelPackage, scoreWithTs, type VerifiedPackage } from './index';

const packageDir = fileURLToPath(new URL('../../resources/model/', import.meta.url));
const devPublicKey = readFileSync(
  fileURLToPath(new URL('../../resources/model/dev-keys/public.pem', import.meta.url)),
  'utf8',
);

const applicant: FeatureValues = {
  mobileMoneyInflowAvg: 9_000,
  inflowVolatility: 0.9,
  mobileMoneyHistoryMonths: 14,
  utilityBillsOnTime12m: 7,
  rentOnTime12m: null,
  airtimeTopupsPerMonth: 4,
  savingsBalanceAvg: null,
  savingsRate: 0.02,
  debtToIncome: 0.6,
  activeLoans: 3,
  worstDaysPastDue12m: 45,
  employmentTenureMonths: 10,
  requestedAmount: 60_000,
  termMonths: 24,
};

function loadShipped(): VerifiedPackage {
  const result = loadModelPackage(packageDir, devPublicKey);
  if (!result.ok) {
    throw result.error;
  }
  return result.value;
}

describe('the default model package shipped in resources/model', () => {
  it('verifies with the development public key and is built on the NEXIS specification, marked synthetic', () => {
    const verified = loadShipped();
    expect(verified.manifest.spec).toEqual(NEXIS_FEATURE_SPEC);
    expect(verified.manifest.trainingData.synthetic).toBe(true);
    expect(readFileSync(`${packageDir}/model-card.md`, 'utf8')).toContain('TRAINED ON SYNTHETIC DATA');
  });

  it('scores with onnxruntime-node exactly as the TypeScript model does, with reasons from scored features', async () => {
    const verified = loadShipped();
    const scorer = await createModelScorer(verified);
    try {
      const viaOrt = await scorer.score(applicant);
      const viaTs = scoreWithTs(verified.manifest, applicant);
      expect(viaOrt.contributions).toHaveLength(NEXIS_FEATURE_SPEC.features.length);
      viaOrt.contributions.forEach((c, t) =>
        expect(Math.abs(c.logit - (viaTs.contributions[t]?.logit ?? NaN))).toBeLessThan(1e-5),
      );
      expect(viaOrt.score).toBe(viaTs.score);
      expect(viaOrt.score).toBeGreaterThanOrEqual(300);
      expect(viaOrt.score).toBeLessThanOrEqual(850);
      expect(
        Math.abs(viaOrt.basePoints + viaOrt.contributions.reduce((s, c) => s + c.points, 0) - viaOrt.rawScore),
      ).toBeLessThan(1e-9);
      // A weak applicant: declined or referred, with principal reasons naming the features that cost points.
      expect(viaOrt.outcome).not.toBe('approve');
      expect(viaOrt.reasons.length).toBeGreaterThan(0);
      const keys = new Set(NEXIS_FEATURE_SPEC.features.map((f) => f.key));
      viaOrt.reasons.forEach((r) => expect(keys.has(r.feature)).toBe(true));
      // A 45-day delay costs points: the shape of worst days past due rises from its best value.
      expect(viaOrt.contributions.find((c) => c.term === 'worstDaysPastDue12m')?.points ?? 0).toBeLessThan(0);
      expect(viaOrt.reasons[0]?.pointsLost ?? 0).toBeGreaterThan(10);
      expect(scorer.modelHash).toBe(verified.modelHash);
    } finally {
      await scorer.release();
    }
  });

  it('refuses applicant values outside the specification with INPUT_INVALID', () => {
    const verified = loadShipped();
    expect(() => scoreWithTs(verified.manifest, { ...applicant, activeLoans: -1 })).toThrow(/between|lowest allowed/);
  });
});
