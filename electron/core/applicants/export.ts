/** Data-subject access: everything held about an applicant, as JSON and as text a person can read. */
import type { ApplicantDetail, BehaviouralRecord, SignedReceipt } from '../../../shared/ipc/applicants';
import type { PersonalField } from '../../../shared/ipc/applicants';
import { PURPOSE_LABELS } from '../../../shared/domain/consent';

export interface ExportBundle {
  readonly applicantId: string;
  readonly exportedAt: string;
  readonly status: ApplicantDetail['status'];
  readonly createdAt: string;
  readonly personal: Partial<Record<PersonalField, string>> | null;
  readonly consent: { purposes: ApplicantDetail['purposes']; receipts: SignedReceipt[] };
  readonly behaviour: BehaviouralRecord | null;
  readonly history: ApplicantDetail['timeline'];
}

const FIELD_LABELS: Record<PersonalField, string> = {
  fullName: 'Full name',
  phone: 'Phone',
  email: 'Email',
  nationalId: 'National id',
  address: 'Address',
  dateOfBirth: 'Date of birth',
};

export function exportText(bundle: ExportBundle): string {
  const lines = [
    `Personal data held about applicant ${bundle.applicantId}`,
    `Exported ${bundle.exportedAt}. Registered ${bundle.createdAt}. Status: ${bundle.status}.`,
    '',
    'PERSONAL DATA',
  ];
  if (bundle.personal === null) {
    lines.push('  (erased)');
  } else {
    for (const [field, label] of Object.entries(FIELD_LABELS) as [PersonalField, string][]) {
      lines.push(`  ${label}: ${bundle.personal[field] ?? '(not given)'}`);
    }
  }
  lines.push('', 'CONSENT');
  for (const p of bundle.consent.purposes) {
    lines.push(
      `  ${PURPOSE_LABELS[p.purpose].en}: ${p.active ? 'given' : p.granted ? 'withdrawn' : 'not given'} (since ${p.changedAt})`,
    );
  }
  for (const r of bundle.consent.receipts) {
    lines.push(
      `  Receipt ${r.receipt.consentReceiptID} of ${r.receipt.consentTimestamp}, notice v${r.receipt.notice.version} (${r.receipt.language})`,
    );
  }
  lines.push('', 'FINANCIAL BEHAVIOUR DATA');
  if (bundle.behaviour === null) {
    lines.push('  (none)');
  } else {
    lines.push(`  Captured ${bundle.behaviour.capturedAt} from ${bundle.behaviour.source}`);
    for (const [key, value] of Object.entries(bundle.behaviour.values)) {
      lines.push(`  ${key}: ${value === null ? '(not given)' : String(value)}`);
    }
  }
  lines.push('', 'WHAT WAS DONE WITH IT');
  for (const e of bundle.history) {
    lines.push(`  ${e.ts}  ${e.action}  by ${e.actor}`);
  }
  return `${lines.join('\n')}\n`;
}
