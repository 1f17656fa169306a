import { Code, Table, Text, Tooltip } from '@mantine/core';
import type { AuditEntryView } from '../../../../shared/ipc/audit';
import { formatDateTime } from '../../format';
import { summarizePayload } from './audit-query';

export interface AuditTableProps {
  entries: readonly AuditEntryView[];
  /** Officer ids shown as usernames */
  nameOf(value: string): string;
  /** The first entry a failed verification pointed at, highlighted in red */
  badSeq?: number | null;
}

const SUMMARY_MAX = 90;

function PayloadSummary({ payload }: { payload: Record<string, unknown> }) {
  const summary = summarizePayload(payload);
  if (summary === '') {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  if (summary.length <= SUMMARY_MAX) {
    return <Text size="sm">{summary}</Text>;
  }
  return (
    <Tooltip label={summary} multiline maw={480}>
      <Text size="sm" tabIndex={0}>
        {`${summary.slice(0, SUMMARY_MAX)}…`}
      </Text>
    </Tooltip>
  );
}

export function AuditTable({ entries, nameOf, badSeq = null }: AuditTableProps) {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table striped aria-label="Audit entries" stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={72} ta="right">
              Seq
            </Table.Th>
            <Table.Th w={200}>Time</Table.Th>
            <Table.Th w={150}>Actor</Table.Th>
            <Table.Th w={230}>Action</Table.Th>
            <Table.Th w={150}>Subject</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr
              key={entry.seq}
              data-action={entry.action}
              data-tampered={entry.seq === badSeq || undefined}
              bg={entry.seq === badSeq ? 'var(--mantine-color-red-light)' : undefined}
            >
              <Table.Td ta="right" ff="monospace" fz="sm">
                {entry.seq}
              </Table.Td>
              <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                <time dateTime={entry.ts}>{formatDateTime(entry.ts)}</time>
              </Table.Td>
              <Table.Td fz="sm">{nameOf(entry.actor)}</Table.Td>
              <Table.Td>
                <Code>{entry.action}</Code>
              </Table.Td>
              <Table.Td fz="sm" c={entry.subject === null ? 'dimmed' : undefined}>
                {entry.subject === null ? '—' : nameOf(entry.subject)}
              </Table.Td>
              <Table.Td>
                <PayloadSummary payload={entry.payload} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
