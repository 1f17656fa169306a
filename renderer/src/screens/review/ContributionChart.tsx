/**
 * The exact explanation as a diverging bar chart: each term's points (+ raises the score, − lowers it), sorted, with
 * the applicant's input value beside its bar. Plain elements, no chart library.
 */
import { Box, Group, Stack, Text, Tooltip } from '@mantine/core';
import type { ScoreView } from '../../../../shared/ipc/scoring';
import { featureLabel, formatFeatureValue } from '../../features';
import { formatPoints } from './review-labels';

export interface ContributionChartProps {
  contributions: ScoreView['contributions'];
  /** The input values the score was computed from; null when they are no longer the current record */
  inputs: Readonly<Record<string, number | string | null>> | null;
}

const BAR_HEIGHT = 18;

export function ContributionChart({ contributions, inputs }: ContributionChartProps) {
  const sorted = [...contributions].sort((a, b) => b.points - a.points);
  const largest = Math.max(1, ...sorted.map((c) => Math.abs(c.points)));
  return (
    <Stack gap={6} role="table" aria-label="Contributions to the score">
      <Group gap="sm" wrap="nowrap" role="row" c="dimmed">
        <Text size="xs" fw={600} w={260} role="columnheader">
          Factor
        </Text>
        <Text size="xs" fw={600} w={170} role="columnheader">
          Applicant's value
        </Text>
        <Group gap={0} style={{ flex: 1 }} wrap="nowrap" role="columnheader">
          <Text size="xs" fw={600} ta="right" style={{ flex: 1, whiteSpace: 'nowrap' }} pr={8}>
            ← lowers the score
          </Text>
          <Text size="xs" fw={600} style={{ flex: 1, whiteSpace: 'nowrap' }} pl={8}>
            raises the score →
          </Text>
        </Group>
        <Text size="xs" fw={600} w={60} ta="right" role="columnheader">
          Points
        </Text>
      </Group>
      {sorted.map((contribution) => {
        const width = `${(Math.abs(contribution.points) / largest) * 100}%`;
        const positive = contribution.points >= 0;
        const key = contribution.features[0] ?? contribution.term;
        const label = contribution.features.map((f) => featureLabel(f)).join(' × ');
        return (
          <Group
            key={contribution.term}
            gap="sm"
            wrap="nowrap"
            role="row"
            data-term={contribution.term}
            data-points={contribution.points.toFixed(2)}
          >
            <Text size="sm" w={260} lineClamp={2} role="rowheader">
              {label}
            </Text>
            <Text size="sm" w={170} ff="monospace" role="cell" c={inputs ? undefined : 'dimmed'}>
              {inputs ? contribution.features.map((f) => formatFeatureValue(f, inputs[f])).join(', ') : '—'}
            </Text>
            <Group
              gap={0}
              style={{ flex: 1 }}
              wrap="nowrap"
              role="cell"
              aria-label={`${formatPoints(contribution.points)} points`}
            >
              <Box style={{ flex: 1, display: 'flex', justifyContent: 'flex-end' }}>
                {positive ? null : (
                  <Tooltip label={`${label}: ${formatPoints(contribution.points)} points`}>
                    <Box
                      h={BAR_HEIGHT}
                      w={width}
                      bg="var(--mantine-color-red-filled)"
                      style={{ borderRadius: '4px 0 0 4px', minWidth: 2 }}
                    />
                  </Tooltip>
                )}
              </Box>
              <Box w={1} h={BAR_HEIGHT + 8} bg="var(--mantine-color-default-border)" />
              <Box style={{ flex: 1 }}>
                {positive ? (
                  <Tooltip label={`${label}: ${formatPoints(contribution.points)} points`}>
                    <Box
                      h={BAR_HEIGHT}
                      w={width}
                      bg="var(--mantine-color-teal-filled)"
                      style={{ borderRadius: '0 4px 4px 0', minWidth: 2 }}
                    />
                  </Tooltip>
                ) : null}
              </Box>
            </Group>
            <Text
              size="sm"
              w={60}
              ta="right"
              ff="monospace"
              fw={600}
              c={positive ? 'teal' : 'red'}
              role="cell"
              data-testid={`points-${key}`}
            >
              {formatPoints(contribution.points)}
            </Text>
          </Group>
        );
      })}
    </Stack>
  );
}
