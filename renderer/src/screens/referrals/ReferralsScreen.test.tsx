import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { DecisionView, PendingReferralView } from '../../../../shared/ipc/scoring';
import { renderWithProviders, testOfficer, testSession } from '../../testing/render';
import { ReferralsScreen } from './ReferralsScreen';

const OFFICER_ID = 'officer-kofi';
const SUPERVISOR = testOfficer('supervisor', { id: 'officer-sam', username: 'sam', displayName: 'Sam Supervisor' });

function pendingOverride(overrides: Partial<PendingReferralView> = {}): PendingReferralView {
  return {
    decisionId: 'DC-00000000000000A1',
    scoreId: 'SC-00000000000000B1',
    applicantId: 'NEX-7K3Q9',
    createdAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
    officerId: OFFICER_ID,
    decision: 'approve',
    policyOutcome: 'decline',
    reasonCodes: ['meets-policy'],
    override: { reason: 'guarantor-or-collateral', note: 'Guarantor signed; land title seen.' },
    note: 'Guarantor signed; land title seen.',
    supersedes: null,
    supersededBy: null,
    kind: 'initial',
    fourEyes: 'pending',
    awaitingApproval: true,
    score: 414,
    band: 'E',
    probabilityOfDefault: 0.31,
    reasons: [
      {
        feature: 'worstDaysPastDue12m',
        pointsLost: 40,
        text: { en: 'Recent late payments.', sw: 'Malipo ya kuchelewa.' },
      },
    ],
    requestedAmount: 50_000,
    termMonths: 12,
    ...overrides,
  };
}

function verdictRow(pending: PendingReferralView, decision: DecisionView['decision']): DecisionView {
  return {
    decisionId: 'DC-00000000000000A2',
    scoreId: pending.scoreId,
    applicantId: pending.applicantId,
    createdAt: new Date().toISOString(),
    officerId: SUPERVISOR.id,
    decision,
    policyOutcome: pending.policyOutcome,
    reasonCodes: pending.reasonCodes,
    override: decision === 'approve' ? pending.override : null,
    note: 'Checked.',
    supersedes: pending.decisionId,
    supersededBy: null,
    kind: decision === 'approve' ? 'override-approval' : 'override-rejection',
    fourEyes: decision === 'approve' ? 'approved' : 'rejected',
    awaitingApproval: false,
  };
}

function renderQueue(waiting: PendingReferralView[], session = { ...testSession('supervisor'), officer: SUPERVISOR }) {
  return renderWithProviders(<ReferralsScreen />, {
    session,
    handlers: {
      'decisions:pendingReviews': () => [],
      'decisions:pendingOverrides': () => waiting.map((o) => ({ ...o })),
      'decisions:approveOverride': ({ decisionId }) => {
        const pending = waiting.splice(
          waiting.findIndex((o) => o.decisionId === decisionId),
          1,
        )[0];
        if (!pending) {
          throw new Error(`no pending override ${decisionId}`);
        }
        return verdictRow(pending, 'approve');
      },
      'decisions:rejectOverride': ({ decisionId }) => {
        const pending = waiting.splice(
          waiting.findIndex((o) => o.decisionId === decisionId),
          1,
        )[0];
        if (!pending) {
          throw new Error(`no pending override ${decisionId}`);
        }
        return verdictRow(pending, 'decline');
      },
    },
  });
}

describe('ReferralsScreen: overrides awaiting approval', () => {
  it('shows the policy outcome, the decision asked for, the officer and the reason', async () => {
    renderQueue([pendingOverride()]);
    const table = await screen.findByRole('table', { name: 'Overrides awaiting approval' });
    const row = within(table).getByText('NEX-7K3Q9').closest('tr');
    if (!row) {
      throw new Error('no row');
    }
    expect(within(row).getByTestId('override-policy')).toHaveTextContent('Decline');
    expect(within(row).getByTestId('override-requested')).toHaveTextContent('Approve');
    expect(within(row).getByTestId('override-reason')).toHaveTextContent(
      'Guarantor or collateral offered — “Guarantor signed; land title seen.”',
    );
    expect(row).toHaveTextContent(OFFICER_ID);
    expect(row).toHaveTextContent('3 hours');
    expect(within(row).getByRole('button', { name: 'Approve or reject DC-00000000000000A1' })).toBeEnabled();
  });

  it('a supervisor approves with a written reason; the override leaves the queue', async () => {
    const rendered = renderQueue([pendingOverride()]);
    await userEvent.click(await screen.findByRole('button', { name: 'Approve or reject DC-00000000000000A1' }));
    const dialog = await screen.findByRole('dialog', { name: 'Approve or reject override' });
    const request = within(dialog).getByTestId('override-request');
    expect(request).toHaveTextContent(`${OFFICER_ID}: Guarantor or collateral offered`);
    expect(request).toHaveTextContent('Note: “Guarantor signed; land title seen.”');
    // Nothing is preselected, and the reason is required.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Record verdict' }));
    expect(within(dialog).getByText('Choose approve or reject.')).toBeInTheDocument();
    expect(within(dialog).getByText(/write why you approve or decline/)).toBeInTheDocument();
    await userEvent.click(within(dialog).getByText('Approve override'));
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason for your decision/ }),
      'Title deed checked.',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Record verdict' }));
    expect(within(dialog).getByTestId('override-confirmation')).toHaveTextContent('The approval takes effect now.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Confirm: Approve override' }));

    expect(await screen.findByText('Override approved.')).toBeInTheDocument();
    expect(rendered.nexis.callsTo('decisions:approveOverride').map((c) => c.input)).toEqual([
      { decisionId: 'DC-00000000000000A1', note: 'Title deed checked.' },
    ]);
    expect(rendered.nexis.callsTo('decisions:rejectOverride')).toEqual([]);
    await expect
      .poll(() => screen.queryByRole('table', { name: 'Overrides awaiting approval' }), { timeout: 5_000 })
      .toBeNull();
  });

  it('a rejection needs the reasons for the outcome that stands and sends them', async () => {
    const rendered = renderQueue([pendingOverride()]);
    await userEvent.click(await screen.findByRole('button', { name: 'Approve or reject DC-00000000000000A1' }));
    const dialog = await screen.findByRole('dialog', { name: 'Approve or reject override' });
    await userEvent.click(within(dialog).getByText('Reject: decline stands'));
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason for your decision/ }),
      'Guarantor has arrears of his own.',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Record verdict' }));
    expect(within(dialog).getByText(/choose at least one reason for the letter/)).toBeInTheDocument();
    expect(rendered.nexis.callsTo('decisions:rejectOverride')).toEqual([]);

    await userEvent.click(within(dialog).getByLabelText(/Reason codes/));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Arrears on an existing loan were confirmed.', hidden: true }),
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Record verdict' }));
    expect(within(dialog).getByTestId('override-confirmation')).toHaveTextContent('the application is declined');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Confirm: Reject override' }));
    expect(await screen.findByText('Override rejected: the policy outcome stands.')).toBeInTheDocument();
    expect(rendered.nexis.callsTo('decisions:rejectOverride').map((c) => c.input)).toEqual([
      {
        decisionId: 'DC-00000000000000A1',
        note: 'Guarantor has arrears of his own.',
        reasonCodes: ['existing-arrears-confirmed'],
      },
    ]);
  });

  it('offers no approval to the supervisor who asked for the override', async () => {
    const rendered = renderQueue([pendingOverride({ officerId: SUPERVISOR.id })]);
    const table = await screen.findByRole('table', { name: 'Overrides awaiting approval' });
    expect(within(table).queryByRole('button', { name: /Approve or reject/ })).toBeNull();
    expect(within(table).getByTestId('override-own')).toHaveTextContent('another supervisor decides it');
    expect(rendered.nexis.callsTo('decisions:approveOverride')).toEqual([]);
  });

  it('shows no overrides section when none waits', async () => {
    renderQueue([]);
    expect(await screen.findByText('No referral waiting')).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Overrides awaiting approval' })).toBeNull();
  });
});
