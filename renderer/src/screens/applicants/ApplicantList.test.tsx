import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ApplicantSummary } from '../../../../shared/ipc/applicants';
import { ShellNavigationContext } from '../../shell/shell-navigation';
import { renderWithProviders, testSession } from '../../testing/render';
import { ApplicantList } from './ApplicantList';

function summary(applicantId: string, overrides: Partial<ApplicantSummary>): ApplicantSummary {
  return {
    applicantId,
    maskedName: 'Wanjiru K. N.',
    maskedPhone: '•••• 5678',
    status: 'active',
    createdAt: '2026-01-05T08:00:00.000Z',
    createdBy: 'officer-officer',
    scoringConsent: true,
    stage: 'capture',
    score: null,
    band: null,
    decision: null,
    ...overrides,
  };
}

const ITEMS = [
  summary('NEX-AAAAA-AAAAA-1', { stage: 'capture' }),
  summary('NEX-BBBBB-BBBBB-2', { stage: 'decide', score: 593, band: 'B' }),
  summary('NEX-CCCCC-CCCCC-3', { stage: 'awaiting-supervisor', score: 541, band: 'C', decision: 'refer' }),
];

const row = (id: string): HTMLElement => {
  const found = document.querySelector<HTMLElement>(`tr[data-applicant-id="${id}"]`);
  if (found === null) {
    throw new Error(`no row for ${id}`);
  }
  return found;
};

describe('ApplicantList (the queue)', () => {
  it("shows each applicant's stage, score and next step; a step opens the tab where it is done", async () => {
    const onOpen = vi.fn();
    renderWithProviders(<ApplicantList onOpen={onOpen} onNew={vi.fn()} />, {
      handlers: { 'applicants:list': () => ({ items: ITEMS, total: ITEMS.length }) },
      session: testSession('officer'),
    });
    await screen.findByText('NEX-AAAAA-AAAAA-1');
    expect(row('NEX-AAAAA-AAAAA-1')).toHaveTextContent('Registered');
    expect(row('NEX-AAAAA-AAAAA-1')).toHaveTextContent('Not scored');
    expect(row('NEX-BBBBB-BBBBB-2')).toHaveTextContent('593 · band B');
    // The officer who referred waits: no button, the words say who acts next.
    expect(within(row('NEX-CCCCC-CCCCC-3')).queryByRole('button', { name: /Awaiting supervisor/ })).toBeNull();
    expect(row('NEX-CCCCC-CCCCC-3')).toHaveTextContent('Awaiting supervisor');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Capture behavioural data: NEX-AAAAA-AAAAA-1' }));
    expect(onOpen).toHaveBeenLastCalledWith('NEX-AAAAA-AAAAA-1', 'behaviour');
    await user.click(screen.getByRole('button', { name: 'Decide: NEX-BBBBB-BBBBB-2' }));
    expect(onOpen).toHaveBeenLastCalledWith('NEX-BBBBB-BBBBB-2', 'review');
  });

  it('sends a supervisor to the referrals queue for a referral, and asks the core for my applicants only', async () => {
    const navigate = vi.fn();
    const rendered = renderWithProviders(
      <ShellNavigationContext.Provider value={{ available: ['applicants', 'referrals'], navigate }}>
        <ApplicantList onOpen={vi.fn()} onNew={vi.fn()} />
      </ShellNavigationContext.Provider>,
      {
        handlers: { 'applicants:list': () => ({ items: ITEMS, total: ITEMS.length }) },
        session: testSession('supervisor'),
      },
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Review the referral: NEX-CCCCC-CCCCC-3' }));
    expect(navigate).toHaveBeenCalledWith('referrals');
    await user.click(screen.getByText('Registered by me'));
    await vi.waitFor(() =>
      expect(rendered.nexis.callsTo('applicants:list').some((c) => (c.input as { mine?: boolean }).mine === true)).toBe(
        true,
      ),
    );
  });
});
