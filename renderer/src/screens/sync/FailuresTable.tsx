import { Code, EmptyState, Table, Text } from '@mantine/core';
import type { Failure } from '../../../../shared/sync/admin';
import { IconCheck } from '../../components/icons';
import { RelativeTime } from './RelativeTime';

/** Requests the central API refused or could not complete, newest first. */
export function FailuresTable({ failures }: { failures: readonly Failure[] }) {
  if (failures.length === 0) {
    return (
      <EmptyState
        py="lg"
        icon={<IconCheck size={28} />}
        title="No failures"
        description="The central API has not refused or failed any request."
      />
    );
  }
  return (
    <Table.ScrollContainer minWidth={760} maxHeight={360}>
      <Table aria-label="Failures" stickyHeader horizontalSpacing="md">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Route</Table.Th>
            <Table.Th>Code</Table.Th>
            <Table.Th>Device</Table.Th>
            <Table.Th>Detail</Table.Th>
            <Table.Th>When</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {failures.map((failure) => (
            <Table.Tr key={failure.id} data-code={failure.code}>
              <Table.Td ff="monospace" fz="sm" style={{ whiteSpace: 'nowrap' }}>
                {failure.route}
              </Table.Td>
              <Table.Td>
                <Code>{failure.code}</Code>
              </Table.Td>
              <Table.Td ff="monospace" fz="sm" style={{ whiteSpace: 'nowrap' }}>
                {failure.deviceId ?? (
                  <Text span size="sm" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{failure.detail}</Text>
              </Table.Td>
              <Table.Td>
                <RelativeTime iso={failure.at} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
