/**
 * The administrator's sync console: this workstation's enrolment and sync state, and (with the admin API token)
 * the bank-wide picture from the central API. The renderer never talks to the network; the core does.
 */
import { Divider, Stack } from '@mantine/core';
import { ScreenHeader } from '../../components/screen-header';
import { stopsPolling, useNexisQuery, usePolling } from '../../hooks';
import { CentralConsole } from './CentralConsole';
import { WorkstationSyncCard } from './WorkstationSyncCard';

const STATUS_POLL_MS = 4_000;

export function SyncConsoleScreen() {
  const status = useNexisQuery('sync:status', {});
  usePolling(status.refresh, STATUS_POLL_MS, !stopsPolling(status.error));
  const workstation = status.data;

  return (
    <Stack gap="lg">
      <ScreenHeader
        title="Sync console"
        description="This workstation's link to the central API, and every branch as the central API sees it. Only pseudonymous ids are shown."
      />
      <WorkstationSyncCard />
      <Divider />
      <CentralConsole
        workstation={
          workstation
            ? {
                enrolled: workstation.enrolled,
                deviceId: workstation.deviceId,
                trustedServerUrl: workstation.trustedServerUrl,
              }
            : null
        }
      />
    </Stack>
  );
}
