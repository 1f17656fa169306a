import { Badge, Button, Code, EmptyState, Group, Stack, Table, Text } from '@mantine/core';
import type { DeviceSummary } from '../../../../shared/sync/admin';
import { IconKey } from '../../components/icons';
import { formatCount, formatDateTime } from '../../format';
import { RelativeTime } from './RelativeTime';
import { chainStatusLabel, deviceStatusLabel } from './sync-labels';

/** A badge in a tight table cell keeps its whole word instead of an ellipsis. */
const UNCLIPPED = { label: { overflow: 'visible' } } as const;

export interface DevicesTableProps {
  devices: readonly DeviceSummary[];
  /** This workstation's device id, marked in the table */
  thisDeviceId: string | null;
  onRevoke(device: DeviceSummary): void;
}

export function DevicesTable({ devices, thisDeviceId, onRevoke }: DevicesTableProps) {
  if (devices.length === 0) {
    return (
      <EmptyState
        py="xl"
        icon={<IconKey size={28} />}
        title="No workstations enrolled yet"
        description="Create an enrolment code for a branch and type it on the workstation's Sync console."
      />
    );
  }
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table aria-label="Devices" horizontalSpacing="sm" verticalSpacing="sm" style={{ whiteSpace: 'nowrap' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Device</Table.Th>
            <Table.Th>Branch</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Last contact</Table.Th>
            <Table.Th ta="right">Backlog</Table.Th>
            <Table.Th>Chain</Table.Th>
            <Table.Th>Last error</Table.Th>
            <Table.Th>Countersigned</Table.Th>
            <Table.Th ta="right">Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {devices.map((device) => {
            const status = deviceStatusLabel(device);
            const chain = chainStatusLabel(device);
            const self = device.deviceId === thisDeviceId;
            return (
              <Table.Tr
                key={device.deviceId}
                data-device-id={device.deviceId}
                data-status={device.status}
                data-chain-status={device.chainStatus}
                data-backlog={device.backlog}
              >
                <Table.Td>
                  <Stack gap={2}>
                    <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                      {device.deviceId}
                    </Text>
                    {self ? (
                      <Badge size="xs" variant="outline" w="fit-content">
                        This workstation
                      </Badge>
                    ) : null}
                  </Stack>
                </Table.Td>
                <Table.Td fz="sm" fw={500}>
                  {device.branchId}
                </Table.Td>
                <Table.Td>
                  <Badge
                    color={status.color}
                    variant="light"
                    styles={UNCLIPPED}
                    title={device.revokedAt === null ? undefined : `Revoked ${formatDateTime(device.revokedAt)}`}
                  >
                    {status.text}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <RelativeTime iso={device.lastContactAt} />
                </Table.Td>
                <Table.Td ta="right" fz="sm" data-testid="device-backlog">
                  {formatCount(device.backlog)}
                </Table.Td>
                <Table.Td>
                  <Badge color={chain.color} variant="light" styles={UNCLIPPED}>
                    {chain.text}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {device.lastError === null ? (
                    <Text span size="sm" c="dimmed">
                      None
                    </Text>
                  ) : (
                    <Group gap={6} wrap="nowrap">
                      <Code>{device.lastError.code}</Code>
                      <RelativeTime iso={device.lastError.at} />
                    </Group>
                  )}
                </Table.Td>
                <Table.Td data-testid="device-countersigned">
                  {device.lastCountersigned === null ? (
                    <Text span size="sm" c="dimmed">
                      None yet
                    </Text>
                  ) : (
                    <Group gap={6} wrap="nowrap">
                      <Text span size="sm">
                        #{formatCount(device.lastCountersigned.seq)}
                      </Text>
                      <RelativeTime iso={device.lastCountersigned.countersignedAt} />
                    </Group>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group justify="flex-end" wrap="nowrap">
                    {device.status === 'active' ? (
                      <Button
                        size="xs"
                        variant="light"
                        color="red"
                        onClick={() => onRevoke(device)}
                        aria-label={`Revoke ${device.deviceId}`}
                      >
                        Revoke
                      </Button>
                    ) : null}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
