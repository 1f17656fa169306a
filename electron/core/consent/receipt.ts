/** Builds the Kantara v1.1 / ISO/IEC 27560-shaped consent receipt for a registration. */
import { CONSENT_PURPOSES, type ConsentPurpose } from '../../../shared/domain/consent';
import type { ConsentInput, ConsentReceipt } from '../../../shared/ipc/applicants';
import type { Organisation } from '../../../shared/ipc/system';

const PURPOSE_DETAILS: Record<
  ConsentPurpose,
  { category: string[]; pii: string[]; primary: boolean; thirdParty?: string }
> = {
  'credit-scoring': {
    category: ['Core Function', 'Credit assessment'],
    pii: ['Contact', 'Government identifier', 'Financial behaviour'],
    primary: true,
  },
  'central-sync': {
    category: ['Core Function', 'Record keeping'],
    pii: ['Contact', 'Government identifier'],
    primary: false,
  },
  'credit-bureau-sharing': {
    category: ['Disclosure to third parties'],
    pii: ['Credit decision'],
    primary: false,
    thirdParty: 'Licensed credit reference bureau',
  },
};

export interface ReceiptFacts {
  readonly receiptId: string;
  readonly applicantId: string;
  readonly officerId: string;
  readonly deviceId: string;
  readonly at: string;
  readonly consent: ConsentInput;
  readonly organisation: Organisation;
}

export function buildReceipt(f: ReceiptFacts): ConsentReceipt {
  // Exactly the rule electron/core/lifecycle/retention.ts runs (and server/sync/retention.ts at the centre).
  const termination =
    `Withdrawal at any branch, or erasure ${f.consent.retentionMonths} months after the last decision ` +
    '(after registration when there is none); kept longer only under a legal hold or while a referral or an ' +
    'override awaits a supervisor';
  return {
    version: 'KI-CR-v1.1.0',
    jurisdiction: f.organisation.jurisdiction,
    consentTimestamp: f.at,
    collectionMethod: `Assisted, in branch, by officer ${f.officerId} on workstation ${f.deviceId}`,
    consentReceiptID: f.receiptId,
    language: f.consent.language,
    piiPrincipalId: f.applicantId,
    piiControllers: [
      {
        piiController: f.organisation.controllerName,
        contact: f.organisation.contactEmail,
        address: f.organisation.address,
        email: f.organisation.contactEmail,
        phone: f.organisation.contactPhone,
      },
    ],
    policyUrl: f.organisation.policyUrl,
    notice: { version: f.consent.noticeVersion, sha256: f.consent.noticeSha256, language: f.consent.language },
    services: [
      {
        service: 'Loan application assessment',
        purposes: CONSENT_PURPOSES.map((purpose) => {
          const details = PURPOSE_DETAILS[purpose];
          return {
            purpose,
            purposeCategory: details.category,
            consentType: 'EXPLICIT' as const,
            granted: f.consent.grants[purpose],
            piiCategory: details.pii,
            primaryPurpose: details.primary,
            termination,
            thirdPartyDisclosure: details.thirdParty !== undefined,
            ...(details.thirdParty === undefined ? {} : { thirdPartyName: details.thirdParty }),
          };
        }),
      },
    ],
    sensitive: false,
    spiCat: [],
    officerId: f.officerId,
    deviceId: f.deviceId,
  };
}
