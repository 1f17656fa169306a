/** Applicants: list and search, registration with consent, the receipt, and the applicant page (state-based). */
import { useState } from 'react';
import { ApplicantList } from './ApplicantList';
import { ApplicantPage } from './ApplicantPage';
import { NewApplicant } from './NewApplicant';
import { ReceiptView } from './ReceiptView';

type View =
  | { readonly kind: 'list' }
  | { readonly kind: 'new' }
  | { readonly kind: 'applicant'; readonly applicantId: string }
  | { readonly kind: 'receipt'; readonly receiptId: string; readonly applicantId: string };

export function ApplicantsScreen() {
  const [view, setView] = useState<View>({ kind: 'list' });
  const toList = (): void => setView({ kind: 'list' });
  switch (view.kind) {
    case 'list':
      return (
        <ApplicantList
          onOpen={(applicantId) => setView({ kind: 'applicant', applicantId })}
          onNew={() => setView({ kind: 'new' })}
        />
      );
    case 'new':
      return (
        <NewApplicant
          onCancel={toList}
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
          onBack={toList}
          onOpenReceipt={(receiptId) => setView({ kind: 'receipt', receiptId, applicantId: view.applicantId })}
        />
      );
  }
}
