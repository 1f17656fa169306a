/**
 * Proposes promoting the challenger a release carries: a new model release whose champion is that challenger's
 * package, bytes unchanged. A second release manager approves it, as any model release.
 */
import { Code, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { ModelReleaseSummary } from '../../../../shared/sync/fleet';
import { useAuth } from '../../auth';
import { useNexisMutation } from '../../hooks';
import { versionRule } from './console-rules';
import { proposedMessage } from './proposal-labels';
import { ReviewFormActions } from './ReviewFormActions';
import { ReviewStep } from './ReviewStep';

export interface PromoteChallengerModalProps {
  /** The release whose challenger is promoted; null: closed. */
  release: ModelReleaseSummary | null;
  onClose(): void;
}

export function PromoteChallengerModal({ release, onClose }: PromoteChallengerModalProps) {
  const { phase } = useAuth();
  const [reviewing, setReviewing] = useState<string | null>(null);
  const form = useForm<{ version: string }>({
    initialValues: { version: '' },
    validate: { version: versionRule },
    transformValues: (values) => ({ version: values.version.trim() }),
  });
  const promote = useNexisMutation('console:promoteChallenger', {
    successMessage: (sent) => proposedMessage(sent.proposal),
  });

  const close = (): void => {
    form.reset();
    setReviewing(null);
    onClose();
  };

  const confirm = async (from: string, version: string): Promise<void> => {
    const result = await promote.run({ version, from });
    if (result.ok) {
      close();
    }
  };

  return (
    <Modal opened={release !== null && phase === 'ready'} onClose={close} title="Promote challenger" centered size="lg">
      {release === null ? null : reviewing !== null ? (
        <ReviewStep
          confirmLabel="Propose promotion"
          pending={promote.pending}
          onBack={() => setReviewing(null)}
          onConfirm={() => void confirm(release.version, reviewing)}
        >
          <Text size="sm">
            Model <Code>{release.challengerVersion ?? ''}</Code>, scored in shadow by release{' '}
            <Code>{release.version}</Code>, is proposed as release <Code>{reviewing}</Code>, where it decides. Once a
            second release manager approves, every branch verifies the bank&apos;s signature again, installs it and
            keeps its current release to roll back to. The new release carries no challenger.
          </Text>
        </ReviewStep>
      ) : (
        <form onSubmit={form.onSubmit(({ version }) => setReviewing(version))} noValidate>
          <Stack gap="md">
            <Text size="sm">
              Release <Code>{release.version}</Code> carries challenger model{' '}
              <Code>{release.challengerVersion ?? ''}</Code>. Compare the two on the Model monitoring panel before
              promoting it.
            </Text>
            <TextInput
              label="New release version"
              description="The release name branches will show, e.g. 2026.12-2"
              data-autofocus
              withAsterisk
              {...form.getInputProps('version')}
            />
            <ReviewFormActions onCancel={close} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
