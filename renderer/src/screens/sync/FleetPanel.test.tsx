import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ConsoleOverview } from '../../../../shared/ipc/sync';
import type { DeviceSummary } from '../../../../shared/sync/admin';
import type { DeviceHealth } from '../../../../shared/sync/fleet';
import { renderWithProviders, testSession } from '../../testing/render';
import { FleetPanel } from './FleetPanel';

const NOW = '2026-12-02T06:00:00.000Z';

function health(overrides: Partial<DeviceHealth> = {}): DeviceHealth {
  return {
    appVersion: '0.2.0',
    channel: 'pilot',
    model: { release: '2026.12-r2', modelVersion: '1.0.0', modelHash: 'ab'.repeat(32), state: 'verified' },
    policyVersion: 'pol-2026-12',
    databaseBytes: 3 * 1024 ** 2,
    freeDiskBytes: 40 * 1024 ** 3,
    diagnostics: null,
    receivedAt: NOW,
    ...overrides,
  };
}

function device(deviceId: string, branchId: string, h: DeviceHealth | null): DeviceSummary {
  return {
    deviceId,
    branchId,
    status: 'active',
    enrolledAt: NOW,
    revokedAt: null,
    lastContactAt: NOW,
    ackedSeq: 4,
    ackedHash: '0'.repeat(64),
    reportedHeadSeq: 4,
    backlog: 0,
    chainStatus: 'ok',
    openIssues: 0,
    lastError: null,
    lastCountersigned: null,
    health: h,
  };
}

function overview(roles: ConsoleOverview['admin']['roles']): ConsoleOverview {
  const counts = { coreErrors: 2, rendererErrors: 1, rendererCrashes: 0, mainCrashes: 0, childCrashes: 0 };
  return {
    serverUrl: 'https://central.bank.example',
    fetchedAt: NOW,
    admin: { adminId: 'ADM-1', username: 'amina', roles },
    devices: [
      device('DEV-AAAAAAAAAAAAAAAA', 'NBO-01', health()),
      device(
        'DEV-BBBBBBBBBBBBBBBB',
        'NBO-01',
        health({
          freeDiskBytes: 512 * 1024 ** 2,
          model: { release: null, modelVersion: '1.0.0', modelHash: null, state: 'verified' },
          diagnostics: {
            sinceSync: counts,
            total: counts,
            countingSince: NOW,
            lastSyncAt: NOW,
            lastCrash: { at: NOW, kind: 'renderer-gone', detail: 'oom' },
          },
        }),
      ),
      device('DEV-CCCCCCCCCCCCCCCC', 'MSA-01', null),
    ],
    issues: [],
    failures: [],
    activity: { since: NOW, branches: [] },
    proposals: [],
    modelReleases: [
      { version: '2026.12-r2', publishedAt: NOW, withdrawnAt: null, challengerVersion: '1.1.0' },
      { version: '2026.12-r1', publishedAt: NOW, withdrawnAt: NOW, challengerVersion: null },
    ],
  };
}

describe('FleetPanel', () => {
  it('groups workstations per branch and flags low disk, errors and missing reports', () => {
    renderWithProviders(<FleetPanel overview={overview(['release-manager'])} thisDeviceId="DEV-AAAAAAAAAAAAAAAA" />, {
      session: testSession('admin'),
    });
    const fleet = screen.getByRole('table', { name: 'Fleet' });
    expect(within(fleet).getByText('Branch MSA-01 · 1 workstation')).toBeInTheDocument();
    expect(within(fleet).getByText('Branch NBO-01 · 2 workstations')).toBeInTheDocument();
    const low = fleet.querySelector('tr[data-fleet-device="DEV-BBBBBBBBBBBBBBBB"]');
    expect(low).toHaveTextContent('512 MB (low)');
    expect(low).toHaveTextContent('3 since last sync');
    expect(low).toHaveTextContent('renderer-gone (oom)');
    expect(low).toHaveTextContent('shipped package');
    expect(fleet.querySelector('tr[data-fleet-device="DEV-CCCCCCCCCCCCCCCC"]')).toHaveTextContent('No report yet');
    const releases = screen.getByRole('table', { name: 'Model releases' });
    expect(releases.querySelector('tr[data-model-release-row="2026.12-r2"]')).toHaveTextContent('1 workstation');
    // A withdrawn release offers no second withdrawal.
    const withdrawn = releases.querySelector<HTMLElement>('tr[data-model-release-row="2026.12-r1"]');
    expect(withdrawn).toHaveTextContent('withdrawn');
    expect(within(withdrawn ?? document.body).queryByRole('button')).toBeNull();
  });

  it('shows each workstation’s scoring p95 and model load failures, and a dash where none were reported', () => {
    const devices = [
      device('DEV-AAAAAAAAAAAAAAAA', 'NBO-01', health()),
      device(
        'DEV-BBBBBBBBBBBBBBBB',
        'NBO-01',
        health({ performance: { scoresSinceSync: 12, scoreP50Ms: 41, scoreP95Ms: 184.4, modelLoadFailures: 2 } }),
      ),
      device(
        'DEV-DDDDDDDDDDDDDDDD',
        'NBO-01',
        health({ performance: { scoresSinceSync: 0, scoreP50Ms: null, scoreP95Ms: null, modelLoadFailures: 0 } }),
      ),
    ];
    renderWithProviders(<FleetPanel overview={{ ...overview(['auditor']), devices }} thisDeviceId={null} />, {
      session: testSession('admin'),
    });
    const fleet = screen.getByRole('table', { name: 'Fleet' });
    expect(within(fleet).getByRole('columnheader', { name: 'Scoring p95' })).toBeInTheDocument();
    expect(within(fleet).getByRole('columnheader', { name: 'Load failures' })).toBeInTheDocument();
    const cell = (deviceId: string, name: string): HTMLElement | null =>
      fleet.querySelector(`tr[data-fleet-device="${deviceId}"] [data-fleet-cell="${name}"]`);
    // An older build sends no performance: nothing is made up for it.
    expect(cell('DEV-AAAAAAAAAAAAAAAA', 'scoring')).toHaveTextContent(/^—$/);
    expect(cell('DEV-AAAAAAAAAAAAAAAA', 'load-failures')).toHaveTextContent(/^—$/);
    expect(cell('DEV-BBBBBBBBBBBBBBBB', 'scoring')).toHaveTextContent('184 ms12 scores');
    expect(cell('DEV-BBBBBBBBBBBBBBBB', 'load-failures')).toHaveTextContent(/^2$/);
    // Nothing scored since the last sync: no latency, but the count (zero) and the failures are real figures.
    expect(cell('DEV-DDDDDDDDDDDDDDDD', 'scoring')).toHaveTextContent('—0 scores');
    expect(cell('DEV-DDDDDDDDDDDDDDDD', 'load-failures')).toHaveTextContent(/^0$/);
  });

  it('proposes a withdrawal with a reason after a review step, and only for a release manager', async () => {
    const rendered = renderWithProviders(<FleetPanel overview={overview(['auditor'])} thisDeviceId={null} />, {
      session: testSession('admin'),
    });
    expect(screen.getByRole('button', { name: 'Withdraw…' })).toBeDisabled();
    rendered.unmount();

    const proposal = {
      id: 9,
      kind: 'model.withdrawal' as const,
      title: 'Withdraw model release 2026.12-r2 from every branch',
      diff: [],
      proposedBy: 'ADM-1',
      proposedByName: 'amina',
      proposedAt: NOW,
      status: 'pending' as const,
      decidedBy: null,
      decidedByName: null,
      decidedAt: null,
      decisionReason: null,
      approverRole: 'release-manager',
      result: null,
    };
    const manager = renderWithProviders(<FleetPanel overview={overview(['release-manager'])} thisDeviceId={null} />, {
      session: testSession('admin'),
      handlers: { 'console:withdrawModel': () => ({ proposal }) },
    });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Withdraw…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Withdraw model release' });
    await user.click(within(dialog).getByRole('button', { name: 'Review' }));
    expect(await within(dialog).findByText(/at least 3 characters/)).toBeInTheDocument();
    await user.type(within(dialog).getByRole('textbox', { name: 'Reason' }), '  Drift above tolerance  ');
    await user.click(within(dialog).getByRole('button', { name: 'Review' }));
    expect(manager.nexis.callsTo('console:withdrawModel')).toHaveLength(0);
    await user.click(await within(dialog).findByRole('button', { name: 'Propose withdrawal' }));
    await waitFor(() => expect(manager.nexis.callsTo('console:withdrawModel')).toHaveLength(1));
    expect(manager.nexis.callsTo('console:withdrawModel')[0]?.input).toEqual({
      version: '2026.12-r2',
      reason: 'Drift above tolerance',
    });
  });
  it("proposes promoting a release's challenger as a new release after a review step", async () => {
    const proposal = {
      id: 10,
      kind: 'model.release' as const,
      title: 'Model release 2026.12-r3',
      diff: [],
      proposedBy: 'ADM-1',
      proposedByName: 'amina',
      proposedAt: NOW,
      status: 'pending' as const,
      decidedBy: null,
      decidedByName: null,
      decidedAt: null,
      decisionReason: null,
      approverRole: 'release-manager',
      result: null,
    };
    const rendered = renderWithProviders(<FleetPanel overview={overview(['release-manager'])} thisDeviceId={null} />, {
      session: testSession('admin'),
      handlers: { 'console:promoteChallenger': () => ({ proposal }) },
    });
    const releases = screen.getByRole('table', { name: 'Model releases' });
    const carrying = releases.querySelector<HTMLElement>('tr[data-model-release-row="2026.12-r2"]');
    expect(carrying).toHaveTextContent('1.1.0');
    // Only the release that carries a challenger (and is not withdrawn) offers a promotion.
    expect(screen.getAllByRole('button', { name: 'Promote challenger…' })).toHaveLength(1);
    const user = userEvent.setup();
    await user.click(within(carrying ?? document.body).getByRole('button', { name: 'Promote challenger…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Promote challenger' });
    await user.type(within(dialog).getByRole('textbox', { name: 'New release version' }), 'not a version!');
    await user.click(within(dialog).getByRole('button', { name: 'Review' }));
    expect(rendered.nexis.callsTo('console:promoteChallenger')).toHaveLength(0);
    await user.clear(within(dialog).getByRole('textbox', { name: 'New release version' }));
    await user.type(within(dialog).getByRole('textbox', { name: 'New release version' }), ' 2026.12-r3 ');
    await user.click(within(dialog).getByRole('button', { name: 'Review' }));
    expect(await within(dialog).findByText(/carries no challenger/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Propose promotion' }));
    await waitFor(() => expect(rendered.nexis.callsTo('console:promoteChallenger')).toHaveLength(1));
    expect(rendered.nexis.callsTo('console:promoteChallenger')[0]?.input).toEqual({
      version: '2026.12-r3',
      from: '2026.12-r2',
    });
  });
});
