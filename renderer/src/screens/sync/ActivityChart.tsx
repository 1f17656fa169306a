import { BarChart } from '@mantine/charts';
import { EmptyState, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import type { BranchActivity } from '../../../../shared/sync/admin';
import { IconStatus } from '../../components/icons';
import { formatCount, formatDateTime } from '../../format';
import { plural } from './sync-labels';

/** Distinct in light and dark mode; families beyond these reuse them in order. */
const PALETTE = [
  'nexis.5',
  'teal.6',
  'orange.6',
  'grape.5',
  'cyan.6',
  'yellow.6',
  'pink.5',
  'lime.6',
  'indigo.4',
  'gray.6',
];

export interface ActivityChartProps {
  branches: readonly BranchActivity[];
  /** Start of the window the counts cover */
  since: string;
}

function familiesOf(branches: readonly BranchActivity[]): string[] {
  const totals = new Map<string, number>();
  for (const branch of branches) {
    for (const [family, n] of Object.entries(branch.counts)) {
      totals.set(family, (totals.get(family) ?? 0) + n);
    }
  }
  // Largest family first, so the bottom of every stack is the busiest kind of work.
  return [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([family]) => family);
}

/** Audit entries received per branch in the window, stacked by action family, with a table for screen readers. */
export function ActivityChart({ branches, since }: ActivityChartProps) {
  const families = familiesOf(branches);
  const total = branches.reduce((sum, b) => sum + Object.values(b.counts).reduce((s, n) => s + n, 0), 0);
  const summary = `${plural(total, 'audit entry', 'audit entries')} from ${plural(branches.length, 'branch', 'branches')} since ${formatDateTime(since)}.`;

  if (total === 0) {
    return (
      <EmptyState
        py="xl"
        icon={<IconStatus size={28} />}
        title="No activity in this window"
        description={`No audit entries were received since ${formatDateTime(since)}.`}
      />
    );
  }

  const data = branches.map((branch) => ({ branch: branch.branchId, ...branch.counts }));
  const series = families.map((family, i) => ({ name: family, color: PALETTE[i % PALETTE.length] ?? 'gray.6' }));

  return (
    <Stack gap="sm" data-testid="activity-chart">
      <Text size="sm" c="dimmed" data-testid="activity-summary">
        {summary}
      </Text>
      <div aria-hidden="true">
        <BarChart
          h={Math.max(220, 60 + branches.length * 44)}
          data={data}
          dataKey="branch"
          series={series}
          type="stacked"
          orientation="vertical"
          withLegend
          legendProps={{ verticalAlign: 'bottom' }}
          gridAxis="y"
          tickLine="none"
          yAxisProps={{ width: 80 }}
          maxBarWidth={28}
          barChartProps={{ accessibilityLayer: false }}
        />
      </div>
      <VisuallyHidden>
        <Table aria-label="Audit entries per branch and action family">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Branch</Table.Th>
              {families.map((family) => (
                <Table.Th key={family}>{family}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {branches.map((branch) => (
              <Table.Tr key={branch.branchId}>
                <Table.Td>{branch.branchId}</Table.Td>
                {families.map((family) => (
                  <Table.Td key={family}>{formatCount(branch.counts[family] ?? 0)}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </VisuallyHidden>
    </Stack>
  );
}
