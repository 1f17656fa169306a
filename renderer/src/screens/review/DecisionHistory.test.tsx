import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DecisionView } from '../../../../shared/ipc/scoring';
import { renderWithProviders } from '../../testing/render';
import { DecisionHistory } from './DecisionHistory';

const pending: DecisionView = {
  decisionId: 'DC-00000000000000A1',
  scoreId: 'SC-00000000000000B1',
  applicantId: 'NEX-7K3Q9',
  createdAt: '2026-12-02T09:00:00.000Z',
  officerId: 'officer-officer',
  decision: 'approve',
  policyOutcome: 'decline',
  reasonCodes: ['meets-policy'],
  override: { reason: 'guarantor-or-collateral', note: 'Guarantor signed.' },
  note: 'Guarantor signed.',
  supersedes: null,
  supersededBy: null,
  kind: 'initial',
  fourEyes: 'pending',
  awaitingApproval: true,
};

const approval: DecisionView = {
  ...pending,
  decisionId: 'DC-00000000000000A2',
  createdAt: '2026-12-02T10:00:00.000Z',
  officerId: 'officer-sam',
  note: 'Title deed checked.',
  supersedes: pending.decisionId,
  kind: 'override-approval',
  fourEyes: 'approved',
  awaitingApproval: false,
};

const rowOf = (decisionId: string): HTMLElement => {
  const row = document.querySelector<HTMLElement>(`[data-decision-id="${decisionId}"]`);
  if (!row) {
    throw new Error(`no row ${decisionId}`);
  }
  return row;
};

describe('DecisionHistory under four eyes', () => {
  it('marks a pending override and offers no letter for it', () => {
    renderWithProviders(<DecisionHistory decisions={[pending]} officerLabel={(id) => id} />);
    const row = rowOf(pending.decisionId);
    expect(within(row).getByTestId('awaiting-approval')).toHaveTextContent('Awaiting second approval');
    expect(within(row).queryByRole('button', { name: /Download letter/ })).toBeNull();
    expect(within(row).queryByRole('button', { name: /Bank copy/ })).toBeNull();
  });

  it('shows the approval with the officer’s override and the supervisor’s reason, and its letter', () => {
    renderWithProviders(
      <DecisionHistory
        decisions={[approval, { ...pending, supersededBy: approval.decisionId, awaitingApproval: false }]}
        officerLabel={(id) => id}
      />,
    );
    const row = rowOf(approval.decisionId);
    expect(row).toHaveTextContent('Override approved');
    expect(row).toHaveTextContent('Guarantor or collateral offered — “Guarantor signed.”');
    expect(within(row).getByTestId('verdict-note')).toHaveTextContent('Supervisor’s reason: “Title deed checked.”');
    expect(within(row).getByRole('button', { name: /Download letter/ })).toBeEnabled();
    expect(within(rowOf(pending.decisionId)).queryByTestId('awaiting-approval')).toBeNull();
    expect(screen.getAllByText('Superseded')).toHaveLength(1);
  });
});
