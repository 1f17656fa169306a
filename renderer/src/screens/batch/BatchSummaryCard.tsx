import { Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ChannelOutput } from '../../../../shared/ipc/contract';
import { HashValue } from '../../components/hash-value';
import { formatCount } from '../../format';

type Summary = ChannelOutput<'scoring:batch'>;

const OUTCOME_COLOURS = { approve: 'teal', refer: 'yellow', decline: 'red' } as const;

/** Counts by outcome and band of a finished batch, and the per-row results file. */
export function BatchSummaryCard({ summary, onDownload }: { summary: Summary; onDownload: () => void }) {
  const bands = Object.entries(summary.bands).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Card component="section" aria-labelledby="batch-summary-title" data-testid="batch-summary">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={2} size="h4" id="batch-summary-title">
            Summary
          </Title>
          <Button variant="default" onClick={onDownload}>
            Download results (CSV)
          </Button>
        </Group>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <Stack gap={2}>
            <Text size="sm" c="dimmed">
              Rows
            </Text>
            <Text fw={600}>
              {formatCount(summary.scored)} scored · {formatCount(summary.failed)} failed
            </Text>
          </Stack>
          <Stack gap={2}>
            <Text size="sm" c="dimmed">
              Policy outcome
            </Text>
            <Group gap="xs">
              {(['approve', 'refer', 'decline'] as const).map((outcome) => (
                <Badge key={outcome} color={OUTCOME_COLOURS[outcome]} variant="light">
                  {outcome} {formatCount(summary.outcomes[outcome])}
                </Badge>
              ))}
            </Group>
          </Stack>
          <Stack gap={2}>
            <Text size="sm" c="dimmed">
              Model
            </Text>
            <Group gap="xs">
              <HashValue value={summary.modelHash} label="Model hash" />
              <Text size="sm">policy {summary.policyVersion}</Text>
            </Group>
          </Stack>
        </SimpleGrid>
        <Table striped withTableBorder aria-label="Rows by band">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Band</Table.Th>
              <Table.Th>Rows</Table.Th>
              <Table.Th>Share</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {bands.map(([band, rows]) => (
              <Table.Tr key={band}>
                <Table.Td>{band}</Table.Td>
                <Table.Td>{formatCount(rows)}</Table.Td>
                <Table.Td>{summary.scored > 0 ? `${((rows / summary.scored) * 100).toFixed(1)} %` : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Card>
  );
}
