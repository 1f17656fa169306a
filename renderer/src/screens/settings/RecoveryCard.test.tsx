import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { RecoveryStatus } from '../../../../shared/ipc/recovery';
import { FakeNexisError } from '../../testing/fake-nexis';
import { renderWithProviders } from '../../testing/render';
import { RecoveryCard } from './RecoveryCard';

const OFF: RecoveryStatus = {
  enabled: false,
  folder: null,
  lastSuccess: null,
  lastFailure: null,
  nextDue: null,
  running: false,
};

describe('RecoveryCard', () => {
  it('says plainly that a build without the bank recovery key writes no recovery backups', async () => {
    renderWithProviders(<RecoveryCard />, { handlers: { 'recovery:status': () => OFF } });
    expect(await screen.findByTestId('recovery-disabled')).toHaveTextContent(
      'This build has no bank recovery key: recovery backups are off.',
    );
    expect(screen.queryByRole('textbox', { name: /Backup folder/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Write a recovery backup now' })).toBeNull();
  });

  it('refuses a relative path, saves an absolute one, and shows a failed run from the status', async () => {
    let status: RecoveryStatus = { ...OFF, enabled: true };
    const rendered = renderWithProviders(<RecoveryCard />, {
      handlers: {
        'recovery:status': () => status,
        'recovery:setFolder': (input) => {
          status = { ...status, folder: input.folder, nextDue: '2026-01-05T08:00:00.000Z' };
          return status;
        },
        'recovery:runNow': () => {
          status = { ...status, lastFailure: { at: '2026-01-05T08:01:00.000Z', code: 'FOLDER_MISSING' } };
          throw new FakeNexisError('NOT_FOUND', 'The backup folder is not there: plug in the drive and try again.');
        },
      },
    });
    const folder = await screen.findByRole('textbox', { name: /Backup folder/ });
    const write = screen.getByRole('button', { name: 'Write a recovery backup now' });
    expect(write).toBeDisabled();
    const user = userEvent.setup();
    await user.type(folder, 'usb/nexis');
    await user.click(screen.getByRole('button', { name: 'Save folder' }));
    expect(await screen.findByText(/An absolute path, such as/)).toBeVisible();
    expect(rendered.nexis.callsTo('recovery:setFolder')).toHaveLength(0);

    await user.clear(folder);
    await user.type(folder, '/media/usb/nexis');
    await user.click(screen.getByRole('button', { name: 'Save folder' }));
    await waitFor(() => expect(rendered.nexis.callsTo('recovery:setFolder')).toHaveLength(1));
    expect(rendered.nexis.callsTo('recovery:setFolder')[0]?.input).toEqual({ folder: '/media/usb/nexis' });
    await waitFor(() => expect(write).toBeEnabled());
    expect(screen.getByTestId('recovery-status')).toHaveTextContent('Never');

    await user.click(write);
    expect(await screen.findByTestId('recovery-failure')).toHaveTextContent(
      'The folder was not there: is the drive plugged in?',
    );
  });
});
