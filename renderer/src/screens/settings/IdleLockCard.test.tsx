import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../testing/render';
import { IdleLockCard } from './IdleLockCard';

describe('IdleLockCard', () => {
  it('refuses 0 minutes with a message instead of saving 1, and saves what was typed otherwise', async () => {
    const rendered = renderWithProviders(<IdleLockCard />, {
      handlers: {
        'system:getSettings': () => ({ idleTimeoutMinutes: 10 }),
        'system:updateSettings': (input) => input,
      },
    });
    const minutes = await screen.findByRole('textbox', { name: 'Lock after (minutes)' });
    await waitFor(() => expect(minutes).toHaveValue('10'));
    const user = userEvent.setup();
    await user.clear(minutes);
    await user.type(minutes, '0');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findAllByText('Lock after (minutes): enter a whole number of minutes from 1 to 120.'),
    ).toHaveLength(1);
    expect(minutes).toHaveValue('0');
    expect(rendered.nexis.callsTo('system:updateSettings')).toHaveLength(0);

    await user.clear(minutes);
    await user.type(minutes, '15');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(rendered.nexis.callsTo('system:updateSettings')).toHaveLength(1));
    expect(rendered.nexis.callsTo('system:updateSettings')[0]?.input).toEqual({ idleTimeoutMinutes: 15 });
  });
});
