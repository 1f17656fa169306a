/**
 * Champion and challenger (docs/monitoring.md): for a model version, each challenger scored in shadow beside it —
 * how often the policy would have decided the same, where they differ, and on the same matured loans each model's
 * realised AUC and Brier score and the bad rate of the loans the challenger would have declined. All branches
 * together; every figure is in the CSV export.
 */
import { BarChart } from '@mantine/charts';
import { Badge, Group, SimpleGrid, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import type { ChallengerComparison, ModelMonitoring } from '../../../../shared/sync/monitoring';
import { formatCount } from '../../format';

const OUTCOMES = ['approve', 'refer', 'decline'] as const;
const percent = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);
const decimal = (x: number | null, digits = 3): string => (x === null ? '—' : x.toFixed(digits));
const interval = (i: { low: number; high: number } | null): string =>
  i === null ? '' : `${i.low.toFixed(3)}–${i.high.toFixed(3)}`;

function OutcomeMatrix({ comparison }: { comparison: ChallengerComparison }) {
  const count = (champion: string, challenger: string): number =>
    comparison.outcomes.find((o) => o.champion === champion && o.challenger === challenger)?.count ?? 0;
  return (
    <Table
      verticalSpacing={4}
      fz="xs"
      withTableBorder
      aria-label={`Policy outcomes, champion against challenger ${comparison.modelVersion}`}
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Champion ↓ / challenger →</Table.Th>
          {OUTCOMES.map((o) => (
            <Table.Th key={o} ta="right">
              {o}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {OUTCOMES.map((champion) => (
          <Table.Tr key={champion}>
            <Table.Th scope="row">{champion}</Table.Th>
            {OUTCOMES.map((challenger) => (
              <Table.Td key={challenger} ta="right" fw={champion === challenger ? 600 : undefined}>
                {formatCount(count(champion, challenger))}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Comparison({ championVersion, comparison }: { championVersion: string; comparison: ChallengerComparison }) {
  const c = comparison;
  const chart = [
    { model: `champion ${championVersion}`, AUC: Number((c.champion.auc ?? 0).toFixed(3)) },
    { model: `challenger ${c.modelVersion}`, AUC: Number((c.challenger.auc ?? 0).toFixed(3)) },
  ];
  const better =
    c.champion.aucInterval !== null && c.challenger.aucInterval !== null
      ? c.challenger.aucInterval.low > c.champion.aucInterval.high
        ? 'challenger'
        : c.champion.aucInterval.low > c.challenger.aucInterval.high
          ? 'champion'
          : null
      : null;
  return (
    <Stack gap="xs" data-testid={`challenger-${c.modelVersion}`}>
      <Group gap="xs">
        <Text size="sm" fw={600}>
          Challenger {c.modelVersion}
        </Text>
        <Text size="sm" c="dimmed">
          beside {formatCount(c.scores)} scores; same policy outcome for {percent(c.agreement)}; scores{' '}
          {c.meanScoreDifference === null
            ? '—'
            : `${c.meanScoreDifference >= 0 ? '+' : ''}${c.meanScoreDifference.toFixed(1)} points`}{' '}
          on average
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <OutcomeMatrix comparison={c} />
        <Stack gap={4}>
          <Table
            verticalSpacing={4}
            fz="xs"
            aria-label={`Realised performance, champion and challenger ${c.modelVersion}`}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>
                  On {formatCount(c.matured)} matured loans ({formatCount(c.bad)} bad)
                </Table.Th>
                <Table.Th ta="right">AUC (95 %)</Table.Th>
                <Table.Th ta="right">Brier</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(
                [
                  ['Champion', championVersion, c.champion],
                  ['Challenger', c.modelVersion, c.challenger],
                ] as const
              ).map(([role, version, figures]) => (
                <Table.Tr key={role}>
                  <Table.Td>
                    {role} {version}
                  </Table.Td>
                  <Table.Td ta="right">
                    {decimal(figures.auc)}{' '}
                    <Text span size="xs" c="dimmed">
                      {interval(figures.aucInterval)}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{decimal(figures.brier, 4)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs">
            Loans the challenger would have declined: {formatCount(c.swappedOut.loans)}, of which{' '}
            {formatCount(c.swappedOut.bad)} went bad ({percent(c.swappedOut.badRate)}).
          </Text>
          {better === null ? (
            <Text size="xs" c="dimmed">
              The AUC intervals overlap: no model is shown better on these loans yet.
            </Text>
          ) : (
            <Badge variant="light" color={better === 'challenger' ? 'teal' : 'gray'} w="fit-content">
              {better === 'challenger'
                ? 'challenger ahead beyond both intervals'
                : 'champion ahead beyond both intervals'}
            </Badge>
          )}
        </Stack>
      </SimpleGrid>
      {c.matured > 0 ? (
        <BarChart
          h={120}
          data={chart}
          dataKey="model"
          orientation="vertical"
          yAxisProps={{ width: 160 }}
          series={[{ name: 'AUC', color: 'nexis.5' }]}
          aria-hidden
        />
      ) : null}
      <VisuallyHidden>
        Realised AUC on the same loans: champion {decimal(c.champion.auc)}, challenger {decimal(c.challenger.auc)}.
      </VisuallyHidden>
    </Stack>
  );
}

export function ChallengerComparisonPanel({ model }: { model: ModelMonitoring }) {
  if (model.challengers.length === 0) {
    return null;
  }
  return (
    <Stack gap="sm" data-testid="challenger-panel">
      <Text fw={600} size="sm">
        Champion and challenger (shadow scores on the same applicants, all branches)
      </Text>
      {model.challengers.map((c) => (
        <Comparison key={c.modelVersion} championVersion={model.modelVersion} comparison={c} />
      ))}
      <Text size="xs" c="dimmed">
        Outcomes exist only for loans the champion approved: the challenger&apos;s figures say nothing of the applicants
        the champion declined. Promote a challenger from the Fleet panel&apos;s model releases (four eyes).
      </Text>
    </Stack>
  );
}
