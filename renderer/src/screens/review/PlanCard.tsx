import { Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ImprovementPlanView } from '../../../../shared/ipc/scoring';
import { featureLabel } from '../../features';
import { formatDate } from '../../format';
import { formatStepValue, stepInWords } from './plan-text';
import { HORIZON_LABELS, OUTCOME_LABELS, formatPoints } from './review-labels';

type Target = ImprovementPlanView['targets'][number];

function TargetPlan({ target }: { target: Target }) {
  const title = target.kind === 'approval' ? 'To reach approval' : `To reach band ${target.band}`;
  return (
    <Card withBorder padding="md" data-target={target.kind}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600}>{title}</Text>
          {target.reachable ? (
            <Badge variant="light" color="teal">
              {target.horizon ? `Within ${HORIZON_LABELS[target.horizon]}` : 'Reachable'}
            </Badge>
          ) : (
            <Badge variant="light" color="gray">
              Not reachable within 12 months
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          Needs a score of {target.minScore}.{' '}
          {target.reachable
            ? `With these steps: ${target.projectedScore} (band ${target.projectedBand}, policy: ${OUTCOME_LABELS[target.projectedOutcome]}).`
            : ''}
        </Text>
        {target.steps.length > 0 ? (
          <Table highlightOnHover={false} aria-label={title}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Step</Table.Th>
                <Table.Th>From → to</Table.Th>
                <Table.Th>What it means</Table.Th>
                <Table.Th ta="right">Points</Table.Th>
                <Table.Th>Horizon</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {target.steps.map((step, index) => (
                <Table.Tr key={step.feature} data-feature={step.feature}>
                  <Table.Td fz="sm">
                    {index + 1}. {featureLabel(step.feature)}
                  </Table.Td>
                  <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                    {formatStepValue(step.feature, step.from)} →{' '}
                    <strong>{formatStepValue(step.feature, step.to)}</strong>
                  </Table.Td>
                  <Table.Td fz="sm" data-testid="step-in-words">
                    {stepInWords(step) ?? '—'}
                  </Table.Td>
                  <Table.Td fz="sm" ta="right" c="teal" ff="monospace">
                    {formatPoints(step.gainPoints)}
                  </Table.Td>
                  <Table.Td fz="sm">{HORIZON_LABELS[step.horizon]}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : target.reachable ? (
          <Text size="sm">Already reached.</Text>
        ) : null}
      </Stack>
    </Card>
  );
}

/** The smallest realistic changes that reach the next band and approval. */
export function PlanCard({ plan }: { plan: ImprovementPlanView }) {
  return (
    <Card component="section" aria-labelledby="plan-title" data-testid="improvement-plan">
      <Stack gap="sm">
        <div>
          <Title order={2} size="h4" id="plan-title">
            Improvement plan
          </Title>
          <Text size="sm" c="dimmed">
            Valid until {formatDate(plan.validUntil)}. Only factors the applicant can act on are moved, and only by
            steps worth at least 1 point that a person can make (at least 1 percentage point of a share, KES 100 of an
            amount, one whole bill, loan or month). Amounts use the applicant's own monthly inflow.
          </Text>
        </div>
        {plan.targets.length === 0 ? (
          <Text size="sm">The applicant is already in the best band.</Text>
        ) : (
          <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
            {plan.targets.map((target) => (
              <TargetPlan key={target.kind} target={target} />
            ))}
          </SimpleGrid>
        )}
      </Stack>
    </Card>
  );
}
