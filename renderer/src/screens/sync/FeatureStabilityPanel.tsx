/**
 * Characteristic stability (docs/monitoring.md): for one model version and a branch (or all), each feature's PSI per
 * month against the package's training baseline, the most moved feature first, with the latest month as a chart.
 * The workstations count their scores per feature bin; a branch appears once it has reported a month of 20 scores.
 */
import { BarChart } from '@mantine/charts';
import { Badge, Group, Select, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import type { FeatureStability, ModelMonitoring, MonitoringSegment } from '../../../../shared/sync/monitoring';
import { MONITORING_THRESHOLDS } from '../../../../shared/sync/monitoring';
import { formatCount } from '../../format';

/** The months shown as columns: the latest few (every month is in the CSV export). */
const MONTH_COLUMNS = 6;

const levelColor = (level: FeatureStability['level']): string =>
  level === 'act' ? 'red' : level === 'watch' ? 'orange' : 'gray';

function Cell({ figure }: { figure: FeatureStability | undefined }) {
  if (figure === undefined) {
    return (
      <Text size="xs" c="dimmed">
        —
      </Text>
    );
  }
  return (
    <Group gap={6} justify="flex-end" wrap="nowrap">
      <Text size="sm">{figure.psi === null ? '—' : figure.psi.toFixed(3)}</Text>
      <Badge size="sm" variant="light" color={levelColor(figure.level)}>
        {figure.level}
      </Badge>
    </Group>
  );
}

function Figures({ segment }: { segment: MonitoringSegment }) {
  const rows = segment.featureStability;
  const months = [...new Set(rows.map((f) => f.month))].sort().slice(-MONTH_COLUMNS);
  const latestMonth = months[months.length - 1];
  const byFeature = new Map<string, Map<string, FeatureStability>>();
  for (const f of rows) {
    const perMonth = byFeature.get(f.feature) ?? new Map<string, FeatureStability>();
    perMonth.set(f.month, f);
    byFeature.set(f.feature, perMonth);
  }
  // The latest month with a figure to judge: the feature that moved most comes first.
  const latestJudged = (feature: string): FeatureStability | undefined =>
    [...(byFeature.get(feature)?.values() ?? [])]
      .filter((f) => f.psi !== null && f.level !== 'too-few')
      .sort((a, b) => a.month.localeCompare(b.month))
      .at(-1);
  const features = [...byFeature.keys()].sort(
    (a, b) => (latestJudged(b)?.psi ?? -1) - (latestJudged(a)?.psi ?? -1) || a.localeCompare(b),
  );
  const chart = features.flatMap((feature) => {
    const f = latestMonth === undefined ? undefined : byFeature.get(feature)?.get(latestMonth);
    return f === undefined || f.psi === null || f.level === 'too-few'
      ? []
      : [{ feature, PSI: Number(Math.min(f.psi, 2).toFixed(3)) }];
  });
  const summary = features
    .map((feature) => {
      const f = latestJudged(feature);
      return `${feature}: ${f === undefined || f.psi === null ? 'not judged' : `${f.psi.toFixed(3)} (${f.level}, ${f.month})`}`;
    })
    .join('; ');
  return (
    <Stack gap="xs">
      {chart.length > 0 && latestMonth !== undefined ? (
        <>
          <Text size="xs" c="dimmed">
            {latestMonth}, {formatCount(segment.featureStability.find((f) => f.month === latestMonth)?.scores ?? 0)}{' '}
            scores (bars stop at 2)
          </Text>
          <BarChart
            h={Math.max(120, 22 * chart.length + 40)}
            data={chart}
            dataKey="feature"
            orientation="vertical"
            yAxisProps={{ width: 200, interval: 0 }}
            series={[{ name: 'PSI', color: 'nexis.5' }]}
            referenceLines={[
              { x: MONITORING_THRESHOLDS.psiAct, label: `act above ${MONITORING_THRESHOLDS.psiAct}`, color: 'red.6' },
            ]}
            aria-hidden
          />
        </>
      ) : null}
      <VisuallyHidden>Feature PSI, latest judged month. {summary}</VisuallyHidden>
      <Table.ScrollContainer minWidth={560}>
        <Table striped verticalSpacing={4} fz="xs" data-testid="feature-stability">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Feature</Table.Th>
              {months.map((m) => (
                <Table.Th key={m} ta="right">
                  {m}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {features.map((feature) => (
              <Table.Tr key={feature}>
                <Table.Td>{feature}</Table.Td>
                {months.map((m) => (
                  <Table.Td key={m} ta="right">
                    <Cell figure={byFeature.get(feature)?.get(m)} />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

export function FeatureStabilityPanel({ model }: { model: ModelMonitoring }) {
  const [branch, setBranch] = useState<string>('all');
  const chosen = model.segments.find((s) => (s.branchId ?? 'all') === branch) ?? model.segments[0];
  if (chosen === undefined) {
    return null;
  }
  return (
    <Stack gap="xs" data-testid="feature-stability-panel">
      <Group justify="space-between">
        <Text fw={600} size="sm">
          Characteristic stability (PSI of each feature against the training data)
        </Text>
        <Select
          aria-label="Branch for characteristic stability"
          size="xs"
          w={180}
          allowDeselect={false}
          value={branch}
          onChange={(v) => setBranch(v ?? 'all')}
          data={model.segments.map((s) => ({ value: s.branchId ?? 'all', label: s.branchId ?? 'All branches' }))}
        />
      </Group>
      {model.baseline === null ? (
        <Text size="sm" c="dimmed">
          No baseline: this model version did not come through a central release, so its training distribution is not
          known here.
        </Text>
      ) : chosen.featureStability.length === 0 ? (
        <Text size="sm" c="dimmed">
          No feature counts yet for {chosen.branchId ?? 'any branch'}: workstations report a month once it holds 20
          scores of this model version.
        </Text>
      ) : (
        <Figures segment={chosen} />
      )}
      <Text size="xs" c="dimmed">
        Each feature&apos;s bins are grouped into classes of at least{' '}
        {(100 * MONITORING_THRESHOLDS.featureClassShare).toFixed(0)} % of the training rows (missing values apart). PSI
        above {MONITORING_THRESHOLDS.psiWatch} is watched and above {MONITORING_THRESHOLDS.psiAct} acted on; months with
        fewer than {MONITORING_THRESHOLDS.minScoresForPsi} scores are not judged.
      </Text>
    </Stack>
  );
}
