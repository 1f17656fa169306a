/** Health of this workstation at a glance: encrypted database, audit chain, scoring model, sync, device identity. */
import { Button, DataList, Group, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import type { SystemStatus } from '../../../../shared/ipc/system';
import { HashValue } from '../../components/hash-value';
import {
  IconAudit,
  IconDatabase,
  IconDownload,
  IconKey,
  IconModel,
  IconRefresh,
  IconSync,
} from '../../components/icons';
import { ScreenHeader } from '../../components/screen-header';
import { formatBytes, formatCount, formatDateTime } from '../../format';
import { useNexisQuery } from '../../hooks';
import { StatusCard } from './StatusCard';
import { ReportProblemButton } from './ReportProblemButton';
import { chainLabel, MODEL_STATES, SYNC_STATES, updateLabel } from './status-labels';

const LABEL_WIDTH = 150;

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel c="dimmed">{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

function StatusCards({ status }: { status: SystemStatus }) {
  const { database, audit, model, sync, device } = status;
  const chain = chainLabel(audit.lastVerification);
  const modelState = MODEL_STATES[model.state];
  const syncState = SYNC_STATES[sync.state];
  const update = updateLabel(status.update);
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
      <StatusCard title="Database" icon={<IconDatabase size={20} />} state="Encrypted" color="teal">
        <DataList labelWidth={LABEL_WIDTH} withDivider>
          <Item label="Cipher">{database.cipher}</Item>
          <Item label="Schema">{database.schemaVersion}</Item>
          <Item label="Size">{formatBytes(database.sizeBytes)}</Item>
          <Item label="Journal">{database.journalMode.toUpperCase()}</Item>
        </DataList>
      </StatusCard>
      <StatusCard title="Audit chain" icon={<IconAudit size={20} />} state={chain.text} color={chain.color}>
        <DataList labelWidth={LABEL_WIDTH} withDivider>
          <Item label="Entries">
            <span data-testid="audit-entry-count">{formatCount(audit.entries)}</span>
          </Item>
          <Item label="Head hash">
            {audit.headHash === '' ? '—' : <HashValue value={audit.headHash} label="head hash" />}
          </Item>
          <Item label="Last checkpoint">
            {audit.lastCheckpointSeq > 0 ? `Entry #${audit.lastCheckpointSeq}` : 'None yet'}
          </Item>
          <Item label="Last verification">
            {audit.lastVerification === null
              ? 'Never'
              : `${audit.lastVerification.ok ? 'Intact' : `Broken at entry #${String(audit.lastVerification.firstBadSeq)}`} · ${formatDateTime(audit.lastVerification.at)}`}
          </Item>
        </DataList>
      </StatusCard>
      <StatusCard title="Scoring model" icon={<IconModel size={20} />} state={modelState.text} color={modelState.color}>
        <Text size="sm">{model.detail}</Text>
      </StatusCard>
      <StatusCard title="Sync" icon={<IconSync size={20} />} state={syncState.text} color={syncState.color}>
        <Text size="sm">{sync.detail}</Text>
      </StatusCard>
      <StatusCard title="App update" icon={<IconDownload size={20} />} state={update.text} color={update.color}>
        <Text size="sm" data-testid="update-detail">
          {update.detail}
        </Text>
      </StatusCard>
      <StatusCard title="Device" icon={<IconKey size={20} />} state="Identified" color="teal">
        <DataList labelWidth={LABEL_WIDTH} withDivider>
          <Item label="Device id">
            <Text ff="monospace" size="sm">
              {device.deviceId}
            </Text>
          </Item>
          <Item label="Public key">
            <HashValue value={device.publicKey} label="device public key" keep={24} shorten="tail" />
          </Item>
          <Item label="App version">{status.appVersion}</Item>
        </DataList>
      </StatusCard>
    </SimpleGrid>
  );
}

export function StatusScreen() {
  const status = useNexisQuery('system:status', {});
  return (
    <Stack gap={0}>
      <ScreenHeader
        title="Status"
        description="The state of this workstation's encrypted store, audit trail, scoring model and synchronisation."
        actions={
          <Group gap="sm">
            <ReportProblemButton />
            <Button
              variant="default"
              leftSection={<IconRefresh size={16} />}
              loading={status.loading}
              onClick={status.refresh}
            >
              Refresh
            </Button>
          </Group>
        }
      />
      {status.data ? (
        <StatusCards status={status.data} />
      ) : status.error ? (
        <Group>
          <Text c="red">The status could not be read.</Text>
        </Group>
      ) : (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          {[0, 1, 2, 3].map((n) => (
            <Skeleton key={n} h={200} radius="md" />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
