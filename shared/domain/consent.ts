/** Consent purposes and their rules, shared by the consent screen, the core and sync. */
export const CONSENT_PURPOSES = ['credit-scoring', 'central-sync', 'credit-bureau-sharing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export const isConsentPurpose = (value: unknown): value is ConsentPurpose =>
  (CONSENT_PURPOSES as readonly unknown[]).includes(value);

/** Without this grant there is nothing to do for an applicant, so registration requires it. */
export const REQUIRED_PURPOSE: ConsentPurpose = 'credit-scoring';

export const PURPOSE_LABELS: Record<ConsentPurpose, { en: string; sw: string }> = {
  'credit-scoring': { en: 'Credit scoring of this application', sw: 'Kupima alama ya mkopo kwa ombi hili' },
  'central-sync': {
    en: "Copying my personal data to the bank's central system",
    sw: 'Kunakili taarifa zangu binafsi kwenye mfumo mkuu wa benki',
  },
  'credit-bureau-sharing': {
    en: 'Sharing the outcome with a licensed credit reference bureau',
    sw: 'Kushiriki matokeo na ofisi ya marejeleo ya mikopo iliyo na leseni',
  },
};

export const RETENTION_MONTHS = [12, 24, 60] as const;
export type RetentionMonths = (typeof RETENTION_MONTHS)[number];

export const CONSENT_LANGUAGES = ['en', 'sw'] as const;
export type ConsentLanguage = (typeof CONSENT_LANGUAGES)[number];

/** Minimum age for a credit agreement; the date of birth is kept for this check only. */
export const LEGAL_AGE_YEARS = 18;

/** Why a supervisor keeps an applicant past the retention term (electron/core/lifecycle/retention.ts). */
export const LEGAL_HOLD_REASONS = ['litigation', 'regulator-inquiry', 'fraud-investigation', 'complaint'] as const;
export type LegalHoldReason = (typeof LEGAL_HOLD_REASONS)[number];

export const LEGAL_HOLD_LABELS: Record<LegalHoldReason, string> = {
  litigation: 'Litigation',
  'regulator-inquiry': 'Regulator inquiry',
  'fraud-investigation': 'Fraud investigation',
  complaint: 'Complaint under review',
};

/** The audit actor of automatic erasures under the retention rule: no officer decided them, the term did. */
export const RETENTION_ACTOR = 'system:retention';
