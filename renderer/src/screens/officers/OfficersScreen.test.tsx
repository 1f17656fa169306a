import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { OfficerView } from '../../../../shared/ipc/auth';
import { renderWithProviders, testOfficer, testSession } from '../../testing/render';
import { OfficersScreen } from './OfficersScreen';

function officers(): OfficerView[] {
  return [
    testOfficer('admin', { id: 'officer-admin', username: 'test.admin', displayName: 'Test Admin' }),
    testOfficer('officer', { id: 'officer-kofi', username: 'kofi', displayName: 'Kofi Boateng' }),
  ];
}

describe('OfficersScreen', () => {
  it('shows an account disabled right after the administrator confirms, without a manual refresh', async () => {
    const accounts = officers();
    renderWithProviders(<OfficersScreen />, {
      session: { ...testSession('admin'), officer: accounts[0] ?? testOfficer('admin') },
      handlers: {
        'officers:list': () => accounts.map((account) => ({ ...account })),
        'officers:setStatus': ({ officerId, status }) => {
          const account = accounts.find((candidate) => candidate.id === officerId);
          if (!account) {
            throw new Error(`no account ${officerId}`);
          }
          account.status = status;
          return { ...account };
        },
      },
    });
    const table = await screen.findByRole('table', { name: 'Officer accounts' });
    const row = (await within(table).findByText('kofi')).closest('tr');
    expect(row).toHaveAttribute('data-status', 'active');

    await userEvent.click(screen.getByRole('button', { name: 'Disable kofi' }));
    const dialog = await screen.findByRole('dialog', { name: 'Disable this account?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Disable account' }));

    expect(await screen.findByText('Account "kofi" disabled.')).toBeInTheDocument();
    await screen.findByRole('button', { name: 'Enable kofi' });
    expect(within(table).getByText('kofi').closest('tr')).toHaveAttribute('data-status', 'disabled');
  });
});
