/** Display texts for applicants and consent shared by the applicant screens. */
import { CONSENT_PURPOSES, PURPOSE_LABELS, type ConsentPurpose } from '../../../../shared/domain/consent';
import type { ApplicantStage, ApplicantSummary, PersonalField } from '../../../../shared/ipc/applicants';

export const LANGUAGE_LABELS = { en: 'English', sw: 'Kiswahili' } as const;

export const PERSONAL_FIELD_LABELS: Record<PersonalField, string> = {
  fullName: 'Full name',
  phone: 'Phone',
  email: 'Email',
  nationalId: 'National id',
  address: 'Address',
  dateOfBirth: 'Date of birth',
};

export function purposeLabel(purpose: ConsentPurpose, language: 'en' | 'sw' = 'en'): string {
  return PURPOSE_LABELS[purpose][language];
}

export { CONSENT_PURPOSES };

export const ERASE_REASONS = [
  { value: 'data-subject-request', label: 'The applicant asked for erasure' },
  { value: 'retention-expired', label: 'The retention period has ended' },
  { value: 'registered-in-error', label: 'Registered in error' },
] as const;
export type EraseReason = (typeof ERASE_REASONS)[number]['value'];

/** Where an applicant stands, as the queue shows it. */
export const STAGE_LABELS: Record<ApplicantStage, string> = {
  'no-consent': 'No scoring consent',
  capture: 'Registered',
  score: 'Data captured',
  decide: 'Scored',
  'awaiting-supervisor': 'Referred',
  decided: 'Decided',
  erased: 'Erased',
};

export const STAGE_COLORS: Record<ApplicantStage, string> = {
  'no-consent': 'red',
  capture: 'gray',
  score: 'blue',
  decide: 'indigo',
  'awaiting-supervisor': 'yellow',
  decided: 'teal',
  erased: 'gray',
};

/** The applicant page's tabs; the queue's next step opens the tab where it is done. */
export type ApplicantTab = 'overview' | 'behaviour' | 'review' | 'timeline';

export interface NextStep {
  readonly label: string;
  /** Where the step is done: a tab of the applicant page, the referrals queue, or nowhere (nothing to do here). */
  readonly target: { readonly tab: ApplicantTab } | { readonly screen: 'referrals' } | null;
}

/**
 * What happens next for an applicant, in the words of the officer's day. A referral is the supervisor's to review:
 * the officer who referred it waits.
 */
export function nextStep(item: ApplicantSummary, canReview: boolean): NextStep {
  switch (item.stage) {
    case 'no-consent':
      return { label: 'None: no consent to credit scoring', target: null };
    case 'capture':
      return { label: 'Capture behavioural data', target: { tab: 'behaviour' } };
    case 'score':
      return { label: 'Score', target: { tab: 'review' } };
    case 'decide':
      return { label: 'Decide', target: { tab: 'review' } };
    case 'awaiting-supervisor':
      return canReview
        ? { label: 'Review the referral', target: { screen: 'referrals' } }
        : { label: 'Awaiting supervisor', target: null };
    case 'decided':
      return { label: item.decision === 'approve' ? 'Approved' : 'Declined', target: null };
    case 'erased':
      return { label: 'None: personal data erased', target: null };
  }
}
