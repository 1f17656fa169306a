import { Badge, Card, DataList, Group, Stack, Text, Title } from '@mantine/core';
import type { ScoreView } from '../../../../shared/ipc/scoring';
import { HashValue } from '../../components/hash-value';
import { formatDateTime } from '../../format';
import { OUTCOME_COLORS, OUTCOME_LABELS, formatPercent } from './review-labels';
import { ScoreGauge } from './ScoreGauge';

/** Score, band, probability of default and policy outcome, with the model that produced them. */
export function ScoreSummary({ score }: { score: ScoreView }) {
  const cutOffs = score.policyCutOffs;
  const marks = [
    ...(cutOffs
      ? [
          { score: cutOffs.declineBelow, label: 'Decline below' },
          { score: cutOffs.approveAtOrAbove, label: 'Approval from' },
        ]
      : []),
    ...score.plan.targets
      .filter((target) => target.kind === 'next-band' || cutOffs === undefined)
      .map((target) => ({
        score: target.minScore,
        label: target.kind === 'approval' ? 'Approval from' : `Band ${target.band} from`,
      })),
  ];
  return (
    <Card component="section" aria-labelledby="score-title" data-testid="score-summary">
      <Stack gap="sm">
        <Title order={2} size="h4" id="score-title">
          Score
        </Title>
        <Group align="center" gap="xl" wrap="wrap">
          <ScoreGauge score={score.score} marks={marks} color={OUTCOME_COLORS[score.outcome]} />
          <Stack gap={6}>
            <Group gap="xs">
              <Badge size="xl" variant="filled" data-testid="score-band">
                Band {score.band}
              </Badge>
              <Badge size="xl" variant="light" color={OUTCOME_COLORS[score.outcome]} data-testid="policy-outcome">
                Policy: {OUTCOME_LABELS[score.outcome]}
              </Badge>
            </Group>
            <Text size="sm">
              Probability of default <strong>{formatPercent(score.probabilityOfDefault)}</strong>
            </Text>
            <Text size="sm" data-testid="score-value">
              Score <strong>{score.score}</strong>
            </Text>
          </Stack>
        </Group>
        <DataList labelWidth={120} withDivider size="sm">
          <DataList.Item>
            <DataList.ItemLabel c="dimmed">Model</DataList.ItemLabel>
            <DataList.ItemValue>
              <Group gap="xs">
                <Text size="sm">Version {score.modelVersion}</Text>
                <HashValue value={score.modelHash} label="model hash" />
              </Group>
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel c="dimmed">Policy</DataList.ItemLabel>
            <DataList.ItemValue>{score.policyVersion}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel c="dimmed">Scored</DataList.ItemLabel>
            <DataList.ItemValue>
              {formatDateTime(score.createdAt)} ·{' '}
              <Text span ff="monospace" size="sm">
                {score.scoreId}
              </Text>
            </DataList.ItemValue>
          </DataList.Item>
        </DataList>
      </Stack>
    </Card>
  );
}
