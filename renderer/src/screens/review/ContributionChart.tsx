/**
 * The explanation as a bar chart against ONE reference point, the one the principal reasons use: each factor's bar
 * is the score points it loses against its best attainable value (0 = the factor is already at its best). So a
 * factor named as a reason is always among the longest bars, and no bar can look good while a reason says it is bad.
 * Plain elements, no chart library.
 */
import { Box, Group, Stack, Text, Tooltip } from '@mantine/core';
import type { ScoreView } from '../../../../shared/ipc/scoring';
import { featureLabel, formatFeatureValue } from '../../features';
import { formatPoints } from './review-labels';

export interface ContributionChartProps {
  attribution: NonNullable<ScoreView['attribution']>;
  /** The input values the score was computed from; null when they are no longer the current record */
  inputs: Readonly<Record<string, number | string | null>> | null;
  /** Features named as principal reasons, marked in the chart */
  reasons: readonly string[];
}

const BAR_HEIGHT = 18;
/** Below half a point a loss does not move the displayed score (the reasons use the same threshold). */
const AT_BEST = 0.05;

export function ContributionChart({ attribution, inputs, reasons }: ContributionChartProps) {
  const sorted = [...attribution.factors].sort((a, b) => a.points - b.points || a.feature.localeCompare(b.feature));
  const largest = Math.max(1, ...sorted.map((f) => -f.points));
  return (
    <Stack gap={6} role="table" aria-label="Points lost against the best value">
      <Group gap="sm" wrap="nowrap" role="row" c="dimmed">
        <Text size="xs" fw={600} w={260} role="columnheader">
          Factor
        </Text>
        <Text size="xs" fw={600} w={170} role="columnheader">
          Applicant's value
        </Text>
        <Text size="xs" fw={600} style={{ flex: 1 }} role="columnheader">
          Points lost against the factor's best value
        </Text>
        <Text size="xs" fw={600} w={72} ta="right" role="columnheader">
          Points
        </Text>
      </Group>
      {sorted.map((factor) => {
        const label = featureLabel(factor.feature);
        const atBest = -factor.points < AT_BEST;
        const reason = reasons.indexOf(factor.feature);
        return (
          <Group
            key={factor.feature}
            gap="sm"
            wrap="nowrap"
            role="row"
            data-feature={factor.feature}
            data-points={factor.points.toFixed(2)}
            data-reason={reason >= 0 ? reason + 1 : undefined}
          >
            <Text size="sm" w={260} lineClamp={2} role="rowheader" fw={reason >= 0 ? 600 : undefined}>
              {label}
              {reason >= 0 ? (
                <Text span size="xs" c="dimmed" fw={400}>
                  {' '}
                  (reason {reason + 1})
                </Text>
              ) : null}
            </Text>
            <Text size="sm" w={170} ff="monospace" role="cell" c={inputs ? undefined : 'dimmed'}>
              {inputs ? formatFeatureValue(factor.feature, inputs[factor.feature]) : '—'}
            </Text>
            <Box
              style={{ flex: 1 }}
              role="cell"
              aria-label={atBest ? 'at its best value' : `${formatPoints(factor.points)} points`}
            >
              {atBest ? (
                <Text size="xs" c="teal" fw={500}>
                  At its best value
                </Text>
              ) : (
                <Tooltip label={`${label}: ${formatPoints(factor.points)} points against its best value`}>
                  <Box
                    h={BAR_HEIGHT}
                    w={`${(-factor.points / largest) * 100}%`}
                    // Same red for every loss (one measure); the principal reasons at full strength stand out.
                    bg="var(--mantine-color-red-filled)"
                    style={{ borderRadius: 4, minWidth: 2, opacity: reason >= 0 ? 1 : 0.5 }}
                  />
                </Tooltip>
              )}
            </Box>
            <Text
              size="sm"
              w={72}
              ta="right"
              ff="monospace"
              fw={600}
              c={atBest ? 'dimmed' : 'red'}
              role="cell"
              data-testid={`points-${factor.feature}`}
            >
              {atBest ? '0.0' : formatPoints(factor.points)}
            </Text>
          </Group>
        );
      })}
    </Stack>
  );
}
