/** Proposes a new rollout percentage for the app release a channel offers: the percentage, a review, the proposal. */
import { Code, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { AppUpdateOffer } from '../../../../shared/sync/app-updates';
import type { UpdateChannel } from '../../../../shared/sync/release-bodies';
import { useAuth } from '../../auth';
import { useNexisMutation } from '../../hooks';
import { proposedMessage } from './proposal-labels';
import { rolloutRule, rolloutValue } from './PublishAppReleaseModal';
import { ReviewFormActions } from './ReviewFormActions';
import { ReviewStep } from './ReviewStep';

export interface RolloutModalProps {
  /** The channel and the release it offers; null: closed */
  target: { channel: UpdateChannel; offer: AppUpdateOffer } | null;
  onClose(): void;
}

export function RolloutModal({ target, onClose }: RolloutModalProps) {
  const { phase } = useAuth();
  const [reviewing, setReviewing] = useState<number | null>(null);
  const form = useForm<{ rollout: string }>({ initialValues: { rollout: '' }, validate: { rollout: rolloutRule } });
  const change = useNexisMutation('console:changeRollout', {
    successMessage: (sent) => proposedMessage(sent.proposal),
  });

  const close = (): void => {
    form.reset();
    setReviewing(null);
    onClose();
  };

  const confirm = async (rolloutPercent: number): Promise<void> => {
    if (target === null) {
      return;
    }
    const result = await change.run({
      channel: target.channel,
      version: target.offer.signed.release.version,
      rolloutPercent,
    });
    if (result.ok) {
      close();
    }
  };

  const submit = form.onSubmit(({ rollout }) => setReviewing(rolloutValue(rollout)));

  return (
    <Modal opened={target !== null && phase === 'ready'} onClose={close} title="Change rollout" centered>
      {target === null ? null : reviewing !== null ? (
        <ReviewStep
          confirmLabel="Propose rollout"
          pending={change.pending}
          onBack={() => setReviewing(null)}
          onConfirm={() => void confirm(reviewing)}
        >
          <Text size="sm">
            Once a second release manager approves, app <Code>{target.offer.signed.release.version}</Code> is offered to{' '}
            <strong>{reviewing} %</strong> of the <strong>{target.channel}</strong> channel's workstations (now{' '}
            {target.offer.rolloutPercent} %). Lowering it stops further installs; workstations already updated keep the
            release.
          </Text>
        </ReviewStep>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Text size="sm">
              App <Code>{target.offer.signed.release.version}</Code> on the <strong>{target.channel}</strong> channel,
              offered to {target.offer.rolloutPercent} % of its workstations.
            </Text>
            <TextInput
              label="New rollout (%)"
              description="Share of the channel's workstations (by device id) that install it"
              inputMode="numeric"
              placeholder={String(target.offer.rolloutPercent)}
              data-autofocus
              withAsterisk
              {...form.getInputProps('rollout')}
            />
            <ReviewFormActions onCancel={close} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
