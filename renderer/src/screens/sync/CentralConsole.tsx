/** The bank-wide part of the console: connect with the admin API token, then the overview the core fetches. */
import { Alert, Box, Button, Card, Grid, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useEffect, type ReactNode } from 'react';
import type { ConsoleOverview } from '../../../../shared/ipc/sync';
import type { DeviceSummary } from '../../../../shared/sync/admin';
import { IconAlert, IconRefresh, IconSignOut, IconSync } from '../../components/icons';
import { describeError, errorCode } from '../../errors';
import { formatDateTime } from '../../format';
import { stopsPolling, useNexisMutation, useNexisQuery, usePolling } from '../../hooks';
import { ActivityChart } from './ActivityChart';
import { ChainIssuesTable } from './ChainIssuesTable';
import { ConnectCard } from './ConnectCard';
import { ConsoleActions } from './ConsoleActions';
import { DevicesTable } from './DevicesTable';
import { FailuresTable } from './FailuresTable';
import { RelativeTime } from './RelativeTime';
import { plural } from './sync-labels';
import { useSyncNow } from './use-sync-now';

const OVERVIEW_POLL_MS = 10_000;

export interface CentralConsoleProps {
  /** This workstation's sync state; null while loading */
  workstation: { enrolled: boolean; deviceId: string } | null;
  /** Re-read this workstation's `sync:status` */
  onWorkstationChanged(): void;
}

function SectionHeader({ serverUrl, actions }: { serverUrl: string | null; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" wrap="wrap" gap="md">
      <Stack gap={2}>
        <Title order={2} size="h3" id="central-title">
          Bank-wide (central)
        </Title>
        <Text size="sm" c="dimmed">
          {serverUrl === null ? (
            'Every branch workstation as the central API sees it.'
          ) : (
            <>
              Every branch workstation as the central API at{' '}
              <Text span ff="monospace" size="sm">
                {serverUrl}
              </Text>{' '}
              sees it.
            </>
          )}
        </Text>
      </Stack>
      {actions ? <Group gap="sm">{actions}</Group> : null}
    </Group>
  );
}

function CardTitle({
  id,
  title,
  description,
  actions,
}: {
  id: string;
  title: string;
  description: string;
  actions?: ReactNode;
}) {
  return (
    <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
      <div>
        <Title order={3} size="h4" id={id}>
          {title}
        </Title>
        <Text size="sm" c="dimmed">
          {description}
        </Text>
      </div>
      {actions}
    </Group>
  );
}

function Overview({
  overview,
  thisDeviceId,
  canSyncHere,
  onChanged,
  onWorkstationChanged,
}: {
  overview: ConsoleOverview;
  thisDeviceId: string | null;
  canSyncHere: boolean;
  onChanged(): void;
  onWorkstationChanged(): void;
}) {
  const revoke = useNexisMutation('console:revokeDevice', {
    successMessage: (revoked) => `Device ${revoked.deviceId} revoked; the central API refuses it from now on.`,
  });
  const syncHere = useSyncNow(() => {
    onWorkstationChanged();
    onChanged();
  });

  const confirmRevoke = (device: DeviceSummary): void => {
    const self = device.deviceId === thisDeviceId;
    modals.openConfirmModal({
      title: 'Revoke this device?',
      centered: true,
      children: (
        <Stack gap="xs">
          <Text size="sm">
            The central API refuses <strong>{device.deviceId}</strong> (branch {device.branchId}) from its next request:
            it can no longer send its audit trail or receive releases. It keeps working offline.
          </Text>
          {self ? (
            <Text size="sm" fw={600}>
              This is the workstation you are using.
            </Text>
          ) : null}
          <Text size="sm" c="dimmed">
            Revocation is final for this device key: the central API never accepts it again.
          </Text>
        </Stack>
      ),
      labels: { confirm: 'Revoke device', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () => {
        void revoke.run({ deviceId: device.deviceId }).then((result) => {
          if (result.ok) {
            onChanged();
          }
        });
      },
    });
  };

  const flagged = overview.devices.filter((d) => d.chainStatus === 'flagged').length;

  return (
    <Stack gap="lg">
      <Card component="section" aria-labelledby="devices-title" p={0}>
        <Box px="lg" pt="lg" pb="xs">
          <CardTitle
            id="devices-title"
            title="Devices"
            description={`${plural(overview.devices.length, 'workstation')} enrolled${flagged > 0 ? `, ${flagged} with a flagged chain` : ''}. Backlog: entries a device reported that the central API has not stored yet.`}
          />
        </Box>
        <DevicesTable devices={overview.devices} thisDeviceId={thisDeviceId} onRevoke={confirmRevoke} />
      </Card>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Card component="section" aria-labelledby="activity-title" h="100%">
            <Stack gap="md">
              <CardTitle
                id="activity-title"
                title="Branch activity"
                description="Audit entries received per branch, by kind of action."
              />
              <ActivityChart branches={overview.activity.branches} since={overview.activity.since} />
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <ConsoleActions onChanged={onChanged} />
        </Grid.Col>
      </Grid>
      <Card component="section" aria-labelledby="issues-title">
        <Stack gap="md">
          <CardTitle
            id="issues-title"
            title="Chain issues"
            description="Gaps, forks, rollbacks, truncations and bad signatures found in a device's audit chain."
          />
          <ChainIssuesTable issues={overview.issues} />
        </Stack>
      </Card>
      <Card component="section" aria-labelledby="failures-title">
        <Stack gap="md">
          <CardTitle
            id="failures-title"
            title="Failures"
            description="Requests the central API refused or could not complete, newest first."
            actions={
              canSyncHere ? (
                <Button
                  variant="default"
                  leftSection={<IconSync size={16} />}
                  onClick={() => void syncHere.run()}
                  loading={syncHere.pending}
                >
                  Retry: sync this workstation now
                </Button>
              ) : null
            }
          />
          <FailuresTable failures={overview.failures} />
        </Stack>
      </Card>
    </Stack>
  );
}

function ConnectedConsole({
  workstation,
  serverUrl,
  onWorkstationChanged,
  onConnectionChanged,
}: CentralConsoleProps & { serverUrl: string | null; onConnectionChanged(): void }) {
  const overview = useNexisQuery('console:overview', {});
  const failed = overview.error !== null;
  // A failed read is told once; polling waits for a successful Refresh instead of repeating the same error.
  usePolling(overview.refresh, OVERVIEW_POLL_MS, !stopsPolling(overview.error));
  const disconnect = useNexisMutation('console:disconnect', {
    successMessage: 'Disconnected: the admin API token is forgotten.',
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
        serverUrl={data?.serverUrl ?? serverUrl}
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
            <Button
              variant="default"
              leftSection={<IconSignOut size={16} />}
              loading={disconnect.pending}
              onClick={() => {
                void disconnect.run({}).then(() => onConnectionChanged());
              }}
            >
              Disconnect
            </Button>
          </>
        }
      />
      {failed && data !== null ? (
        <Alert color="orange" variant="light" icon={<IconAlert />} title="Not up to date">
          {describeError(overview.error)} Showing what the central API said at {formatDateTime(data.fetchedAt)}; Refresh
          to try again.
        </Alert>
      ) : null}
      {data ? (
        <Overview
          overview={data}
          thisDeviceId={workstation?.deviceId ?? null}
          canSyncHere={workstation?.enrolled ?? false}
          onChanged={overview.refresh}
          onWorkstationChanged={onWorkstationChanged}
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

export function CentralConsole({ workstation, onWorkstationChanged }: CentralConsoleProps) {
  const connection = useNexisQuery('console:connection', {});
  const state = connection.data;
  return (
    <Stack component="section" aria-labelledby="central-title" gap="lg" data-connected={state?.connected}>
      {state?.connected ? (
        <ConnectedConsole
          workstation={workstation}
          serverUrl={state.serverUrl}
          onWorkstationChanged={onWorkstationChanged}
          onConnectionChanged={connection.refresh}
        />
      ) : (
        <>
          <SectionHeader serverUrl={null} />
          {state ? (
            <ConnectCard
              needsServerUrl={workstation !== null && !workstation.enrolled}
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
