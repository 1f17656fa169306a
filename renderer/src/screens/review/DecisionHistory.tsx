import { Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { OVERRIDE_REASON_LABELS } from '../../../../shared/domain/decisions';
import type { DecisionView } from '../../../../shared/ipc/scoring';
import { canCall, useSession } from '../../auth';
import { IconDownload } from '../../components/icons';
import { downloadBase64 } from '../../files';
import { notifications } from '@mantine/notifications';
import { notifySuccess } from '../../errors';
import { formatDateTime, shortHash } from '../../format';
import { useNexisMutation } from '../../hooks';
import { DECISION_LABELS, OUTCOME_COLORS, OUTCOME_LABELS, reasonCodeLabel } from './review-labels';

export interface DecisionHistoryProps {
  decisions: readonly DecisionView[];
  officerLabel(id: string): string;
  /** Offered on decisions that may be corrected (current, not a referral, on the latest score) */
  canCorrect?(decision: DecisionView): boolean;
  onCorrect?(decision: DecisionView): void;
}

const KIND_LABELS: Record<DecisionView['kind'], string> = {
  initial: 'Decision',
  review: 'Supervisor review',
  correction: 'Correction',
  'override-approval': 'Override approved',
  'override-rejection': 'Override rejected',
};

/**
 * Every decision on the applicant, newest first; the current one has the applicant's letter, unless it is an override
 * still waiting for a second supervisor (four eyes): that is no approval yet, so it has no letter.
 */
export function DecisionHistory({ decisions, officerLabel, canCorrect, onCorrect }: DecisionHistoryProps) {
  const { officer } = useSession();
  const mayPrint = canCall(officer.role, 'letters:applicant');
  const mayFile = canCall(officer.role, 'letters:bankCopy');
  const mayReplay = canCall(officer.role, 'decisions:replay');
  const replay = useNexisMutation('decisions:replay');

  const runReplay = async (decisionId: string): Promise<void> => {
    const result = await replay.run({ decisionId });
    if (!result.ok) {
      return;
    }
    const report = result.value;
    if (report.reproduced) {
      notifySuccess(
        `Score ${report.replayed.score} (band ${report.replayed.band}) reproduced exactly with model ${shortHash(report.modelHash)}.`,
        'Replay: reproduced',
      );
    } else {
      notifications.show({
        color: 'red',
        title: 'Replay: NOT reproduced',
        message: report.differences.join('; '),
        autoClose: false,
        withBorder: true,
      });
    }
  };
  const letter = useNexisMutation('letters:applicant', {
    successMessage: (pdf) =>
      `Letter downloaded (${pdf.pages} page${pdf.pages === 1 ? '' : 's'}, ${pdf.language === 'sw' ? 'Kiswahili' : 'English'}).`,
  });

  const download = async (decisionId: string): Promise<void> => {
    const result = await letter.run({ decisionId });
    if (result.ok) {
      downloadBase64(result.value.fileName, result.value.pdfBase64, 'application/pdf');
    }
  };
  // The replay record for the bank's file: kept out of the applicant's letter.
  const bankCopy = useNexisMutation('letters:bankCopy', { successMessage: () => 'Bank copy downloaded.' });
  const downloadBankCopy = async (decisionId: string): Promise<void> => {
    const result = await bankCopy.run({ decisionId });
    if (result.ok) {
      downloadBase64(result.value.fileName, result.value.pdfBase64, 'application/pdf');
    }
  };

  return (
    <Card component="section" aria-labelledby="decisions-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="decisions-title">
          Decision history
        </Title>
        {decisions.length === 0 ? (
          <Text size="sm" c="dimmed">
            No decision yet.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table aria-label="Decisions" highlightOnHover={false} verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Decision</Table.Th>
                  <Table.Th>Reasons</Table.Th>
                  <Table.Th>Officer</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {decisions.map((d) => (
                  <Table.Tr
                    key={d.decisionId}
                    data-decision-id={d.decisionId}
                    data-superseded={d.supersededBy !== null}
                  >
                    <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(d.createdAt)}
                      <Text size="xs" c="dimmed">
                        {KIND_LABELS[d.kind]}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6}>
                        <Badge variant="filled" color={OUTCOME_COLORS[d.decision]}>
                          {DECISION_LABELS[d.decision]}
                        </Badge>
                        <Text size="xs" c="dimmed">
                          policy: {OUTCOME_LABELS[d.policyOutcome]}
                        </Text>
                        {d.override ? (
                          <Badge variant="light" color="orange">
                            Override
                          </Badge>
                        ) : null}
                        {d.awaitingApproval ? (
                          <Badge variant="light" color="yellow" data-testid="awaiting-approval">
                            Awaiting second approval
                          </Badge>
                        ) : null}
                        {d.supersededBy ? (
                          <Badge variant="light" color="gray">
                            Superseded
                          </Badge>
                        ) : null}
                      </Group>
                      {d.override ? (
                        <Text size="xs" mt={4}>
                          {OVERRIDE_REASON_LABELS[d.override.reason]}
                          {d.override.note ? ` — “${d.override.note}”` : ''}
                        </Text>
                      ) : null}
                      {d.fourEyes === 'approved' || d.fourEyes === 'rejected' ? (
                        <Text size="xs" mt={4} data-testid="verdict-note">
                          Supervisor’s reason{d.note ? `: “${d.note}”` : ': —'}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td fz="sm">
                      {d.reasonCodes.length === 0 ? '—' : d.reasonCodes.map((code) => reasonCodeLabel(code)).join('; ')}
                    </Table.Td>
                    <Table.Td fz="sm">{officerLabel(d.officerId)}</Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        {onCorrect && canCorrect?.(d) ? (
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            onClick={() => onCorrect(d)}
                            aria-label={`Correct ${d.decisionId}`}
                          >
                            Correct
                          </Button>
                        ) : null}
                        {mayReplay ? (
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            loading={replay.pending}
                            onClick={() => void runReplay(d.decisionId)}
                            aria-label={`Replay ${d.decisionId}`}
                          >
                            Replay
                          </Button>
                        ) : null}
                        {mayPrint && d.supersededBy === null && !d.awaitingApproval ? (
                          <Button
                            size="compact-sm"
                            variant="light"
                            leftSection={<IconDownload size={14} />}
                            loading={letter.pending}
                            onClick={() => void download(d.decisionId)}
                          >
                            Download letter (PDF)
                          </Button>
                        ) : null}
                        {mayFile && d.supersededBy === null && !d.awaitingApproval ? (
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            leftSection={<IconDownload size={14} />}
                            loading={bankCopy.pending}
                            onClick={() => void downloadBankCopy(d.decisionId)}
                            aria-label={`Bank copy of ${d.decisionId}`}
                          >
                            Bank copy
                          </Button>
                        ) : null}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  );
}
