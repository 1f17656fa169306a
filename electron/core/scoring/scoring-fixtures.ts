/**
 * Test helpers for scoring, decisions and letters: the real shipped model package, the real encrypted workstation,
 * and the services composed from it exactly as workstation.ts will compose them.
 */
import { readFileSync } from 'node:fs';
import type { FeatureValues } from '../../../shared/features';
import { NEXIS_FEATURE_SPEC } from '../../../shared/features';
import { DecisionService } from '../decisions/decision-service';
import { LetterService } from '../letters/letter-service';
import { consentFor, FORM_VALUES, intakeReady, PERSON } from '../testing/intake-fixtures';
import { createTempWorkstation, type TempWorkstation } from '../testing/temp-workstation';
import { defaultModelDir, developmentPublicKeyPath, ModelService } from './model-service';
import { ScoringService } from './scoring-service';

export const DEV_PUBLIC_KEY = readFileSync(developmentPublicKeyPath(), 'utf8');

/** Scores 593 (band B): the policy approves. The intake fixtures' complete form values. */
export const APPROVE_VALUES = FORM_VALUES satisfies FeatureValues;

/** Scores 541 (band C): the policy refers. */
export const REFER_VALUES = {
  ...APPROVE_VALUES,
  debtToIncome: 0.4,
  worstDaysPastDue12m: 10,
  utilityBillsOnTime12m: 8,
} as const satisfies FeatureValues;

/** Scores 414 (band E): the policy declines. */
export const DECLINE_VALUES = {
  ...APPROVE_VALUES,
  mobileMoneyInflowAvg: 9_000,
  inflowVolatility: 0.9,
  utilityBillsOnTime12m: 7,
  savingsRate: 0.02,
  debtToIncome: 0.6,
  activeLoans: 3,
  worstDaysPastDue12m: 45,
} as const satisfies FeatureValues;

export interface ScoringHarness {
  readonly t: TempWorkstation;
  readonly model: ModelService;
  readonly scoring: ScoringService;
  readonly decisions: DecisionService;
  readonly letters: LetterService;
  /** The officer signed in on connection `officer` by intakeReady. */
  readonly officerId: string;
  register(values?: Readonly<Record<string, number | string | null>>, language?: 'en' | 'sw'): Promise<string>;
  /** A signed-in supervisor (temporary password changed). */
  supervisor(username: string): Promise<{ id: string; role: 'supervisor' }>;
  close(): Promise<void>;
}

export async function createScoringHarness(): Promise<ScoringHarness> {
  const t = createTempWorkstation();
  await intakeReady(t);
  const ws = t.ws;
  const model = new ModelService({ trustedPublicKey: DEV_PUBLIC_KEY, clock: t.clock });
  const status = await model.loadDirectory(defaultModelDir());
  if (status.state !== 'verified') {
    throw new Error(status.detail);
  }
  const scoring = new ScoringService({
    store: ws.store,
    clock: t.clock,
    applicants: ws.applicants,
    consent: ws.consent,
    behaviour: ws.behaviour,
    model,
  });
  const decisions = new DecisionService(ws.store, t.clock, ws.applicants);
  const letters = new LetterService({
    store: ws.store,
    applicants: ws.applicants,
    consent: ws.consent,
    settings: ws.settings,
    decisions,
    scoring,
    spec: NEXIS_FEATURE_SPEC,
  });
  const officer = ws.officers.list().find((o) => o.role === 'officer');
  if (officer === undefined) {
    throw new Error('intakeReady created no officer');
  }
  return {
    t,
    model,
    scoring,
    decisions,
    letters,
    officerId: officer.id,
    async register(values = APPROVE_VALUES, language = 'en') {
      const registered = ws.applicants.register(officer.id, PERSON, consentFor(ws, {}, language));
      ws.behaviour.saveForm(officer.id, registered.applicantId, { ...values });
      return registered.applicantId;
    },
    async supervisor(username) {
      const created = await t.call('admin', 'officers:create', {
        username,
        displayName: 'Supervisor',
        role: 'supervisor',
        password: 'temporary pass 123',
      });
      if (!created.ok) {
        throw new Error(created.error.message);
      }
      return { id: created.value.id, role: 'supervisor' };
    },
    async close() {
      await model.release();
      t.cleanup();
    },
  };
}
