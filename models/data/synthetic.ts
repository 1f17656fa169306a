/**
 * Synthetic alternative-data applicants for the NEXIS specification. SYNTHETIC: no row describes a
 * real person. Three latent traits drive both the observed features and default:
 *   capacity C (earning power), discipline D (payment habits), stability S (income steadiness).
 * Features are noisy views of these traits; the label adds direct effects of the loan burden.
 * Protected attributes (sex, age, region) are generated for fairness testing only: region shifts
 * capacity (a structural income gap) and age shifts history and tenure, so the fairness report has
 * something real to measure; none of them enters the label directly. See docs/model-synthetic-data.md.
 */
import { NEXIS_FEATURE_SPEC } from '../../shared/features';
import { createRng, type Rng } from '../core/prng';

export const SYNTHETIC_COLUMNS = [
  ...NEXIS_FEATURE_SPEC.features.map((f) => f.key),
  'sex',
  'ageYears',
  'region',
  'defaulted',
] as const;

export interface SyntheticOptions {
  readonly rows: number;
  readonly seed: number;
  /** Target share of defaults; the intercept is calibrated on a pilot sample to reach it. */
  readonly defaultRate?: number;
}

type Row = Record<string, number | string | null>;

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const round = (x: number, digits: number): number => Number(x.toFixed(digits));

function poisson(rng: Rng, mean: number): number {
  // Knuth for small means, normal approximation above: means here stay below ~40.
  if (mean > 30) {
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

function binomial(rng: Rng, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (rng.next() < p) {
      k++;
    }
  }
  return k;
}

const TERMS = [3, 6, 9, 12, 18, 24, 36] as const;

/** One applicant: features, protected attributes and the logit of default before the intercept. */
function applicant(rng: Rng): { row: Row; riskLogit: number } {
  const sex = rng.next() < 0.5 ? 'F' : 'M';
  const age = Math.round(clamp(18 + Math.exp(2.7 + 0.55 * rng.normal()), 18, 75));
  const u = rng.next();
  const region = u < 0.45 ? 'urban' : u < 0.7 ? 'peri-urban' : 'rural';

  const capacity = rng.normal() + (region === 'urban' ? 0.25 : region === 'rural' ? -0.25 : 0);
  const discipline = rng.normal();
  const stability = rng.normal() + 0.01 * (age - 35);

  const inflow = Math.round(clamp(Math.exp(9.8 + 0.55 * capacity + 0.25 * rng.normal()), 0, 2_000_000));
  const volatility = round(clamp(Math.exp(-1 - 0.35 * stability + 0.25 * rng.normal()), 0, 5), 3);
  const history = Math.round(clamp(Math.min(age - 16, 15) * 12 * (0.2 + 0.8 * rng.next()), 0, 240));
  const utilityMissing = rng.next() < (region === 'rural' ? 0.45 : 0.25);
  const utility = utilityMissing ? null : binomial(rng, 12, sigmoid(1.6 + 1.2 * discipline));
  const rent = rng.next() < 0.4 ? null : binomial(rng, 12, sigmoid(1.4 + 1.0 * discipline + 0.3 * capacity));
  const airtime = round(clamp(poisson(rng, Math.exp(1.9 + 0.25 * capacity + 0.1 * rng.normal())), 0, 200), 0);
  const savings =
    rng.next() < (capacity > 0 ? 0.25 : 0.45)
      ? null
      : Math.round(clamp(Math.exp(8.5 + 0.7 * capacity + 0.5 * discipline + 0.6 * rng.normal()), 0, 10_000_000));
  const savingsRate = round(clamp(0.06 + 0.04 * discipline + 0.03 * capacity + 0.04 * rng.normal(), 0, 1), 3);
  const debtToIncome = round(clamp(Math.exp(-1.4 - 0.25 * capacity - 0.2 * discipline + 0.45 * rng.normal()), 0, 5), 3);
  const activeLoans = clamp(poisson(rng, Math.exp(0.1 - 0.25 * discipline + 0.2 * capacity)), 0, 30);
  const late = rng.next() >= sigmoid(1.0 + 1.3 * discipline);
  const worstDpd = late ? Math.round(clamp(-Math.log(1 - rng.next()) * (10 + 30 * sigmoid(-discipline)), 1, 365)) : 0;
  const tenure = Math.round(clamp(Math.exp(3.3 + 0.5 * stability + 0.02 * (age - 35) + 0.5 * rng.normal()), 0, 600));
  const term = TERMS[clamp(Math.floor(rng.next() * 5 + rng.next() * 3), 0, TERMS.length - 1)] as number;
  const requested =
    Math.round(clamp(inflow * Math.exp(0.3 + 0.5 * rng.normal()) * Math.sqrt(term / 6), 500, 5_000_000) / 100) * 100;

  const installmentShare = requested / term / Math.max(inflow, 1);
  const riskLogit =
    -0.55 * capacity -
    0.8 * discipline -
    0.35 * stability +
    0.9 * (debtToIncome - 0.3) +
    0.8 * Math.log1p(3 * installmentShare) +
    0.012 * Math.min(worstDpd, 90) +
    0.08 * activeLoans +
    0.015 * term +
    0.5 * volatility -
    0.1 * Math.log1p(history / 12) +
    0.5 * rng.normal();

  const row: Row = {
    mobileMoneyInflowAvg: inflow,
    inflowVolatility: volatility,
    mobileMoneyHistoryMonths: history,
    utilityBillsOnTime12m: utility,
    rentOnTime12m: rent,
    airtimeTopupsPerMonth: airtime,
    savingsBalanceAvg: savings,
    savingsRate,
    debtToIncome,
    activeLoans,
    worstDaysPastDue12m: worstDpd,
    employmentTenureMonths: tenure,
    requestedAmount: requested,
    termMonths: term,
    sex,
    ageYears: age,
    region,
  };
  return { row, riskLogit };
}

/** Intercept that gives the target default rate, found by bisection on a fixed pilot sample. */
function calibrateIntercept(seed: number, target: number): number {
  const rng = createRng(seed ^ 0x5eed);
  const pilot = Array.from({ length: 20_000 }, () => applicant(rng).riskLogit);
  let lo = -10;
  let hi = 10;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    const rate = pilot.reduce((s, z) => s + sigmoid(z + mid), 0) / pilot.length;
    if (rate > target) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return (lo + hi) / 2;
}

export function generateSyntheticRows(options: SyntheticOptions): Row[] {
  const intercept = calibrateIntercept(options.seed, options.defaultRate ?? 0.2);
  const rng = createRng(options.seed);
  return Array.from({ length: options.rows }, () => {
    const { row, riskLogit } = applicant(rng);
    return { ...row, defaulted: rng.next() < sigmoid(riskLogit + intercept) ? 1 : 0 };
  });
}

export function syntheticCsv(options: SyntheticOptions): string {
  const rows = generateSyntheticRows(options);
  const lines = [SYNTHETIC_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(SYNTHETIC_COLUMNS.map((c) => (row[c] === null || row[c] === undefined ? '' : String(row[c]))).join(','));
  }
  return `${lines.join('\n')}\n`;
}
