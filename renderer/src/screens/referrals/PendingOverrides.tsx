/**
 * Overrides waiting for a second supervisor (four eyes): an officer decided approve where the policy said refer or
 * decline, and the approval is not in force until another supervisor approves it. Shown above the referrals, with
 * what a supervisor needs to judge each: the policy outcome, the decision asked for, who asked and why.
 */
import { Badge, Button, Card, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { OVERRIDE_REASON_LABELS } from '../../../../shared/domain/decisions';
import type { PendingReferralView } from '../../../../shared/ipc/scoring';
import { useSession } from '../../auth';
import { formatDateTime } from '../../format';
import { useOfficerLabel } from '../applicants/use-officer-label';
import { DECISION_LABELS, OUTCOME_COLORS, OUTCOME_LABELS } from '../review/review-labels';
import { ApplicantLink } from './ApplicantLink';
import { loanText, waitedFor } from './referral-text';
import { useNow } from './use-now';

export interface PendingOverridesProps {
  /** The overrides waiting, oldest first. */
  overrides: readonly PendingReferralView[];
  onOpen(applicantId: string): void;
  onDecide(override: PendingReferralView): void;
}

/** Nothing is drawn when no override waits: the referrals below stay the screen's subject. */
export function PendingOverrides({ overrides, onOpen, onDecide }: PendingOverridesProps) {
  const { officer } = useSession();
  const officerLabel = useOfficerLabel();
  const now = useNow();
  if (overrides.length === 0) {
    return null;
  }
  return (
    <Card p={0} component="section" aria-labelledby="pending-overrides-title">
      <Stack gap={4} p="md" pb="xs">
        <Title order={2} size="h4" id="pending-overrides-title">
          Overrides awaiting approval
        </Title>
        <Text size="sm" c="dimmed">
          Approvals above the policy outcome. They take effect only when a supervisor other than the one who asked
          approves them; a rejection lets the policy outcome stand.
        </Text>
      </Stack>
      <Table.ScrollContainer minWidth={960}>
        <Table aria-label="Overrides awaiting approval">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Applicant</Table.Th>
              <Table.Th>Score and loan</Table.Th>
              <Table.Th>Policy → requested</Table.Th>
              <Table.Th>Override reason</Table.Th>
              <Table.Th>Asked by</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {overrides.map((o) => {
              const own = o.officerId === officer.id;
              return (
                <Table.Tr key={o.decisionId} data-decision={o.decisionId}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <ApplicantLink applicantId={o.applicantId} onOpen={onOpen} />
                  </Table.Td>
                  <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                    <strong>{o.score}</strong> · band {o.band}
                    <Text size="xs" c="dimmed">
                      {loanText(o.requestedAmount, o.termMonths)}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Group gap={4} wrap="nowrap">
                      <Badge variant="light" color={OUTCOME_COLORS[o.policyOutcome]} data-testid="override-policy">
                        {OUTCOME_LABELS[o.policyOutcome]}
                      </Badge>
                      <Text span size="sm" aria-hidden>
                        →
                      </Text>
                      <Badge variant="filled" color={OUTCOME_COLORS[o.decision]} data-testid="override-requested">
                        {DECISION_LABELS[o.decision]}
                      </Badge>
                    </Group>
                  </Table.Td>
                  <Table.Td fz="sm" data-testid="override-reason">
                    <Text size="sm" lineClamp={3}>
                      {o.override ? OVERRIDE_REASON_LABELS[o.override.reason] : '—'}
                      {o.override?.note ? ` — “${o.override.note}”` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                    {officerLabel(o.officerId)}
                    <Tooltip label={`Asked ${formatDateTime(o.createdAt)}`}>
                      <Text size="xs" c="dimmed" data-testid="override-waiting">
                        waiting {waitedFor(o.createdAt, now)}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td ta="right">
                    {own ? (
                      <Text size="xs" c="dimmed" data-testid="override-own">
                        Your override: another supervisor decides it.
                      </Text>
                    ) : (
                      <Button
                        size="compact-sm"
                        onClick={() => onDecide(o)}
                        aria-label={`Approve or reject ${o.decisionId}`}
                      >
                        Decide
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
