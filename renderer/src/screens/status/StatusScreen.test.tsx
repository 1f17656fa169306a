import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SystemStatus } from '../../../../shared/ipc/system';
import { renderWithProviders } from '../../testing/render';
import { StatusScreen } from './StatusScreen';

function status(update: SystemStatus['update']): SystemStatus {
  return {
    database: {
      cipher: 'sqlcipher (SQLCipher 4 scheme)',
      schemaVersion: '9 migrations applied',
      sizeBytes: 4096,
      journalMode: 'wal',
    },
    audit: { entries: 3, headSeq: 3, headHash: 'ab'.repeat(32), lastCheckpointSeq: 0, lastVerification: null },
    model: { state: 'verified', detail: 'nexis-ebm 1.0.0 verified.' },
    sync: { state: 'not-configured', detail: 'Not enrolled.' },
    device: { deviceId: 'DEV-0123456789ABCDEF', publicKey: 'A'.repeat(59) + '=' },
    appVersion: '1.2.0',
    update,
  };
}

afterEach(() => vi.restoreAllMocks());

describe('StatusScreen', () => {
  it('says when an update is ready and that it installs at sign-out', async () => {
    renderWithProviders(<StatusScreen />, {
      handlers: { 'system:status': () => status({ state: 'ready', version: '1.3.0' }) },
    });
    expect(await screen.findByText('Update ready: version 1.3.0 — installs when you sign out.')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'App update' })).toHaveAttribute('data-state', 'Update ready');
  });

  it('gives the reason a release was refused', async () => {
    renderWithProviders(<StatusScreen />, {
      handlers: {
        'system:status': () =>
          status({
            state: 'refused',
            version: '1.3.0',
            code: 'BAD_SIGNATURE',
            reason: 'the signature does not verify',
          }),
      },
    });
    expect(await screen.findByText('Version 1.3.0 was refused: the signature does not verify.')).toBeInTheDocument();
  });

  it('saves the diagnostics bundle as a JSON download when the officer reports a problem', async () => {
    const created: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:nexis/1';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const rendered = renderWithProviders(<StatusScreen />, {
      handlers: {
        'system:status': () => status({ state: 'none', detail: 'This build does not update itself.' }),
        'system:diagnosticsBundle': () => ({
          fileName: 'nexis-diagnostics-20260105-080000.json',
          json: '{"format":"x"}\n',
        }),
      },
    });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Report a problem' }));
    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    expect(rendered.nexis.callsTo('system:diagnosticsBundle')).toHaveLength(1);
    const link = click.mock.contexts[0] as HTMLAnchorElement;
    expect(link.download).toBe('nexis-diagnostics-20260105-080000.json');
    expect(await created[0]?.text()).toBe('{"format":"x"}\n');
    expect(created[0]?.type).toBe('application/json');
  });
});
