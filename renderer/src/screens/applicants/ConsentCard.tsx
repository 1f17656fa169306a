import { Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import type { ConsentPurpose } from '../../../../shared/domain/consent';
import type { ApplicantDetail, PurposeState } from '../../../../shared/ipc/applicants';
import { canCall, useSession } from '../../auth';
import { formatDateTime } from '../../format';
import { useNexisMutation } from '../../hooks';
import { LANGUAGE_LABELS, purposeLabel } from './applicant-labels';

export interface ConsentCardProps {
  detail: ApplicantDetail;
  onOpenReceipt(receiptId: string): void;
}

function stateOf(purpose: PurposeState): { text: string; color: string } {
  if (purpose.active) {
    return { text: 'Granted', color: 'teal' };
  }
  return purpose.granted ? { text: 'Withdrawn', color: 'red' } : { text: 'Declined', color: 'gray' };
}

/** Consent per purpose, withdrawal (effective at once), and the signed receipts. */
export function ConsentCard({ detail, onOpenReceipt }: ConsentCardProps) {
  const { officer } = useSession();
  const mayWithdraw = detail.status === 'active' && canCall(officer.role, 'consent:withdraw');
  const withdraw = useNexisMutation('consent:withdraw', {
    successMessage: 'Consent withdrawn. It takes effect immediately.',
  });

  const confirmWithdraw = (purpose: ConsentPurpose): void => {
    modals.openConfirmModal({
      title: 'Withdraw this consent?',
      centered: true,
      children: (
        <Stack gap="xs">
          <Text size="sm">
            <strong>{purposeLabel(purpose)}</strong> stops at once for {detail.applicantId}.
          </Text>
          {purpose === 'credit-scoring' ? (
            <Text size="sm">The applicant can then no longer be scored and no behavioural data can be captured.</Text>
          ) : null}
          <Text size="sm" c="dimmed">
            A withdrawal cannot be undone here: the applicant would have to give consent again.
          </Text>
        </Stack>
      ),
      labels: { confirm: 'Withdraw consent', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () => {
        // The applicant's page and receipts are read again by the query cache (api/invalidation.ts).
        void withdraw.run({ applicantId: detail.applicantId, purpose });
      },
    });
  };

  return (
    <Card component="section" aria-labelledby="consent-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="consent-title">
          Consent
        </Title>
        <Table aria-label="Consent per purpose" highlightOnHover={false}>
          <Table.Tbody>
            {detail.purposes.map((purpose) => {
              const state = stateOf(purpose);
              return (
                <Table.Tr key={purpose.purpose} data-purpose={purpose.purpose} data-active={purpose.active}>
                  <Table.Td fz="sm">
                    {purposeLabel(purpose.purpose)}
                    <Text size="xs" c="dimmed">
                      since {formatDateTime(purpose.changedAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td w={110}>
                    <Badge variant="light" color={state.color}>
                      {state.text}
                    </Badge>
                  </Table.Td>
                  <Table.Td w={110} ta="right">
                    {mayWithdraw && purpose.active ? (
                      <Button
                        variant="subtle"
                        color="red"
                        size="compact-sm"
                        onClick={() => confirmWithdraw(purpose.purpose)}
                        aria-label={`Withdraw ${purposeLabel(purpose.purpose)}`}
                      >
                        Withdraw
                      </Button>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        <Text size="sm" fw={500}>
          Receipts
        </Text>
        <Group gap="xs">
          {detail.receipts.map((receipt) => (
            <Button
              key={receipt.receiptId}
              variant="light"
              size="compact-sm"
              onClick={() => onOpenReceipt(receipt.receiptId)}
              title={`${formatDateTime(receipt.createdAt)} · ${LANGUAGE_LABELS[receipt.language]}`}
            >
              {receipt.receiptId}
            </Button>
          ))}
        </Group>
      </Stack>
    </Card>
  );
}
