/** Approve or reject a proposal: a choice with nothing preselected, then a reason and an explicit confirmation. */
import { Alert, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ProposalDecisionSchema, type ProposalView } from '../../../../shared/sync/proposals';
import { fromSchema } from '../../components/form-rules';
import { IconAlert, IconCheck, IconTrash } from '../../components/icons';
import { notifySuccess } from '../../errors';
import { APPROVAL_EFFECT, roleLabel } from './proposal-labels';
import { useInlineCall } from './use-inline-call';

type Decision = 'approve' | 'reject';

const reasonRule = fromSchema(ProposalDecisionSchema.shape.reason);

export interface ProposalDecisionProps {
  proposal: ProposalView;
  /** Why this administrator may not decide (the proposer, or without the role); null when they may */
  blocker: string | null;
  onDecided(proposal: ProposalView): void;
}

export function ProposalDecision({ proposal, blocker, onDecided }: ProposalDecisionProps) {
  const [choice, setChoice] = useState<Decision | null>(null);
  const form = useForm<{ reason: string }>({ initialValues: { reason: '' }, validate: { reason: reasonRule } });
  const decide = useInlineCall('console:decide');

  const submit = form.onSubmit(async ({ reason }) => {
    if (choice === null) {
      return;
    }
    const result = await decide.run({ proposalId: proposal.id, decision: choice, reason: reason.trim() });
    if (result.ok) {
      notifySuccess(
        choice === 'approve'
          ? `Approved: ${proposal.title} takes effect now.`
          : `Rejected: ${proposal.title}. Nothing was changed.`,
        choice === 'approve' ? 'Proposal approved' : 'Proposal rejected',
      );
      onDecided(result.value);
    }
  });

  if (choice === null) {
    return (
      <Stack gap="sm" data-step="choose">
        {blocker !== null ? (
          <Alert color="gray" variant="light" icon={<IconAlert />} title="You cannot decide this one" role="note">
            {blocker}
          </Alert>
        ) : (
          <Text size="sm" c="dimmed">
            As a second {roleLabel(proposal.approverRole).toLowerCase()}, approve it to make it take effect, or reject
            it. Either way you give a reason, which the central audit keeps.
          </Text>
        )}
        <Group justify="flex-end" gap="sm">
          <Button
            variant="light"
            color="red"
            leftSection={<IconTrash size={16} />}
            disabled={blocker !== null}
            onClick={() => setChoice('reject')}
          >
            Reject…
          </Button>
          <Button
            variant="light"
            color="teal"
            leftSection={<IconCheck size={16} />}
            disabled={blocker !== null}
            onClick={() => setChoice('approve')}
          >
            Approve…
          </Button>
        </Group>
      </Stack>
    );
  }

  const approve = choice === 'approve';
  return (
    <form onSubmit={submit} noValidate aria-label={approve ? 'Approve the proposal' : 'Reject the proposal'}>
      <Stack gap="md" data-step="confirm">
        <Alert
          color={approve ? 'yellow' : 'gray'}
          variant="light"
          icon={<IconAlert />}
          title={approve ? 'Check before you approve' : 'Reject this proposal?'}
        >
          {approve
            ? APPROVAL_EFFECT[proposal.kind]
            : `Nothing changes; ${proposal.proposedByName ?? 'the proposer'} sees your reason and can propose again.`}
        </Alert>
        {decide.error !== null ? (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Not decided" role="alert">
            {decide.error}
          </Alert>
        ) : null}
        <Textarea
          label={approve ? 'Why you approve it' : 'Why you reject it'}
          description="Kept in the central audit chain with your name. No personal data."
          autosize
          minRows={2}
          maxRows={6}
          maxLength={500}
          withAsterisk
          autoFocus
          {...form.getInputProps('reason')}
        />
        <Group justify="flex-end" gap="sm">
          <Button
            variant="default"
            disabled={decide.pending}
            onClick={() => {
              decide.clearError();
              setChoice(null);
            }}
          >
            Back
          </Button>
          <Button type="submit" color={approve ? 'teal' : 'red'} loading={decide.pending}>
            {approve ? 'Approve proposal' : 'Reject proposal'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
