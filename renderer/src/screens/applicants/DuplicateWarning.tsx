/**
 * Shown before registration goes on when the national id or phone number is already registered: the officer
 * chooses, explicitly, to open the existing applicant or to register a new one anyway.
 */
import { Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import type { PossibleDuplicate } from '../../../../shared/ipc/applicants';
import { formatDate } from '../../format';

export interface DuplicateWarningProps {
  matches: readonly PossibleDuplicate[];
  onOpen(applicantId: string): void;
  onContinue(): void;
  onBack(): void;
}

const MATCHED_ON = { nationalId: 'national id', phone: 'phone number' } as const;

function matchedOn(match: PossibleDuplicate): string {
  return `Same ${match.matchedOn.map((field) => MATCHED_ON[field]).join(' and ')}`;
}

export function DuplicateWarning({ matches, onOpen, onContinue, onBack }: DuplicateWarningProps) {
  const one = matches.length === 1;
  return (
    <Modal
      opened={matches.length > 0}
      onClose={onBack}
      title={one ? 'This applicant may already be registered' : 'These applicants may already be registered'}
      size={720}
      centered
    >
      <Stack gap="md">
        <Text size="sm">
          {one ? 'An applicant' : `${matches.length} applicants`} on this workstation {one ? 'has' : 'have'} the same
          national id or phone number. Open the existing applicant instead of registering the same person twice, or
          continue if this is a different person.
        </Text>
        <Table aria-label="Applicants already registered" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Applicant</Table.Th>
              <Table.Th>Matches on</Table.Th>
              <Table.Th>Registered</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {matches.map((match) => (
              <Table.Tr key={match.applicantId} data-applicant-id={match.applicantId}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {match.maskedName}
                  </Text>
                  <Text size="xs" c="dimmed" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                    {match.applicantId}
                  </Text>
                </Table.Td>
                <Table.Td fz="sm">{matchedOn(match)}</Table.Td>
                <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatDate(match.createdAt)}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-sm"
                    variant="light"
                    onClick={() => onOpen(match.applicantId)}
                    aria-label={`Open ${match.applicantId}`}
                  >
                    Open
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onBack}>
            Back to the personal data
          </Button>
          <Button onClick={onContinue}>Continue: a different person</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
