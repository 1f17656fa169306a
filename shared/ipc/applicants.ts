import { z } from 'zod';
import { defineChannels } from './define';
import { IsoTimestamp } from './common';
import { APPLICANT_ID_PATTERN, isValidApplicantId } from '../domain/applicant-id';
import { CONSENT_LANGUAGES, CONSENT_PURPOSES, LEGAL_HOLD_REASONS, RETENTION_MONTHS } from '../domain/consent';
import { OVERRIDE_NOTE_MAX } from '../domain/decisions';
import { AuditEntryView } from './audit';
import {
  AddressSchema,
  DateOfBirthSchema,
  EmailSchema,
  FullNameSchema,
  NationalIdSchema,
  PhoneSchema,
} from '../rules/personal-data';

export const ApplicantId = z
  .string()
  .regex(APPLICANT_ID_PATTERN, 'must look like NEX-XXXXX-XXXXX-X')
  .refine(isValidApplicantId, 'check symbol does not match: the id is mistyped');

export const PERSONAL_FIELDS = ['fullName', 'phone', 'email', 'nationalId', 'address', 'dateOfBirth'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** The formats and their messages live in shared/rules/personal-data.ts, shared with the registration form. */
export const PersonalData = z.strictObject({
  fullName: FullNameSchema,
  phone: PhoneSchema,
  email: EmailSchema.optional(),
  nationalId: NationalIdSchema,
  address: AddressSchema.optional(),
  dateOfBirth: DateOfBirthSchema,
});
export type PersonalData = z.infer<typeof PersonalData>;

export const ConsentPurposeSchema = z.enum(CONSENT_PURPOSES);
export const ConsentLanguageSchema = z.enum(CONSENT_LANGUAGES);

export const ConsentInput = z.strictObject({
  language: ConsentLanguageSchema,
  noticeVersion: z.string().min(1).max(32),
  /** The SHA-256 of the notice text the applicant was shown, so the receipt proves which text it was. */
  noticeSha256: z.string().regex(/^[0-9a-f]{64}$/),
  grants: z.strictObject({
    'credit-scoring': z.boolean(),
    'central-sync': z.boolean(),
    'credit-bureau-sharing': z.boolean(),
  }),
  retentionMonths: z.union(
    RETENTION_MONTHS.map((m) => z.literal(m)) as [z.ZodLiteral<12>, z.ZodLiteral<24>, z.ZodLiteral<60>],
  ),
});
export type ConsentInput = z.infer<typeof ConsentInput>;

export const ConsentNotice = z.strictObject({
  version: z.string(),
  language: ConsentLanguageSchema,
  text: z.string(),
  sha256: z.string(),
});
export type ConsentNotice = z.infer<typeof ConsentNotice>;

export const PurposeState = z.strictObject({
  purpose: ConsentPurposeSchema,
  granted: z.boolean(),
  active: z.boolean(),
  changedAt: IsoTimestamp,
});
export type PurposeState = z.infer<typeof PurposeState>;

export const ConsentEvent = z.strictObject({
  purpose: ConsentPurposeSchema,
  event: z.enum(['granted', 'declined', 'withdrawn']),
  at: IsoTimestamp,
  officerId: z.string(),
});

/** The signed receipt (Kantara Consent Receipt v1.1 / ISO/IEC 27560 fields). */
export const ConsentReceipt = z.strictObject({
  version: z.literal('KI-CR-v1.1.0'),
  jurisdiction: z.string(),
  consentTimestamp: IsoTimestamp,
  collectionMethod: z.string(),
  consentReceiptID: z.string(),
  language: ConsentLanguageSchema,
  piiPrincipalId: z.string(),
  piiControllers: z.array(
    z.strictObject({
      piiController: z.string(),
      contact: z.string(),
      address: z.string(),
      email: z.string(),
      phone: z.string(),
    }),
  ),
  policyUrl: z.string(),
  notice: z.strictObject({ version: z.string(), sha256: z.string(), language: ConsentLanguageSchema }),
  services: z.array(
    z.strictObject({
      service: z.string(),
      purposes: z.array(
        z.strictObject({
          purpose: ConsentPurposeSchema,
          purposeCategory: z.array(z.string()),
          consentType: z.literal('EXPLICIT'),
          granted: z.boolean(),
          piiCategory: z.array(z.string()),
          primaryPurpose: z.boolean(),
          termination: z.string(),
          thirdPartyDisclosure: z.boolean(),
          thirdPartyName: z.string().optional(),
        }),
      ),
    }),
  ),
  sensitive: z.boolean(),
  spiCat: z.array(z.string()),
  officerId: z.string(),
  deviceId: z.string(),
});
export type ConsentReceipt = z.infer<typeof ConsentReceipt>;

export const SignedReceipt = z.strictObject({
  receipt: ConsentReceipt,
  /** Ed25519 over the RFC 8785 canonical JSON of `receipt`, base64. */
  signature: z.string(),
  publicKey: z.string(),
  signatureValid: z.boolean(),
  events: z.array(ConsentEvent),
});
export type SignedReceipt = z.infer<typeof SignedReceipt>;

export const MaskedPersonalData = z.strictObject({
  fullName: z.string(),
  phone: z.string(),
  email: z.string().nullable(),
  nationalId: z.string(),
  address: z.string().nullable(),
  dateOfBirth: z.string(),
});

export const FeatureValue = z.union([z.number().finite(), z.string().max(64), z.null()]);
export const FeatureValuesInput = z.record(z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/), FeatureValue);

export const BehaviouralRecord = z.strictObject({
  recordId: z.string(),
  capturedAt: IsoTimestamp,
  officerId: z.string(),
  source: z.enum(['form', 'statement-import']),
  specId: z.string(),
  specVersion: z.string(),
  values: z.record(z.string(), FeatureValue),
  importSummary: z
    .strictObject({
      months: z.number().int(),
      transactions: z.number().int(),
      rowsRejected: z.number().int(),
      derived: z.array(z.string()),
    })
    .nullable(),
});
export type BehaviouralRecord = z.infer<typeof BehaviouralRecord>;

/**
 * Where an applicant stands in the officer's day: consent missing, behavioural data to capture, data to score,
 * a score to decide on, a referral awaiting a supervisor, decided, or erased.
 */
export const APPLICANT_STAGES = [
  'no-consent',
  'capture',
  'score',
  'decide',
  'awaiting-supervisor',
  'decided',
  'erased',
] as const;
export type ApplicantStage = (typeof APPLICANT_STAGES)[number];

export const ApplicantSummary = z.strictObject({
  applicantId: z.string(),
  maskedName: z.string(),
  maskedPhone: z.string(),
  status: z.enum(['active', 'erased']),
  createdAt: IsoTimestamp,
  createdBy: z.string(),
  scoringConsent: z.boolean(),
  stage: z.enum(APPLICANT_STAGES),
  /** The latest score and its band; null before the first score. */
  score: z.number().int().nullable(),
  band: z.string().nullable(),
  decision: z.enum(['approve', 'decline', 'refer']).nullable(),
});
export type ApplicantSummary = z.infer<typeof ApplicantSummary>;

/** An applicant already registered with the same national id or phone number as the one being registered. */
export const PossibleDuplicate = z.strictObject({
  applicantId: z.string(),
  maskedName: z.string(),
  createdAt: IsoTimestamp,
  matchedOn: z.array(z.enum(['nationalId', 'phone'])).min(1),
});
export type PossibleDuplicate = z.infer<typeof PossibleDuplicate>;

export const LegalHoldView = z.strictObject({
  id: z.string(),
  applicantId: z.string(),
  reason: z.enum(LEGAL_HOLD_REASONS),
  note: z.string(),
  setAt: IsoTimestamp,
  setBy: z.string(),
  releasedAt: IsoTimestamp.nullable(),
  releasedBy: z.string().nullable(),
});
export type LegalHoldView = z.infer<typeof LegalHoldView>;

/** Where an applicant stands against the retention rule (electron/core/lifecycle/retention.ts). */
export const RetentionView = z.strictObject({
  /** The term on the latest consent receipt; null when it could not be recovered (never erased automatically). */
  months: z.number().int().nullable(),
  countedFrom: z.enum(['last-decision', 'registration']),
  anchorAt: IsoTimestamp,
  /** When the personal data is erased, unless something keeps it then. */
  dueAt: IsoTimestamp.nullable(),
  keptBy: z.enum(['legal-hold', 'open-case']).nullable(),
  holds: z.array(LegalHoldView),
});
export type RetentionView = z.infer<typeof RetentionView>;

export const ApplicantDetail = z.strictObject({
  applicantId: z.string(),
  status: z.enum(['active', 'erased']),
  createdAt: IsoTimestamp,
  createdBy: z.string(),
  erasedAt: IsoTimestamp.nullable(),
  personal: MaskedPersonalData.nullable(),
  purposes: z.array(PurposeState),
  receipts: z.array(
    z.strictObject({ receiptId: z.string(), createdAt: IsoTimestamp, language: ConsentLanguageSchema }),
  ),
  behaviour: BehaviouralRecord.nullable(),
  /** Null once erased. */
  retention: RetentionView.nullable(),
  timeline: z.array(AuditEntryView),
});
export type ApplicantDetail = z.infer<typeof ApplicantDetail>;

export const StatementPreview = z.strictObject({
  values: z.record(z.string(), FeatureValue),
  derived: z.array(z.string()),
  months: z.number().int(),
  transactions: z.number().int(),
  rowsRejected: z.number().int(),
  firstDate: z.string(),
  lastDate: z.string(),
  /** Derived values that were left out because they fall outside the specification's range. */
  warnings: z.array(z.string()),
});
export type StatementPreview = z.infer<typeof StatementPreview>;

const LENDING = ['officer', 'supervisor'] as const;
const READERS = ['officer', 'supervisor', 'auditor'] as const;
const MAX_CSV_CHARS = 5 * 1024 * 1024;
const StatementCsv = z
  .string()
  .min(1, 'Statement file: the file is empty. Export the statement again and choose the CSV file.')
  .max(MAX_CSV_CHARS, 'Statement file: the file is larger than 5 MB. Export a shorter period (12 months is enough).');

export const applicantsChannels = defineChannels('applicants', {
  'applicants:register': {
    input: z.strictObject({
      personal: PersonalData,
      consent: ConsentInput,
      /** Behavioural data captured with the registration: stored in the same durable transaction. */
      values: FeatureValuesInput.optional(),
    }),
    output: z.strictObject({ applicantId: z.string(), receiptId: z.string() }),
    access: LENDING,
    summary: 'Records the consent, then registers the applicant with encrypted personal data',
  },
  'applicants:duplicates': {
    // Loose on purpose: the check runs on what the officer typed, before the form's own rules are met.
    input: z.strictObject({ phone: z.string().max(40), nationalId: z.string().max(40) }),
    output: z.array(PossibleDuplicate),
    access: LENDING,
    summary: 'Applicants already registered with this national id or phone number (blind index: no bulk decryption)',
  },
  'applicants:list': {
    input: z.strictObject({
      query: z.string().max(100).optional(),
      /** Only the applicants the signed-in officer registered: their own queue. */
      mine: z.boolean().optional(),
      page: z.number().int().min(1).max(100_000),
      pageSize: z.number().int().min(1).max(200),
    }),
    output: z.strictObject({ items: z.array(ApplicantSummary), total: z.number().int().nonnegative() }),
    access: READERS,
    summary: 'Lists or searches applicants by id, name or phone (blind index: no bulk decryption)',
  },
  'applicants:get': {
    input: z.strictObject({ applicantId: ApplicantId }),
    output: ApplicantDetail,
    access: READERS,
    summary: 'An applicant with masked personal data, consent state, behavioural data and timeline',
  },
  'applicants:reveal': {
    input: z.strictObject({ applicantId: ApplicantId, field: z.enum(PERSONAL_FIELDS) }),
    output: z.strictObject({ field: z.enum(PERSONAL_FIELDS), value: z.string().nullable() }),
    access: LENDING,
    summary: 'Shows one personal field in clear (audited)',
  },
  'applicants:saveFeatures': {
    input: z.strictObject({ applicantId: ApplicantId, values: FeatureValuesInput }),
    output: BehaviouralRecord,
    access: LENDING,
    summary: 'Stores behavioural data entered on the form (requires credit-scoring consent)',
  },
  'applicants:previewStatement': {
    input: z.strictObject({ applicantId: ApplicantId, csv: StatementCsv }),
    output: StatementPreview,
    access: LENDING,
    summary: 'Parses a statement CSV and shows the features derived from it, storing nothing',
  },
  'applicants:importStatement': {
    input: z.strictObject({ applicantId: ApplicantId, csv: StatementCsv }),
    output: BehaviouralRecord,
    access: LENDING,
    summary: 'Derives features from a statement CSV and stores only the derived features',
  },
  'applicants:export': {
    input: z.strictObject({ applicantId: ApplicantId }),
    output: z.strictObject({ json: z.string(), text: z.string(), fileName: z.string() }),
    access: LENDING,
    summary: 'Everything held about an applicant, as JSON and as readable text (audited)',
  },
  'applicants:erase': {
    input: z.strictObject({
      applicantId: ApplicantId,
      reason: z.enum(['data-subject-request', 'retention-expired', 'registered-in-error']),
    }),
    output: z.strictObject({ applicantId: z.string(), erasedAt: IsoTimestamp }),
    // A lending supervisor, who can see the applicant: administrators run the system, not applicant files.
    access: ['supervisor'],
    summary: "Erases an applicant's personal data by destroying their data key (audited)",
  },
  'applicants:setLegalHold': {
    input: z.strictObject({
      applicantId: ApplicantId,
      reason: z.enum(LEGAL_HOLD_REASONS),
      note: z.string().max(OVERRIDE_NOTE_MAX),
    }),
    output: LegalHoldView,
    access: ['supervisor'],
    summary: 'Keeps an applicant past the retention term until the hold is released (audited)',
  },
  'applicants:releaseLegalHold': {
    input: z.strictObject({ holdId: z.string().regex(/^LH-[0-9A-F]{16}$/) }),
    output: LegalHoldView,
    access: ['supervisor'],
    summary: 'Releases a legal hold: the retention rule applies again (audited)',
  },
});

export const consentChannels = defineChannels('consent', {
  'consent:notice': {
    input: z.strictObject({ language: ConsentLanguageSchema }),
    output: ConsentNotice,
    access: LENDING,
    summary: 'The current consent notice text in a language, with its version and SHA-256',
  },
  'consent:receipt': {
    input: z.strictObject({ receiptId: z.string().regex(/^CR-[0-9A-F]{16}$/) }),
    output: SignedReceipt,
    access: READERS,
    summary: 'A signed consent receipt with its event history and signature check',
  },
  'consent:withdraw': {
    input: z.strictObject({ applicantId: ApplicantId, purpose: ConsentPurposeSchema }),
    output: z.array(PurposeState),
    access: LENDING,
    summary: 'Withdraws one purpose; takes effect immediately (audited)',
  },
});
