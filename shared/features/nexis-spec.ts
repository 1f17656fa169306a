/**
 * The NEXIS alternative-data specification: what an officer captures for a thin-file applicant.
 * Money is in Kenyan shillings (KES). Swahili texts are a first translation and need review by a
 * native speaker before release. Feasibility bounds are deliberately conservative: a plan built
 * on them should be achievable by an ordinary applicant without gaming the data.
 */
import type { Feasibility, FeatureSpec } from './schema';

const relative = (m3: [number, number], m6: [number, number], m12: [number, number]): Feasibility => ({
  months3: { up: m3[0], down: m3[1], relative: true },
  months6: { up: m6[0], down: m6[1], relative: true },
  months12: { up: m12[0], down: m12[1], relative: true },
});

const absolute = (m3: [number, number], m6: [number, number], m12: [number, number]): Feasibility => ({
  months3: { up: m3[0], down: m3[1], relative: false },
  months6: { up: m6[0], down: m6[1], relative: false },
  months12: { up: m12[0], down: m12[1], relative: false },
});

export const NEXIS_FEATURE_SPEC: FeatureSpec = {
  id: 'nexis-alt-data',
  version: '1.0.0',
  title: 'NEXIS alternative credit data',
  currency: 'KES',
  label: { column: 'defaulted', defaultValues: ['1'] },
  protectedColumns: [
    { column: 'sex', attribute: 'sex' },
    { column: 'ageYears', attribute: 'age', groupEdges: [25, 35, 50] },
    { column: 'region', attribute: 'location' },
  ],
  features: [
    {
      key: 'mobileMoneyInflowAvg',
      label: { en: 'Average monthly mobile-money inflow', sw: 'Wastani wa pesa za simu zinazoingia kwa mwezi' },
      description: {
        en: 'Average amount received on mobile money per month over the last 12 months.',
        sw: 'Wastani wa kiasi kinachopokelewa kwa pesa za simu kila mwezi katika miezi 12 iliyopita.',
      },
      unit: 'KES/month',
      kind: 'numeric',
      min: 0,
      max: 2_000_000,
      required: true,
      actionable: true,
      riskDirection: 'decreasing',
      feasibility: relative([0.1, 0.5], [0.2, 0.5], [0.4, 0.5]),
      reasonText: {
        en: 'Mobile-money income is low compared with other applicants.',
        sw: 'Mapato ya pesa za simu ni madogo ukilinganisha na waombaji wengine.',
      },
    },
    {
      key: 'inflowVolatility',
      label: { en: 'Inflow volatility', sw: 'Kuyumba kwa mapato' },
      description: {
        en: 'How much monthly inflow varies: standard deviation divided by the average (0 = the same every month).',
        sw: 'Kiasi ambacho mapato ya kila mwezi hubadilika: mkengeuko sanifu ukigawanywa kwa wastani (0 = sawa kila mwezi).',
      },
      unit: 'ratio',
      kind: 'numeric',
      min: 0,
      max: 5,
      required: true,
      actionable: true,
      riskDirection: 'increasing',
      feasibility: absolute([0.05, 0.1], [0.1, 0.2], [0.5, 0.4]),
      reasonText: {
        en: 'Income varies a lot from month to month.',
        sw: 'Mapato hubadilika sana kutoka mwezi mmoja hadi mwingine.',
      },
    },
    {
      key: 'mobileMoneyHistoryMonths',
      label: { en: 'Months of mobile-money history', sw: 'Miezi ya historia ya pesa za simu' },
      description: {
        en: 'How many months the applicant has used mobile money.',
        sw: 'Idadi ya miezi ambayo mwombaji ametumia pesa za simu.',
      },
      unit: 'months',
      kind: 'integer',
      min: 0,
      max: 240,
      required: true,
      actionable: false,
      riskDirection: 'decreasing',
      reasonText: {
        en: 'Mobile-money history is short.',
        sw: 'Historia ya pesa za simu ni fupi.',
      },
    },
    {
      key: 'utilityBillsOnTime12m',
      label: { en: 'Utility bills paid on time (12 months)', sw: 'Bili za huduma zilizolipwa kwa wakati (miezi 12)' },
      description: {
        en: 'Number of the last 12 monthly electricity or water bills paid by the due date. Leave empty if the applicant has no utility account.',
        sw: 'Idadi ya bili 12 za mwisho za umeme au maji zilizolipwa kabla ya tarehe ya mwisho. Acha wazi kama mwombaji hana akaunti ya huduma.',
      },
      unit: 'bills',
      kind: 'integer',
      min: 0,
      max: 12,
      required: false,
      actionable: true,
      riskDirection: 'decreasing',
      feasibility: absolute([3, 0], [6, 0], [12, 0]),
      reasonText: {
        en: 'Some utility bills were paid late in the last 12 months.',
        sw: 'Baadhi ya bili za huduma zililipwa kwa kuchelewa katika miezi 12 iliyopita.',
      },
    },
    {
      key: 'rentOnTime12m',
      label: { en: 'Rent paid on time (12 months)', sw: 'Kodi iliyolipwa kwa wakati (miezi 12)' },
      description: {
        en: 'Number of the last 12 monthly rent payments made on time. Leave empty if the applicant pays no rent.',
        sw: 'Idadi ya malipo 12 ya mwisho ya kodi yaliyofanywa kwa wakati. Acha wazi kama mwombaji halipi kodi.',
      },
      unit: 'payments',
      kind: 'integer',
      min: 0,
      max: 12,
      required: false,
      actionable: true,
      riskDirection: 'decreasing',
      feasibility: absolute([3, 0], [6, 0], [12, 0]),
      reasonText: {
        en: 'Some rent payments were late in the last 12 months.',
        sw: 'Baadhi ya malipo ya kodi yalichelewa katika miezi 12 iliyopita.',
      },
    },
    {
      key: 'airtimeTopupsPerMonth',
      label: { en: 'Airtime top-ups per month', sw: 'Ununuzi wa muda wa maongezi kwa mwezi' },
      description: {
        en: 'Average number of airtime purchases per month over the last 6 months.',
        sw: 'Wastani wa idadi ya ununuzi wa muda wa maongezi kwa mwezi katika miezi 6 iliyopita.',
      },
      unit: 'top-ups/month',
      kind: 'numeric',
      min: 0,
      max: 200,
      required: true,
      // Not offered in plans: buying airtime more often to raise a score is gaming, not improvement.
      actionable: false,
      riskDirection: 'decreasing',
      reasonText: {
        en: 'Phone activity (airtime purchases) is low.',
        sw: 'Matumizi ya simu (ununuzi wa muda wa maongezi) ni madogo.',
      },
    },
    {
      key: 'savingsBalanceAvg',
      label: { en: 'Average savings balance', sw: 'Wastani wa akiba' },
      description: {
        en: 'Average balance in savings accounts (bank, SACCO or mobile savings) over the last 6 months. Leave empty if none.',
        sw: 'Wastani wa salio la akaunti za akiba (benki, SACCO au akiba ya simu) katika miezi 6 iliyopita. Acha wazi kama hakuna.',
      },
      unit: 'KES',
      kind: 'numeric',
      min: 0,
      max: 10_000_000,
      required: false,
      actionable: true,
      riskDirection: 'decreasing',
      feasibility: relative([0.25, 0.5], [0.5, 0.5], [1, 0.5]),
      reasonText: {
        en: 'Savings are low.',
        sw: 'Akiba ni ndogo.',
      },
    },
    {
      key: 'savingsRate',
      label: { en: 'Savings rate', sw: 'Kiwango cha kuweka akiba' },
      description: {
        en: 'Share of monthly inflow that is put into savings (0.1 = 10%).',
        sw: 'Sehemu ya mapato ya mwezi inayowekwa akiba (0.1 = 10%).',
      },
      unit: 'share',
      kind: 'numeric',
      min: 0,
      max: 1,
      required: true,
      actionable: true,
      riskDirection: 'decreasing',
      feasibility: absolute([0.03, 0.05], [0.05, 0.1], [0.1, 0.1]),
      reasonText: {
        en: 'Little of the monthly income is saved.',
        sw: 'Sehemu ndogo ya mapato ya mwezi huwekwa akiba.',
      },
    },
    {
      key: 'debtToIncome',
      label: { en: 'Existing debt-to-income', sw: 'Uwiano wa madeni na mapato' },
      description: {
        en: 'Monthly repayments on existing debts divided by monthly income (0.3 = 30% of income).',
        sw: 'Marejesho ya kila mwezi ya madeni yaliyopo yakigawanywa kwa mapato ya mwezi (0.3 = 30% ya mapato).',
      },
      unit: 'ratio',
      kind: 'numeric',
      min: 0,
      max: 5,
      required: true,
      actionable: true,
      riskDirection: 'increasing',
      feasibility: absolute([0.02, 0.05], [0.05, 0.15], [0.1, 0.3]),
      reasonText: {
        en: 'Existing debt repayments take a large share of income.',
        sw: 'Marejesho ya madeni yaliyopo huchukua sehemu kubwa ya mapato.',
      },
    },
    {
      key: 'activeLoans',
      label: { en: 'Number of active loans', sw: 'Idadi ya mikopo inayoendelea' },
      description: {
        en: 'Loans currently being repaid, including mobile loans and SACCO loans.',
        sw: 'Mikopo inayolipwa sasa, ikiwemo mikopo ya simu na ya SACCO.',
      },
      unit: 'loans',
      kind: 'integer',
      min: 0,
      max: 30,
      required: true,
      actionable: true,
      riskDirection: 'increasing',
      feasibility: absolute([0, 1], [0, 2], [0, 3]),
      reasonText: {
        en: 'Too many loans are active at the same time.',
        sw: 'Kuna mikopo mingi inayoendelea kwa wakati mmoja.',
      },
    },
    {
      key: 'worstDaysPastDue12m',
      label: { en: 'Worst days past due (12 months)', sw: 'Siku nyingi zaidi za kuchelewa kulipa (miezi 12)' },
      description: {
        en: 'The longest delay, in days, on any loan repayment in the last 12 months (0 = never late).',
        sw: 'Kuchelewa kwa muda mrefu zaidi, kwa siku, kwenye marejesho ya mkopo wowote katika miezi 12 iliyopita (0 = hakuna kuchelewa).',
      },
      unit: 'days',
      kind: 'integer',
      min: 0,
      max: 365,
      required: true,
      // A past delay leaves the 12-month window only with time, so short horizons allow little change.
      actionable: true,
      riskDirection: 'increasing',
      feasibility: absolute([0, 0], [0, 30], [0, 365]),
      reasonText: {
        en: 'A loan repayment was seriously late in the last 12 months.',
        sw: 'Marejesho ya mkopo yalichelewa sana katika miezi 12 iliyopita.',
      },
    },
    {
      key: 'employmentTenureMonths',
      label: { en: 'Employment or business tenure', sw: 'Muda wa ajira au biashara' },
      description: {
        en: 'Months in the current job or running the current business.',
        sw: 'Miezi katika kazi ya sasa au katika kuendesha biashara ya sasa.',
      },
      unit: 'months',
      kind: 'integer',
      min: 0,
      max: 600,
      required: true,
      actionable: false,
      riskDirection: 'decreasing',
      reasonText: {
        en: 'Time in the current job or business is short.',
        sw: 'Muda katika kazi au biashara ya sasa ni mfupi.',
      },
    },
    {
      key: 'requestedAmount',
      label: { en: 'Requested amount', sw: 'Kiasi kinachoombwa' },
      description: {
        en: 'The loan amount the applicant asks for.',
        sw: 'Kiasi cha mkopo ambacho mwombaji anaomba.',
      },
      unit: 'KES',
      kind: 'numeric',
      min: 500,
      max: 5_000_000,
      required: true,
      actionable: true,
      riskDirection: 'increasing',
      feasibility: relative([0, 0.5], [0, 0.5], [0, 0.5]),
      reasonText: {
        en: 'The requested amount is high for this profile.',
        sw: 'Kiasi kinachoombwa ni kikubwa kwa hali hii.',
      },
    },
    {
      key: 'termMonths',
      label: { en: 'Loan term', sw: 'Muda wa mkopo' },
      description: {
        en: 'Requested repayment period in months.',
        sw: 'Muda wa kulipa mkopo unaoombwa, kwa miezi.',
      },
      unit: 'months',
      kind: 'integer',
      min: 1,
      max: 60,
      required: true,
      actionable: true,
      riskDirection: 'increasing',
      feasibility: absolute([0, 12], [0, 12], [0, 12]),
      reasonText: {
        en: 'The requested repayment period is long.',
        sw: 'Muda wa kulipa unaoombwa ni mrefu.',
      },
    },
  ],
};
