/** Four-eyes proposals: what waits for a second administrator (from the overview), and optionally what was decided. */
import {
  Badge,
  Box,
  Button,
  Card,
  EmptyState,
  SegmentedControl,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { useState } from 'react';
import type { ConsoleOverview } from '../../../../shared/ipc/sync';
import { PROPOSAL_KIND_LABELS, type ProposalView } from '../../../../shared/sync/proposals';
import { IconCheck } from '../../components/icons';
import { useNexisQuery } from '../../hooks';
import { CardTitle } from './ConsoleHeadings';
import { ProposalModal } from './ProposalModal';
import { adminName, decisionBlocker, PROPOSAL_STATUS, roleLabel } from './proposal-labels';
import { RelativeTime } from './RelativeTime';
import { plural } from './sync-labels';

type View = 'pending' | 'decided';

function ProposalsTable({
  proposals,
  view,
  myId,
  onOpen,
}: {
  proposals: readonly ProposalView[];
  view: View;
  myId: string;
  onOpen(proposal: ProposalView): void;
}) {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table
        aria-label={view === 'pending' ? 'Pending proposals' : 'Decided proposals'}
        verticalSpacing="sm"
        horizontalSpacing="lg"
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Proposal</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Proposed by</Table.Th>
            {view === 'pending' ? <Table.Th>Needs a second</Table.Th> : <Table.Th>Decision</Table.Th>}
            <Table.Th ta="right">
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {proposals.map((proposal) => {
            const mine = proposal.proposedBy === myId;
            return (
              <Table.Tr key={proposal.id} data-proposal-id={proposal.id} data-status={proposal.status}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {proposal.title}
                  </Text>
                  <Text size="xs" c="dimmed">
                    #{proposal.id}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" style={{ whiteSpace: 'nowrap' }}>
                    {PROPOSAL_KIND_LABELS[proposal.kind]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {adminName(proposal.proposedByName, proposal.proposedBy)}
                    {mine ? (
                      <Text span size="sm" c="dimmed">
                        {' '}
                        (you)
                      </Text>
                    ) : null}
                  </Text>
                  <RelativeTime iso={proposal.proposedAt} />
                </Table.Td>
                <Table.Td>
                  {view === 'pending' ? (
                    <Text size="sm">{roleLabel(proposal.approverRole)}</Text>
                  ) : (
                    <>
                      <Badge variant="light" color={PROPOSAL_STATUS[proposal.status].color}>
                        {PROPOSAL_STATUS[proposal.status].text}
                      </Badge>
                      <Text size="xs" c="dimmed" mt={2}>
                        by {adminName(proposal.decidedByName, proposal.decidedBy)}
                        {proposal.decidedAt === null ? null : (
                          <>
                            {', '}
                            <RelativeTime iso={proposal.decidedAt} />
                          </>
                        )}
                      </Text>
                    </>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="xs"
                    variant={view === 'pending' && !mine ? 'light' : 'default'}
                    onClick={() => onOpen(proposal)}
                    aria-label={`Open proposal #${proposal.id}`}
                  >
                    {view === 'pending' && !mine ? 'Review' : 'Open'}
                  </Button>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export interface ProposalsPanelProps {
  /** Pending proposals, as the overview read them */
  pending: readonly ProposalView[];
  admin: ConsoleOverview['admin'];
}

export function ProposalsPanel({ pending, admin }: ProposalsPanelProps) {
  const [view, setView] = useState<View>('pending');
  const [open, setOpen] = useState<ProposalView | null>(null);
  const all = useNexisQuery('console:proposals', {}, view === 'decided');
  const decided = (all.data ?? [])
    .filter((p) => p.status !== 'pending')
    .sort((a, b) => (b.decidedAt ?? '').localeCompare(a.decidedAt ?? ''));
  const shown = view === 'pending' ? pending : decided;

  return (
    <Card component="section" aria-labelledby="proposals-title" p={0} data-testid="proposals-panel">
      <Box px="lg" pt="lg" pb="xs">
        <CardTitle
          id="proposals-title"
          title="Proposals"
          description={
            pending.length === 0
              ? 'Releases, revocations and bank-wide erasures take effect only when a second administrator with the same role approves them.'
              : `${plural(pending.length, 'proposal')} waiting for a second administrator. Nothing reaches the branches before it is approved.`
          }
          actions={
            <SegmentedControl
              size="xs"
              aria-label="Which proposals"
              value={view}
              onChange={(value) => setView(value === 'decided' ? 'decided' : 'pending')}
              data={[
                { value: 'pending', label: `Pending (${pending.length})` },
                { value: 'decided', label: 'Decided' },
              ]}
            />
          }
        />
      </Box>
      {shown.length === 0 ? (
        <EmptyState
          pt="xs"
          pb="lg"
          icon={<IconCheck size={24} />}
          title={
            view === 'pending' ? 'Nothing waiting for a decision' : all.loading ? 'Loading…' : 'Nothing decided yet'
          }
          description={
            view === 'pending'
              ? 'A policy or model release, a device revocation or an erasure request shows here until it is decided.'
              : 'Approved and rejected proposals are listed here with the reason given.'
          }
        />
      ) : (
        <Stack gap={0} pb="xs">
          <ProposalsTable proposals={shown} view={view} myId={admin.adminId} onOpen={setOpen} />
        </Stack>
      )}
      <ProposalModal
        proposal={open}
        blocker={open === null ? null : decisionBlocker(open, admin)}
        onClose={() => setOpen(null)}
        onDecided={() => setOpen(null)}
      />
    </Card>
  );
}
