/** Display texts for applicants and consent shared by the applicant screens. */
import { CONSENT_PURPOSES, PURPOSE_LABELS, type ConsentPurpose } from '../../../../shared/domain/consent';
import type { PersonalField } from '../../../../shared/ipc/applicants';

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
