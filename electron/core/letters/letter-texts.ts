/**
 * The wording of the applicant letter in English and Swahili. The Swahili is a first translation and needs review
 * by a native speaker before release (as for the feature specification's texts).
 */
import type { Decision } from '../../../shared/domain/decisions';

export type LetterLanguage = 'en' | 'sw';

export interface LetterTexts {
  readonly title: string;
  readonly greeting: (name: string) => string;
  readonly date: (date: string, reference: string) => string;
  readonly decision: Record<Decision, string>;
  readonly score: (score: number, band: string) => string;
  readonly reasonsHeading: string;
  readonly factorsHeading: string;
  readonly noFactors: string;
  readonly planHeading: string;
  readonly planTarget: (band: string, minScore: number, months: number, approval: boolean) => string;
  readonly planStep: (label: string, from: string, to: string, unit: string, points: number) => string;
  readonly planNone: string;
  readonly planValidity: (date: string) => string;
  readonly rightsHeading: string;
  readonly rights: (reference: string) => string;
  readonly contact: (controller: string, address: string, phone: string, email: string) => string;
  readonly replayHeading: string;
  readonly replayIntro: string;
  readonly replayFields: {
    readonly decision: string;
    readonly score: string;
    readonly model: string;
    readonly policy: string;
    readonly spec: string;
    readonly inputs: string;
    readonly officer: string;
  };
  readonly missing: string;
  /** Units of the specification (English) as the letter shows them. */
  readonly unit: (unit: string) => string;
}

/** The specification's units are English; the Swahili letter names them in Swahili where it knows them. */
const SWAHILI_UNITS: Readonly<Record<string, string>> = {
  'KES/month': 'KES kwa mwezi',
  KES: 'KES',
  ratio: 'uwiano',
  share: 'sehemu',
  months: 'miezi',
  days: 'siku',
  bills: 'bili',
  payments: 'malipo',
  loans: 'mikopo',
  'top-ups/month': 'mara kwa mwezi',
};

export const LETTER_TEXTS: Record<LetterLanguage, LetterTexts> = {
  en: {
    title: 'Decision on your loan application',
    greeting: (name) => `Dear ${name},`,
    date: (date, reference) => `Date: ${date}    Reference: ${reference}`,
    decision: {
      approve: 'Your loan application has been approved.',
      decline: 'We are unable to approve your loan application at this time.',
      refer: 'Your loan application has been referred to a supervisor for review. We will tell you the outcome.',
    },
    score: (score, band) => `Your credit score is ${score} (band ${band}), on a scale from 300 to 850.`,
    reasonsHeading: 'Reasons for this decision',
    factorsHeading: 'The main factors that lowered your score',
    noFactors: 'No factor lowered your score noticeably.',
    planHeading: 'How you could improve your result',
    planTarget: (band, minScore, months, approval) =>
      approval
        ? `To reach the approval level (score ${minScore}, band ${band}) within ${months} months:`
        : `To reach band ${band} (score ${minScore}) within ${months} months:`,
    planStep: (label, from, to, unit, points) => `${label}: from ${from} to ${to} ${unit} (about +${points} points)`,
    planNone: 'No realistic change within 12 months would reach a better band; ask us for advice.',
    planValidity: (date) => `This plan applies to the current scoring model and is valid until ${date}.`,
    rightsHeading: 'Your rights and how to contest this decision',
    rights: (reference) =>
      'This decision was made by a loan officer with the help of an automated credit score. You have the right to ' +
      'an explanation, to give your point of view, to have the decision reviewed by a person, and to contest it. ' +
      `You may also ask for a copy of the data used. Please quote reference ${reference} and contact us within 30 days:`,
    contact: (controller, address, phone, email) => `${controller}, ${address}. Phone ${phone}, e-mail ${email}.`,
    replayHeading: 'Record for an independent review (replay)',
    replayIntro:
      'With these details the score can be recalculated exactly and checked by the bank, an auditor or a regulator.',
    replayFields: {
      decision: 'Decision',
      score: 'Score record',
      model: 'Model (version and SHA-256)',
      policy: 'Policy version',
      spec: 'Data specification',
      inputs: 'Input values used',
      officer: 'Officer id',
    },
    missing: 'not given',
    unit: (unit) => unit,
  },
  sw: {
    title: 'Uamuzi kuhusu ombi lako la mkopo',
    greeting: (name) => `Mpendwa ${name},`,
    date: (date, reference) => `Tarehe: ${date}    Kumbukumbu: ${reference}`,
    decision: {
      approve: 'Ombi lako la mkopo limekubaliwa.',
      decline: 'Hatuwezi kukubali ombi lako la mkopo kwa sasa.',
      refer: 'Ombi lako la mkopo limepelekwa kwa msimamizi kwa ukaguzi. Tutakujulisha matokeo.',
    },
    score: (score, band) => `Alama yako ya mkopo ni ${score} (daraja ${band}), kwenye kipimo cha 300 hadi 850.`,
    reasonsHeading: 'Sababu za uamuzi huu',
    factorsHeading: 'Mambo makuu yaliyopunguza alama yako',
    noFactors: 'Hakuna jambo lililopunguza alama yako kwa kiasi kikubwa.',
    planHeading: 'Jinsi unavyoweza kuboresha matokeo yako',
    planTarget: (band, minScore, months, approval) =>
      approval
        ? `Kufikia kiwango cha kukubaliwa (alama ${minScore}, daraja ${band}) ndani ya miezi ${months}:`
        : `Kufikia daraja ${band} (alama ${minScore}) ndani ya miezi ${months}:`,
    planStep: (label, from, to, unit, points) =>
      `${label}: kutoka ${from} hadi ${to} ${unit} (takriban alama +${points})`,
    planNone: 'Hakuna mabadiliko ya kweli ndani ya miezi 12 yatakayofikia daraja bora; tuombe ushauri.',
    planValidity: (date) => `Mpango huu unahusu mfumo wa sasa wa kupima alama na ni halali hadi ${date}.`,
    rightsHeading: 'Haki zako na jinsi ya kupinga uamuzi huu',
    rights: (reference) =>
      'Uamuzi huu ulifanywa na afisa wa mikopo kwa msaada wa alama ya mkopo iliyokokotolewa na kompyuta. Una haki ' +
      'ya kupata maelezo, kutoa maoni yako, uamuzi kukaguliwa na mtu, na kuupinga. Unaweza pia kuomba nakala ya ' +
      `taarifa zilizotumika. Tafadhali taja kumbukumbu ${reference} na uwasiliane nasi ndani ya siku 30:`,
    contact: (controller, address, phone, email) => `${controller}, ${address}. Simu ${phone}, barua pepe ${email}.`,
    replayHeading: 'Kumbukumbu kwa ukaguzi huru (kurudia hesabu)',
    replayIntro:
      'Kwa taarifa hizi alama inaweza kukokotolewa tena kwa usahihi na kukaguliwa na benki, mkaguzi au mdhibiti.',
    replayFields: {
      decision: 'Uamuzi',
      score: 'Kumbukumbu ya alama',
      model: 'Mfumo (toleo na SHA-256)',
      policy: 'Toleo la sera',
      spec: 'Maelezo ya taarifa',
      inputs: 'Thamani zilizotumika',
      officer: 'Namba ya afisa',
    },
    missing: 'haikutolewa',
    unit: (unit) => SWAHILI_UNITS[unit] ?? unit,
  },
};
