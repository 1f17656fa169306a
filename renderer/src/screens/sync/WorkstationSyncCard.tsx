/** This workstation's side of sync: enrolment, backlog, last outcome, countersigned checkpoint, installed releases. */
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  DataList,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import type { ReactNode } from 'react';
import type { SyncStatusView } from '../../../../shared/ipc/sync';
import { HashValue } from '../../components/hash-value';
import { IconAlert, IconRefresh, IconSync } from '../../components/icons';
import { formatCount, formatDateTime, formatRelativeMs, localizeTimestamps } from '../../format';
import { useNexisMutation, useNexisQuery } from '../../hooks';
import { EnrolForm } from './EnrolForm';
import { RelativeTime } from './RelativeTime';
import { plural, workstationState } from './sync-labels';
import { useSyncNow } from './use-sync-now';

const LABEL_WIDTH = 170;

function Item({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel c="dimmed">{label}</DataList.ItemLabel>
      <DataList.ItemValue data-testid={testId}>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

function None({ children }: { children: ReactNode }) {
  return (
    <Text span size="sm" c="dimmed">
      {children}
    </Text>
  );
}

function LastError({
  error,
  onRetry,
  retrying,
}: {
  error: NonNullable<SyncStatusView['lastError']>;
  onRetry(): void;
  retrying: boolean;
}) {
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlert />}
      title="Last sync failed"
      data-testid="workstation-last-error"
    >
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Stack gap={2}>
          <Text size="sm">{localizeTimestamps(error.message)}</Text>
          <Text size="xs" c="dimmed">
            <Code>{error.code}</Code> · {formatDateTime(error.at)} · Work continues offline and sync retries on its own.
          </Text>
        </Stack>
        <Button
          size="xs"
          color="red"
          variant="light"
          leftSection={<IconRefresh size={14} />}
          onClick={onRetry}
          loading={retrying}
        >
          Retry now
        </Button>
      </Group>
    </Alert>
  );
}

function Checkpoint({ checkpoint }: { checkpoint: SyncStatusView['countersigned'] }) {
  if (checkpoint === null) {
    return <None>None yet</None>;
  }
  return (
    <Group gap="xs" wrap="wrap">
      <Text size="sm" fw={500}>
        Entry #{formatCount(checkpoint.seq)}
      </Text>
      <HashValue value={checkpoint.headHash} label="countersigned head hash" keep={6} />
      <RelativeTime iso={checkpoint.countersignedAt} />
    </Group>
  );
}

function EnrolledDetails({
  status,
  onRollBack,
  rollingBack,
}: {
  status: SyncStatusView;
  onRollBack(): void;
  rollingBack: boolean;
}) {
  const { model } = status;
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl" verticalSpacing="md">
      <DataList labelWidth={LABEL_WIDTH} withDivider>
        <Item label="Central server">
          <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {status.serverUrl}
          </Text>
        </Item>
        <Item label="Branch" testId="workstation-branch">
          {status.branchId}
        </Item>
        <Item label="Device id" testId="workstation-device-id">
          <Text size="sm" ff="monospace">
            {status.deviceId}
          </Text>
        </Item>
        <Item label="Backlog" testId="workstation-backlog">
          <Text size="sm">
            {status.backlog === 0 ? 'Nothing waiting' : `${plural(status.backlog, 'entry', 'entries')} waiting`}
            <Text span size="xs" c="dimmed">
              {' '}
              · head #{formatCount(status.headSeq)}, acknowledged #{formatCount(status.ackedSeq)}
            </Text>
          </Text>
        </Item>
        <Item label="Last success">
          <RelativeTime iso={status.lastSuccessAt} />
        </Item>
        <Item label="Next run">
          {status.nextRunInMs === null ? <None>Not scheduled</None> : formatRelativeMs(status.nextRunInMs)}
        </Item>
      </DataList>
      <DataList labelWidth={LABEL_WIDTH} withDivider>
        <Item label="Countersigned" testId="workstation-checkpoint">
          <Checkpoint checkpoint={status.countersigned} />
        </Item>
        <Item label="Scoring model" testId="workstation-model">
          <Group gap="xs" wrap="wrap">
            {model.current === null ? <None>No release installed</None> : <Code>{model.current}</Code>}
            {model.previous === null ? null : (
              <>
                <Text span size="xs" c="dimmed">
                  previous <Code>{model.previous}</Code>
                </Text>
                <Button size="compact-xs" variant="default" onClick={onRollBack} loading={rollingBack}>
                  Roll back model
                </Button>
              </>
            )}
          </Group>
        </Item>
        <Item label="Policy version" testId="workstation-policy">
          {status.policy.current === null ? <None>None received</None> : <Code>{status.policy.current}</Code>}
        </Item>
        <Item label="Rejected feed item">
          {status.lastPullRejected === null ? (
            <None>None</None>
          ) : (
            <Text size="sm">
              #{status.lastPullRejected.itemId} <Code>{status.lastPullRejected.kind}</Code>{' '}
              {status.lastPullRejected.reason}
            </Text>
          )}
        </Item>
        <Item label="Rejected model">
          {model.lastRejected === null ? (
            <None>None</None>
          ) : (
            <Text size="sm">
              <Code>{model.lastRejected.version}</Code> {model.lastRejected.reason}
            </Text>
          )}
        </Item>
      </DataList>
    </SimpleGrid>
  );
}

/** Reads `sync:status` from the query cache the console screen polls; actions refresh it through their invalidations. */
export function WorkstationSyncCard() {
  const query = useNexisQuery('sync:status', {});
  const status = query.data;
  const failed = query.error !== null;
  const syncNow = useSyncNow();
  const rollback = useNexisMutation('sync:rollbackModel', {
    successMessage: (next) => `Model release ${next.model.current ?? '?'} is current again.`,
  });

  const confirmRollBack = (current: string | null, previous: string): void => {
    modals.openConfirmModal({
      title: 'Roll back the scoring model?',
      centered: true,
      children: (
        <Text size="sm">
          Release <Code>{previous}</Code> becomes the current scoring model again and is reloaded
          {current === null ? '' : `, in place of ${current}`}. Scores computed from now on use it.
        </Text>
      ),
      labels: { confirm: 'Roll back model', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () => {
        void rollback.run({});
      },
    });
  };

  const state = status ? workstationState(status) : null;

  return (
    <Card component="section" aria-labelledby="workstation-sync-title" data-state={status?.state}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
          <div>
            <Group gap="sm">
              <Title order={2} size="h4" id="workstation-sync-title">
                This workstation
              </Title>
              {state ? (
                <Badge
                  color={state.color}
                  variant={state.color === 'gray' ? 'default' : 'light'}
                  radius="sm"
                  data-testid="workstation-state"
                >
                  {state.text}
                </Badge>
              ) : null}
            </Group>
            <Text size="sm" c="dimmed">
              {status ? localizeTimestamps(status.detail) : failed ? 'Unknown' : 'Reading the sync state…'}
            </Text>
          </div>
          {status?.enrolled ? (
            <Button leftSection={<IconSync size={16} />} onClick={() => void syncNow.run()} loading={syncNow.pending}>
              Sync now
            </Button>
          ) : null}
        </Group>
        {status === null ? (
          failed ? (
            <Group gap="sm">
              <Text size="sm" c="red">
                The sync state could not be read.
              </Text>
              <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} onClick={query.refresh}>
                Try again
              </Button>
            </Group>
          ) : (
            <Skeleton h={160} radius="md" />
          )
        ) : status.enrolled ? (
          <>
            {status.revoked ? (
              <Alert color="red" variant="light" icon={<IconAlert />} title="Revoked by the bank">
                The central API refuses this workstation. Work continues offline; ask a central administrator for a new
                enrolment if this was a mistake.
              </Alert>
            ) : status.lastError ? (
              <LastError error={status.lastError} onRetry={() => void syncNow.run()} retrying={syncNow.pending} />
            ) : null}
            <EnrolledDetails
              status={status}
              rollingBack={rollback.pending}
              onRollBack={() => {
                if (status.model.previous !== null) {
                  confirmRollBack(status.model.current, status.model.previous);
                }
              }}
            />
          </>
        ) : (
          <Stack gap="md">
            <DataList labelWidth={LABEL_WIDTH} withDivider>
              <Item label="Device id" testId="workstation-device-id">
                <Text size="sm" ff="monospace">
                  {status.deviceId}
                </Text>
              </Item>
              <Item label="Waiting to be sent">{plural(status.backlog, 'audit entry', 'audit entries')}</Item>
            </DataList>
            <EnrolForm trustedServerUrl={status.trustedServerUrl} />
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
