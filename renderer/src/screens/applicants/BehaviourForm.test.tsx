import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { BehaviouralRecord } from '../../../../shared/ipc/applicants';
import { clearUnsaved } from '../../components/form-rules';
import { FakeNexisError } from '../../testing/fake-nexis';
import { renderWithProviders } from '../../testing/render';
import { BehaviourForm } from './BehaviourForm';

const APPLICANT = 'NEX-7K2QM-9XD4R-J';

const TYPED: Readonly<Record<string, string>> = {
  'Average monthly mobile-money inflow': '25,000',
  'Inflow volatility': '0.3',
  'Months of mobile-money history': '36',
  'Airtime top-ups per month': '6',
  'Savings rate': '8%',
  'Existing debt-to-income': '20',
  'Number of active loans': '1',
  'Worst days past due (12 months)': '0',
  'Employment or business tenure': '48',
  'Requested amount': '3,000,000',
  'Loan term': '12',
};

function saved(values: Record<string, number | string | null>): BehaviouralRecord {
  return {
    recordId: 'BR-0000000000000001',
    capturedAt: '2026-01-05T09:00:00.000Z',
    officerId: 'officer-officer',
    source: 'form',
    specId: 'nexis-alt-data',
    specVersion: '1.0.0',
    values,
    importSummary: null,
  };
}

const field = (label: string): HTMLElement => screen.getByRole('textbox', { name: label });

async function typeAll(entries: Readonly<Record<string, string>>): Promise<void> {
  const user = userEvent.setup();
  for (const [label, text] of Object.entries(entries)) {
    await user.clear(field(label));
    if (text !== '') {
      await user.type(field(label), text);
    }
  }
}

afterEach(() => clearUnsaved(`behaviour:${APPLICANT}`));

describe('BehaviourForm', () => {
  it('stores what the officer typed: grouped thousands, percent as the share, nothing clamped', async () => {
    const rendered = renderWithProviders(<BehaviourForm applicantId={APPLICANT} record={null} editable />, {
      handlers: { 'applicants:saveFeatures': (input) => saved(input.values) },
    });
    await typeAll(TYPED);
    await userEvent.click(screen.getByRole('button', { name: 'Save behavioural data' }));
    await waitFor(() => expect(rendered.nexis.callsTo('applicants:saveFeatures')).toHaveLength(1));
    const input = rendered.nexis.callsTo('applicants:saveFeatures')[0]?.input as { values: Record<string, unknown> };
    expect(input.values).toMatchObject({
      mobileMoneyInflowAvg: 25_000,
      savingsRate: 0.08,
      debtToIncome: 0.2,
      requestedAmount: 3_000_000,
      termMonths: 12,
      utilityBillsOnTime12m: null,
    });
  });

  it('refuses an out-of-range value under its field, once, and sends nothing', async () => {
    const rendered = renderWithProviders(<BehaviourForm applicantId={APPLICANT} record={null} editable />, {
      handlers: { 'applicants:saveFeatures': (input) => saved(input.values) },
    });
    await typeAll({ ...TYPED, 'Requested amount': '100', 'Loan term': '13.5' });
    await userEvent.click(screen.getByRole('button', { name: 'Save behavioural data' }));
    const amount = 'Requested amount: enter an amount from 500 to 5,000,000 KES (100 KES is below the lowest allowed).';
    expect(await screen.findAllByText(amount)).toHaveLength(1);
    expect(field('Requested amount')).toHaveValue('100');
    expect(field('Requested amount')).toHaveAccessibleDescription(expect.stringContaining(amount));
    expect(
      screen.getAllByText('Loan term: enter a whole number, without decimals (from 1 to 60 months).'),
    ).toHaveLength(1);
    expect(rendered.nexis.callsTo('applicants:saveFeatures')).toHaveLength(0);
  });

  it('shows a refusal of the core under the field, and not again as a notification', async () => {
    const message = 'Savings rate: enter a percentage from 0 to 100 % (300 % is above the highest allowed).';
    const rendered = renderWithProviders(<BehaviourForm applicantId={APPLICANT} record={null} editable />, {
      handlers: {
        'applicants:saveFeatures': () => {
          throw new FakeNexisError('INVALID_INPUT', `Invalid input — savingsRate: ${message}`);
        },
      },
    });
    await typeAll(TYPED);
    await userEvent.click(screen.getByRole('button', { name: 'Save behavioural data' }));
    await waitFor(() => expect(rendered.nexis.callsTo('applicants:saveFeatures')).toHaveLength(1));
    expect(await screen.findAllByText(message)).toHaveLength(1);
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(screen.getAllByText(message)).toHaveLength(1);
    expect(document.querySelector('.mantine-Notification-root')).toBeNull();
  });

  it('keeps unsaved edits when the form is closed and opened again (another tab), until discarded', async () => {
    const first = renderWithProviders(<BehaviourForm applicantId={APPLICANT} record={null} editable />);
    await typeAll({ 'Savings rate': '8.5 %', 'Average monthly mobile-money inflow': '25,000.50', 'Loan term': '13.5' });
    first.unmount();
    renderWithProviders(<BehaviourForm applicantId={APPLICANT} record={null} editable />);
    expect(field('Savings rate')).toHaveValue('8.5 %');
    // Its problems show again at once, without another blur.
    expect(
      screen.getAllByText('Loan term: enter a whole number, without decimals (from 1 to 60 months).'),
    ).toHaveLength(1);
    expect(field('Average monthly mobile-money inflow')).toHaveValue('25,000.50');
    const notice = screen.getByTestId('behaviour-unsaved');
    expect(notice).toHaveTextContent('Your earlier edits are kept here until you save or discard them.');
    await userEvent.click(within(notice).getByRole('button', { name: 'Discard edits' }));
    expect(field('Savings rate')).toHaveValue('');
  });

  it('shows a stored share in percent, as it is typed', () => {
    renderWithProviders(
      <BehaviourForm
        applicantId={APPLICANT}
        record={saved({ savingsRate: 0.0825, debtToIncome: 0.2, mobileMoneyInflowAvg: 25_000.5 })}
        editable
      />,
    );
    expect(field('Savings rate')).toHaveValue('8.25');
    expect(field('Existing debt-to-income')).toHaveValue('20');
    expect(field('Average monthly mobile-money inflow')).toHaveValue('25,000.5');
  });
});
