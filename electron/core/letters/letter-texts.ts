/**
 * The wording of the applicant letter in English and Kiswahili, worded for each outcome: an approval is not told what
 * "lowered" its score, a referral is told what happens next, a decline how to contest. Everything the applicant reads
 * is in their language, dates included; the bank's replay record is not part of it (see bank-copy.ts). The Kiswahili
 * is a first translation awaiting a native speaker's review, which is recorded in docs/scoring.md, not in the letter.
 */
import type { Decision } from '../../../shared/domain/decisions';
import type { MONEY_MEASURES } from '../../../shared/ipc/scoring';

export type MoneyMeasure = (typeof MONEY_MEASURES)[number];
/** What a plan step means in shillings a month: the change, and the amounts before and after (formatted). */
type MoneyText = (change: string, from: string, to: string) => string;

export type LetterLanguage = 'en' | 'sw';

export interface LetterTexts {
  readonly title: Record<Decision, string>;
  readonly greeting: (name: string) => string;
  /** The applicant's name was not available (erased or never given). */
  readonly greetingNoName: string;
  readonly date: (date: string, reference: string) => string;
  readonly decision: Record<Decision, string>;
  readonly score: (score: number, band: string) => string;
  readonly reasonsHeading: Record<Decision, string>;
  readonly factorsHeading: Record<Decision, string>;
  readonly noFactors: Record<Decision, string>;
  readonly planHeading: Record<Decision, string>;
  readonly planTarget: (band: string, minScore: number, months: number, approval: boolean) => string;
  readonly planStep: (label: string, from: string, to: string, unit: string, points: number) => string;
  readonly planMoney: Record<MoneyMeasure, MoneyText>;
  readonly planNone: Record<Decision, string>;
  readonly planValidity: (date: string) => string;
  readonly rightsHeading: Record<Decision, string>;
  readonly rights: Record<Decision, (reference: string) => string>;
  readonly contact: (controller: string, address: string, phone: string, email: string) => string;
  readonly closing: string;
  readonly missing: string;
  /** Units of the specification (English) as the letter shows them. */
  readonly unit: (unit: string) => string;
  /** BCP 47 locale for dates and numbers. */
  readonly locale: string;
}

/** The specification's units are English; the Kiswahili letter names each of them in Kiswahili. */
const SWAHILI_UNITS: Readonly<Record<string, string>> = {
  'KES/month': 'KES kwa mwezi',
  KES: 'KES',
  ratio: '',
  share: '',
  months: 'miezi',
  days: 'siku',
  bills: 'bili',
  payments: 'malipo',
  loans: 'mikopo',
  'top-ups/month': 'mara kwa mwezi',
};

/** Ratios and shares read as plain numbers; the other units are written after the value. */
const ENGLISH_UNITS: Readonly<Record<string, string>> = { ratio: '', share: '' };

export const LETTER_TEXTS: Record<LetterLanguage, LetterTexts> = {
  en: {
    title: {
      approve: 'Your loan application has been approved',
      refer: 'Your loan application is being reviewed',
      decline: 'Decision on your loan application',
    },
    greeting: (name) => `Dear ${name},`,
    greetingNoName: 'Dear applicant,',
    date: (date, reference) => `Date: ${date}    Reference: ${reference}`,
    decision: {
      approve: 'We are pleased to tell you that your loan application has been approved.',
      decline: 'We are unable to approve your loan application at this time.',
      refer: 'Your loan application has been passed to a supervisor for a second review. We will tell you the outcome.',
    },
    score: (score, band) => `Your credit score is ${score} (band ${band}), on a scale from 300 to 850.`,
    reasonsHeading: {
      approve: 'What this decision rests on',
      refer: 'Why your application is being reviewed',
      decline: 'Reasons for this decision',
    },
    factorsHeading: {
      approve: 'What could raise your score further',
      refer: 'The main factors that lowered your score',
      decline: 'The main factors that lowered your score',
    },
    noFactors: {
      approve: 'No factor held your score back noticeably.',
      refer: 'No factor lowered your score noticeably.',
      decline: 'No factor lowered your score noticeably.',
    },
    planHeading: {
      approve: 'How you could strengthen a future application',
      refer: 'How you could improve your result',
      decline: 'How you could improve your result',
    },
    planTarget: (band, minScore, months, approval) =>
      approval
        ? `To reach the approval level (score ${minScore}, band ${band}) within ${months} months:`
        : `To reach band ${band} (score ${minScore}) within ${months} months:`,
    planStep: (label, from, to, unit, points) =>
      `${label}: from ${from} to ${to}${unit === '' ? '' : ` ${unit}`} (about +${points} points)`,
    planMoney: {
      'monthly-savings': (change, from, to) => `save about ${change} more a month (${from} → ${to} a month)`,
      'monthly-repayments': (change, from, to) =>
        `about ${change} less in monthly loan repayments (${from} → ${to} a month)`,
      'monthly-swing': (_change, from, to) =>
        `steadier income: months differing from the average by about ${to} instead of ${from}`,
      'monthly-inflow': (change) => `about ${change} more received a month`,
      balance: (change) => `about ${change} more kept in savings on average`,
      'loan-amount': (change, from, to) => `ask for ${change} less (${from} → ${to})`,
    },
    planNone: {
      approve: 'Keeping your payments on time keeps your score where it is.',
      refer: 'No realistic change within 12 months would reach a better band; ask us for advice.',
      decline: 'No realistic change within 12 months would reach a better band; ask us for advice.',
    },
    planValidity: (date) => `This plan applies to the current scoring method and is valid until ${date}.`,
    rightsHeading: {
      approve: 'Your rights',
      refer: 'What happens next, and your rights',
      decline: 'Your rights and how to contest this decision',
    },
    rights: {
      approve: (reference) =>
        'This decision was made by a loan officer with the help of an automated credit score. You have the right to ' +
        'an explanation and to a copy of the data used, and to have wrong data corrected. ' +
        `Please quote reference ${reference} when you contact us:`,
      refer: (reference) =>
        'A supervisor, not a computer, will review your application and decide. You may give us any information ' +
        'you would like the supervisor to consider, ask for an explanation, and ask for a copy of the data used. ' +
        `Please quote reference ${reference} when you contact us:`,
      decline: (reference) =>
        'This decision was made by a loan officer with the help of an automated credit score. You have the right to ' +
        'an explanation, to give your point of view, to have the decision reviewed by a person, and to contest it. ' +
        `You may also ask for a copy of the data used. Please quote reference ${reference} and contact us within 30 days:`,
    },
    contact: (controller, address, phone, email) => `${controller}, ${address}. Phone ${phone}, email ${email}.`,
    closing: 'Yours sincerely,',
    missing: 'not given',
    unit: (unit) => ENGLISH_UNITS[unit] ?? unit,
    locale: 'en-GB',
  },
  sw: {
    title: {
      approve: 'Ombi lako la mkopo limekubaliwa',
      refer: 'Ombi lako la mkopo linakaguliwa',
      decline: 'Uamuzi kuhusu ombi lako la mkopo',
    },
    greeting: (name) => `Mpendwa ${name},`,
    greetingNoName: 'Mpendwa mwombaji,',
    date: (date, reference) => `Tarehe: ${date}    Kumbukumbu: ${reference}`,
    decision: {
      approve: 'Tunafurahi kukujulisha kwamba ombi lako la mkopo limekubaliwa.',
      decline: 'Hatuwezi kukubali ombi lako la mkopo kwa sasa.',
      refer: 'Ombi lako la mkopo limepelekwa kwa msimamizi kwa ukaguzi wa pili. Tutakujulisha matokeo.',
    },
    score: (score, band) => `Alama yako ya mkopo ni ${score} (daraja ${band}), kwenye kipimo cha 300 hadi 850.`,
    reasonsHeading: {
      approve: 'Uamuzi huu unategemea nini',
      refer: 'Kwa nini ombi lako linakaguliwa',
      decline: 'Sababu za uamuzi huu',
    },
    factorsHeading: {
      approve: 'Kinachoweza kupandisha alama yako zaidi',
      refer: 'Mambo makuu yaliyopunguza alama yako',
      decline: 'Mambo makuu yaliyopunguza alama yako',
    },
    noFactors: {
      approve: 'Hakuna jambo lililozuia alama yako kwa kiasi kikubwa.',
      refer: 'Hakuna jambo lililopunguza alama yako kwa kiasi kikubwa.',
      decline: 'Hakuna jambo lililopunguza alama yako kwa kiasi kikubwa.',
    },
    planHeading: {
      approve: 'Jinsi unavyoweza kuimarisha ombi lijalo',
      refer: 'Jinsi unavyoweza kuboresha matokeo yako',
      decline: 'Jinsi unavyoweza kuboresha matokeo yako',
    },
    planTarget: (band, minScore, months, approval) =>
      approval
        ? `Kufikia kiwango cha kukubaliwa (alama ${minScore}, daraja ${band}) ndani ya miezi ${months}:`
        : `Kufikia daraja ${band} (alama ${minScore}) ndani ya miezi ${months}:`,
    planStep: (label, from, to, unit, points) =>
      `${label}: kutoka ${from} hadi ${to}${unit === '' ? '' : ` ${unit}`} (takriban alama +${points})`,
    planMoney: {
      'monthly-savings': (change, from, to) =>
        `weka akiba zaidi ya takriban ${change} kwa mwezi (${from} → ${to} kwa mwezi)`,
      'monthly-repayments': (change, from, to) =>
        `takriban ${change} pungufu katika marejesho ya mikopo kila mwezi (${from} → ${to} kwa mwezi)`,
      'monthly-swing': (_change, from, to) =>
        `mapato thabiti zaidi: miezi inayotofautiana na wastani kwa takriban ${to} badala ya ${from}`,
      'monthly-inflow': (change) => `takriban ${change} zaidi kupokelewa kwa mwezi`,
      balance: (change) => `takriban ${change} zaidi kuwekwa akibani kwa wastani`,
      'loan-amount': (change, from, to) => `omba ${change} pungufu (${from} → ${to})`,
    },
    planNone: {
      approve: 'Ukiendelea kulipa kwa wakati, alama yako itabaki ilipo.',
      refer: 'Hakuna mabadiliko ya kweli ndani ya miezi 12 yatakayofikia daraja bora; tuombe ushauri.',
      decline: 'Hakuna mabadiliko ya kweli ndani ya miezi 12 yatakayofikia daraja bora; tuombe ushauri.',
    },
    planValidity: (date) => `Mpango huu unahusu njia ya sasa ya kupima alama na ni halali hadi ${date}.`,
    rightsHeading: {
      approve: 'Haki zako',
      refer: 'Kinachofuata, na haki zako',
      decline: 'Haki zako na jinsi ya kupinga uamuzi huu',
    },
    rights: {
      approve: (reference) =>
        'Uamuzi huu ulifanywa na afisa wa mikopo kwa msaada wa alama ya mkopo iliyokokotolewa na kompyuta. Una haki ' +
        'ya kupata maelezo na nakala ya taarifa zilizotumika, na taarifa zisizo sahihi kurekebishwa. ' +
        `Tafadhali taja kumbukumbu ${reference} unapowasiliana nasi:`,
      refer: (reference) =>
        'Msimamizi, si kompyuta, atakagua ombi lako na kuamua. Unaweza kutupa taarifa yoyote ungependa msimamizi ' +
        'aizingatie, kuomba maelezo, na kuomba nakala ya taarifa zilizotumika. ' +
        `Tafadhali taja kumbukumbu ${reference} unapowasiliana nasi:`,
      decline: (reference) =>
        'Uamuzi huu ulifanywa na afisa wa mikopo kwa msaada wa alama ya mkopo iliyokokotolewa na kompyuta. Una haki ' +
        'ya kupata maelezo, kutoa maoni yako, uamuzi kukaguliwa na mtu, na kuupinga. Unaweza pia kuomba nakala ya ' +
        `taarifa zilizotumika. Tafadhali taja kumbukumbu ${reference} na uwasiliane nasi ndani ya siku 30:`,
    },
    contact: (controller, address, phone, email) => `${controller}, ${address}. Simu ${phone}, barua pepe ${email}.`,
    closing: 'Wako mwaminifu,',
    missing: 'haikutolewa',
    unit: (unit) => SWAHILI_UNITS[unit] ?? unit,
    locale: 'sw',
  },
};

/** A calendar date (the UTC day of an ISO timestamp) written out in the letter's language: "2 Desemba 2026". */
export function letterDate(t: LetterTexts, iso: string): string {
  return new Intl.DateTimeFormat(t.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));
}
