/**
 * The bank-wide overview once signed in: proposals, devices, fleet, app releases, model monitoring, activity and
 * actions, issues, failures, central audit.
 */
import { Box, Button, Card, Grid, Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useMemo } from 'react';
import type { ConsoleOverview } from '../../../../shared/ipc/sync';
import type { DeviceSummary } from '../../../../shared/sync/admin';
import { IconSync } from '../../components/icons';
import { useNexisMutation, useNexisQuery } from '../../hooks';
import { ActivityChart } from './ActivityChart';
import { AppReleasesPanel } from './AppReleasesPanel';
import { CentralAuditPanel } from './CentralAuditPanel';
import { ChainIssuesTable } from './ChainIssuesTable';
import { CardTitle } from './ConsoleHeadings';
import { ConsoleActions } from './ConsoleActions';
import { DevicesTable } from './DevicesTable';
import { FailuresTable } from './FailuresTable';
import { FleetPanel } from './FleetPanel';
import { ModelMonitoringPanel } from './ModelMonitoringPanel';
import { OutcomeImportPanel } from './OutcomeImportPanel';
import { proposedMessage } from './proposal-labels';
import { ProposalsPanel } from './ProposalsPanel';
import { plural } from './sync-labels';
import { useSyncNow } from './use-sync-now';

export interface OverviewPanelsProps {
  overview: ConsoleOverview;
  thisDeviceId: string | null;
  canSyncHere: boolean;
}

/** Administrator ids the console can name: the one signed in, and everyone on a proposal. */
function knownNames(overview: ConsoleOverview): Map<string, string> {
  const names = new Map<string, string>([[overview.admin.adminId, overview.admin.username]]);
  for (const proposal of overview.proposals) {
    if (proposal.proposedByName !== null) {
      names.set(proposal.proposedBy, proposal.proposedByName);
    }
  }
  return names;
}

export function OverviewPanels({ overview, thisDeviceId, canSyncHere }: OverviewPanelsProps) {
  const revoke = useNexisMutation('console:revokeDevice', {
    successMessage: (proposed) => proposedMessage(proposed.proposal),
  });
  // `sync:now` leaves the central overview alone (an unreachable server would be told twice), so the retry re-reads
  // it here: the failure it retried is gone from the list once the round succeeds.
  const { refresh: refreshOverview } = useNexisQuery('console:overview', {});
  const syncHere = useSyncNow(refreshOverview);
  const names = useMemo(() => knownNames(overview), [overview]);

  const confirmRevoke = (device: DeviceSummary): void => {
    const self = device.deviceId === thisDeviceId;
    modals.openConfirmModal({
      title: 'Propose revoking this device?',
      centered: true,
      children: (
        <Stack gap="xs">
          <Text size="sm">
            Once a second security administrator approves, the central API refuses <strong>{device.deviceId}</strong>{' '}
            (branch {device.branchId}) from its next request: it can no longer send its audit trail or receive releases.
            It keeps working offline.
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
      labels: { confirm: 'Propose revocation', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () => {
        void revoke.run({ deviceId: device.deviceId });
      },
    });
  };

  const flagged = overview.devices.filter((d) => d.chainStatus === 'flagged').length;

  return (
    <Stack gap="lg">
      <ProposalsPanel pending={overview.proposals} admin={overview.admin} />
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
      <FleetPanel overview={overview} thisDeviceId={thisDeviceId} />
      <AppReleasesPanel roles={overview.admin.roles} />
      <OutcomeImportPanel roles={overview.admin.roles} />
      <ModelMonitoringPanel />
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
          <ConsoleActions />
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
      <CentralAuditPanel names={names} refreshKey={overview.fetchedAt} />
    </Stack>
  );
}
