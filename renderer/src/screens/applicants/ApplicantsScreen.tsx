/** Applicants: list and search, registration with consent, the receipt, and the applicant page (state-based). */
import { useState } from 'react';
import type { ApplicantTab } from './applicant-labels';
import { ApplicantList } from './ApplicantList';
import { ApplicantPage } from './ApplicantPage';
import { NewApplicant } from './NewApplicant';
import { ReceiptView } from './ReceiptView';

type View =
  | { readonly kind: 'list' }
  | { readonly kind: 'new' }
  | { readonly kind: 'applicant'; readonly applicantId: string; readonly tab?: ApplicantTab }
  | { readonly kind: 'receipt'; readonly receiptId: string; readonly applicantId: string };

export function ApplicantsScreen() {
  const [view, setView] = useState<View>({ kind: 'list' });
  const toList = (): void => setView({ kind: 'list' });
  switch (view.kind) {
    case 'list':
      return (
        <ApplicantList
          onOpen={(applicantId, tab) => setView({ kind: 'applicant', applicantId, ...(tab ? { tab } : {}) })}
          onNew={() => setView({ kind: 'new' })}
        />
      );
    case 'new':
      return (
        <NewApplicant
          onCancel={toList}
          onOpenExisting={(applicantId) => setView({ kind: 'applicant', applicantId })}
          onRegistered={(applicantId, receiptId) => setView({ kind: 'receipt', receiptId, applicantId })}
        />
      );
    case 'receipt':
      return (
        <ReceiptView
          receiptId={view.receiptId}
          backLabel="Open the applicant"
          onBack={() => setView({ kind: 'applicant', applicantId: view.applicantId })}
        />
      );
    case 'applicant':
      return (
        <ApplicantPage
          key={view.applicantId}
          applicantId={view.applicantId}
          {...(view.tab ? { initialTab: view.tab } : {})}
          onBack={toList}
          onOpenReceipt={(receiptId) => setView({ kind: 'receipt', receiptId, applicantId: view.applicantId })}
        />
      );
  }
}
