/** The bank-wide part of the console: sign in as a central administrator, then the overview the core fetches. */
import { Alert, Button, Skeleton, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import type { ConsoleConnection } from '../../../../shared/ipc/sync';
import { IconAlert, IconRefresh } from '../../components/icons';
import { describeError, errorCode } from '../../errors';
import { formatDateTime } from '../../format';
import { stopsPolling, useNexisMutation, useNexisQuery, usePolling } from '../../hooks';
import { SectionHeader } from './ConsoleHeadings';
import { OverviewPanels } from './OverviewPanels';
import { RelativeTime } from './RelativeTime';
import { SignedInAs } from './SignedInAs';
import { SignInCard } from './SignInCard';

const OVERVIEW_POLL_MS = 10_000;

export interface CentralConsoleProps {
  /** This workstation's sync state; null while loading */
  workstation: { enrolled: boolean; deviceId: string; trustedServerUrl: string | null } | null;
}

function ConnectedConsole({
  workstation,
  connection,
  onConnectionChanged,
}: CentralConsoleProps & { connection: ConsoleConnection; onConnectionChanged(): void }) {
  const overview = useNexisQuery('console:overview', {});
  const failed = overview.error !== null;
  // A failed read is told once; polling waits for a successful Refresh instead of repeating the same error.
  usePolling(overview.refresh, OVERVIEW_POLL_MS, !stopsPolling(overview.error));
  const disconnect = useNexisMutation('console:disconnect', {
    successMessage: 'Signed out of the central server: this workstation no longer holds the session.',
  });

  const notConnected = errorCode(overview.error) === 'CONSOLE_NOT_CONNECTED';
  useEffect(() => {
    if (notConnected) {
      onConnectionChanged();
    }
  }, [notConnected, onConnectionChanged]);

  const data = overview.data;
  return (
    <Stack gap="lg">
      <SectionHeader
        serverUrl={data?.serverUrl ?? connection.serverUrl}
        actions={
          <>
            {data ? (
              <Text size="xs" c="dimmed">
                Updated <RelativeTime iso={data.fetchedAt} />
              </Text>
            ) : null}
            <Button
              variant="default"
              leftSection={<IconRefresh size={16} />}
              onClick={overview.refresh}
              loading={overview.loading && data === null}
            >
              Refresh
            </Button>
          </>
        }
      />
      {connection.admin ? (
        <SignedInAs
          admin={connection.admin}
          signingOut={disconnect.pending}
          onSignOut={() => {
            void disconnect.run({}).then(() => onConnectionChanged());
          }}
        />
      ) : null}
      {failed && data !== null ? (
        <Alert color="orange" variant="light" icon={<IconAlert />} title="Not up to date">
          {describeError(overview.error)} Showing what the central API said at {formatDateTime(data.fetchedAt)}; Refresh
          to try again.
        </Alert>
      ) : null}
      {data ? (
        <OverviewPanels
          overview={data}
          thisDeviceId={workstation?.deviceId ?? null}
          canSyncHere={workstation?.enrolled ?? false}
        />
      ) : failed ? (
        <Alert color="red" variant="light" icon={<IconAlert />} title="The overview could not be read">
          {describeError(overview.error)} Refresh to try again.
        </Alert>
      ) : (
        <Stack gap="lg">
          <Skeleton h={180} radius="md" />
          <Skeleton h={260} radius="md" />
        </Stack>
      )}
    </Stack>
  );
}

export function CentralConsole({ workstation }: CentralConsoleProps) {
  const connection = useNexisQuery('console:connection', {});
  const state = connection.data;
  return (
    <Stack component="section" aria-labelledby="central-title" gap="lg" data-connected={state?.connected}>
      {state?.connected ? (
        <ConnectedConsole workstation={workstation} connection={state} onConnectionChanged={connection.refresh} />
      ) : (
        <>
          <SectionHeader serverUrl={null} />
          {/* Wait for this workstation's status too: whether the address field is shown depends on enrolment, and
              a field appearing under the administrator's typing would take the keystrokes elsewhere. */}
          {state && workstation !== null ? (
            <SignInCard
              // A bank build signs in to its baked server only; an enrolled workstation to the server it enrolled with.
              needsServerUrl={!workstation.enrolled && workstation.trustedServerUrl === null}
              serverUrl={state.serverUrl}
              onConnected={connection.refresh}
            />
          ) : connection.error ? null : (
            <Skeleton h={160} radius="md" />
          )}
        </>
      )}
    </Stack>
  );
}
