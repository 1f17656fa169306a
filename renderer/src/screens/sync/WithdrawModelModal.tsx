/** Proposes withdrawing a model release from every branch: a reason, then a confirmation that says what happens. */
import { Code, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ModelWithdrawalInputSchema, type ModelReleaseSummary } from '../../../../shared/sync/fleet';
import { useAuth } from '../../auth';
import { fromSchema } from '../../components/form-rules';
import { formatDateTime } from '../../format';
import { useNexisMutation } from '../../hooks';
import { proposedMessage } from './proposal-labels';
import { ReviewFormActions } from './ReviewFormActions';
import { ReviewStep } from './ReviewStep';

const reasonRule = fromSchema(ModelWithdrawalInputSchema.shape.reason);

export interface WithdrawModelModalProps {
  /** The release to withdraw; null: closed */
  release: ModelReleaseSummary | null;
  onClose(): void;
}

export function WithdrawModelModal({ release, onClose }: WithdrawModelModalProps) {
  const { phase } = useAuth();
  const [reviewing, setReviewing] = useState<string | null>(null);
  const form = useForm<{ reason: string }>({ initialValues: { reason: '' }, validate: { reason: reasonRule } });
  const withdraw = useNexisMutation('console:withdrawModel', {
    successMessage: (sent) => proposedMessage(sent.proposal),
  });

  const close = (): void => {
    form.reset();
    setReviewing(null);
    onClose();
  };

  const confirm = async (version: string, reason: string): Promise<void> => {
    const result = await withdraw.run({ version, reason });
    if (result.ok) {
      close();
    }
  };

  return (
    <Modal
      opened={release !== null && phase === 'ready'}
      onClose={close}
      title="Withdraw model release"
      centered
      size="lg"
    >
      {release === null ? null : reviewing !== null ? (
        <ReviewStep
          confirmLabel="Propose withdrawal"
          color="red"
          pending={withdraw.pending}
          onBack={() => setReviewing(null)}
          onConfirm={() => void confirm(release.version, reviewing)}
        >
          <Text size="sm">
            Once a second release manager approves, every branch using release <Code>{release.version}</Code> goes back
            to the release it used before (or to the package shipped with the app) with its next sync, and no branch
            installs <Code>{release.version}</Code> again. Scores already recorded keep the model they were made with.
          </Text>
        </ReviewStep>
      ) : (
        <form onSubmit={form.onSubmit(({ reason }) => setReviewing(reason.trim()))} noValidate>
          <Stack gap="md">
            <Text size="sm">
              Release <Code>{release.version}</Code>, published {formatDateTime(release.publishedAt)}.
            </Text>
            <Textarea
              label="Reason"
              description="Kept with the proposal in the central audit; it is not sent to the branches. No applicant data."
              autosize
              minRows={2}
              maxRows={5}
              data-autofocus
              withAsterisk
              {...form.getInputProps('reason')}
            />
            <ReviewFormActions onCancel={close} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
