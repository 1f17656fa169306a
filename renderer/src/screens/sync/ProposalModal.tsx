/** One proposal: who proposed what, the diff against what is in force, and the second administrator's decision. */
import { Alert, Badge, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { PROPOSAL_KIND_LABELS, type ProposalView } from '../../../../shared/sync/proposals';
import { useAuth } from '../../auth';
import { formatDateTime } from '../../format';
import { DiffTable } from './DiffTable';
import { ProposalDecision } from './ProposalDecision';
import { adminName, PROPOSAL_STATUS, roleLabel } from './proposal-labels';
import { RelativeTime } from './RelativeTime';

function resultText(result: Record<string, unknown>): string {
  return Object.entries(result)
    .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(' · ');
}

function Decided({ proposal }: { proposal: ProposalView }) {
  const approved = proposal.status === 'approved';
  const result = proposal.result === null ? '' : resultText(proposal.result);
  return (
    <Alert
      color={approved ? 'teal' : 'gray'}
      variant="light"
      title={`${approved ? 'Approved' : 'Rejected'} by ${adminName(proposal.decidedByName, proposal.decidedBy)}`}
      data-testid="proposal-decision"
    >
      <Stack gap={4}>
        <Text size="sm">“{proposal.decisionReason ?? ''}”</Text>
        <Text size="xs" c="dimmed">
          {proposal.decidedAt === null ? null : formatDateTime(proposal.decidedAt)}
          {result === '' ? null : (
            <>
              {' · '}
              <Code fz="xs">{result}</Code>
            </>
          )}
        </Text>
      </Stack>
    </Alert>
  );
}

export interface ProposalModalProps {
  /** The proposal shown; the modal is open while set */
  proposal: ProposalView | null;
  /** Why the signed-in administrator may not decide it; null when they may */
  blocker: string | null;
  onClose(): void;
  onDecided(proposal: ProposalView): void;
}

export function ProposalModal({ proposal, blocker, onClose, onDecided }: ProposalModalProps) {
  const { phase } = useAuth();
  return (
    <Modal
      opened={proposal !== null && phase === 'ready'}
      onClose={onClose}
      title={proposal ? `Proposal #${proposal.id}: ${proposal.title}` : ''}
      centered
      size="xl"
    >
      {proposal ? (
        <Stack gap="md" data-testid="proposal-detail" data-proposal-id={proposal.id} data-status={proposal.status}>
          <Group gap="xs" wrap="wrap">
            <Badge variant="light">{PROPOSAL_KIND_LABELS[proposal.kind]}</Badge>
            <Badge variant="light" color={PROPOSAL_STATUS[proposal.status].color}>
              {PROPOSAL_STATUS[proposal.status].text}
            </Badge>
            <Text size="sm" c="dimmed">
              Proposed by <strong>{adminName(proposal.proposedByName, proposal.proposedBy)}</strong>{' '}
              <RelativeTime iso={proposal.proposedAt} /> · needs a second{' '}
              {roleLabel(proposal.approverRole).toLowerCase()}
            </Text>
          </Group>
          <DiffTable diff={proposal.diff} />
          {proposal.status === 'pending' ? (
            <ProposalDecision key={proposal.id} proposal={proposal} blocker={blocker} onDecided={onDecided} />
          ) : (
            <Decided proposal={proposal} />
          )}
        </Stack>
      ) : null}
    </Modal>
  );
}
