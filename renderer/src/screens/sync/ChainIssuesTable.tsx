import { Badge, EmptyState, Table, Text } from '@mantine/core';
import type { ChainIssue } from '../../../../shared/sync/admin';
import { IconAudit } from '../../components/icons';
import { formatCount } from '../../format';
import { RelativeTime } from './RelativeTime';
import { CHAIN_ISSUE_LABELS } from './sync-labels';

/** What the central API found wrong with a device's audit chain (gaps, forks, rollbacks, bad signatures). */
export function ChainIssuesTable({ issues }: { issues: readonly ChainIssue[] }) {
  if (issues.length === 0) {
    return (
      <EmptyState
        py="lg"
        icon={<IconAudit size={28} />}
        title="No chain issues"
        description="Every device's audit chain continues where the central API left it."
      />
    );
  }
  return (
    <Table.ScrollContainer minWidth={680} maxHeight={360}>
      <Table aria-label="Chain issues" stickyHeader horizontalSpacing="md">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Device</Table.Th>
            <Table.Th ta="right">Entry</Table.Th>
            <Table.Th>Detail</Table.Th>
            <Table.Th>When</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {issues.map((issue) => (
            <Table.Tr key={issue.id} data-kind={issue.kind}>
              <Table.Td>
                <Badge color="red" variant="light" style={{ whiteSpace: 'nowrap' }}>
                  {CHAIN_ISSUE_LABELS[issue.kind]}
                </Badge>
              </Table.Td>
              <Table.Td ff="monospace" fz="sm" style={{ whiteSpace: 'nowrap' }}>
                {issue.deviceId}
              </Table.Td>
              <Table.Td ta="right" fz="sm">
                #{formatCount(issue.seq)}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{issue.detail}</Text>
              </Table.Td>
              <Table.Td>
                <RelativeTime iso={issue.at} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
