import { Badge, Table, Text } from '@mantine/core';
import type { DiffLine } from '../../../../shared/sync/proposals';

function Value({ value, strong }: { value: string | null; strong: boolean }) {
  if (value === null) {
    return (
      <Text span size="sm" c="dimmed" title="Nothing yet">
        —
      </Text>
    );
  }
  return (
    <Text span size="sm" ff="monospace" fw={strong ? 600 : 400} style={{ wordBreak: 'break-word' }}>
      {value}
    </Text>
  );
}

/** What is in force now and what the proposal makes it, line by line; the lines that change are highlighted. */
export function DiffTable({ diff }: { diff: readonly DiffLine[] }) {
  return (
    <Table.ScrollContainer minWidth={460}>
      <Table aria-label="Proposed change" withTableBorder verticalSpacing="xs" horizontalSpacing="md" layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="34%">Setting</Table.Th>
            <Table.Th>Before (in force)</Table.Th>
            <Table.Th>After (proposed)</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {diff.map((line) => {
            const changed = line.before !== line.after;
            return (
              <Table.Tr
                key={line.label}
                data-changed={changed}
                bg={changed ? 'light-dark(var(--mantine-color-yellow-0), rgba(250, 176, 5, 0.09))' : undefined}
              >
                <Table.Th scope="row" fw={500}>
                  <Text span size="sm" fw={500}>
                    {line.label}
                  </Text>
                  {changed ? (
                    <Badge size="xs" variant="light" color="yellow" ml={6} style={{ verticalAlign: 'middle' }}>
                      Changes
                    </Badge>
                  ) : null}
                </Table.Th>
                <Table.Td data-column="before">
                  <Value value={line.before} strong={false} />
                </Table.Td>
                <Table.Td data-column="after">
                  <Value value={line.after} strong={changed} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
