import { Code, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useAuth } from '../../auth';
import { shortHash } from '../../format';
import { useNexisMutation } from '../../hooks';
import { versionRule } from './console-rules';
import { proposedMessage } from './proposal-labels';
import { ReviewFormActions } from './ReviewFormActions';
import { ReviewStep } from './ReviewStep';

interface ModelValues {
  version: string;
  packageDir: string;
  /** Empty: no challenger. */
  challengerDir: string;
}

const folderRule = (value: string): string | null => (value.length > 1024 ? 'At most 1024 characters' : null);

export interface PublishModelModalProps {
  opened: boolean;
  onClose(): void;
}

/** A signed model package from a folder on this workstation, verified here first, then proposed for every branch. */
export function PublishModelModal({ opened, onClose }: PublishModelModalProps) {
  const { phase } = useAuth();
  const [review, setReview] = useState<ModelValues | null>(null);
  const form = useForm<ModelValues>({
    initialValues: { version: '', packageDir: '', challengerDir: '' },
    validate: {
      version: versionRule,
      packageDir: (value) => (value.trim() === '' ? 'The package folder is required' : folderRule(value)),
      challengerDir: folderRule,
    },
    transformValues: (values) => ({
      version: values.version.trim(),
      packageDir: values.packageDir.trim(),
      challengerDir: values.challengerDir.trim(),
    }),
  });
  const publish = useNexisMutation('console:publishModel', {
    successMessage: (sent) => `${proposedMessage(sent.proposal)} Model ${shortHash(sent.modelHash, 6)} verified here.`,
  });

  const close = (): void => {
    form.reset();
    setReview(null);
    onClose();
  };

  const confirm = async (values: ModelValues): Promise<void> => {
    const { challengerDir, ...rest } = values;
    const result = await publish.run(challengerDir === '' ? rest : { ...rest, challengerDir });
    if (result.ok) {
      close();
    }
  };

  return (
    <Modal opened={opened && phase === 'ready'} onClose={close} title="Publish model release" centered size="lg">
      {review ? (
        <ReviewStep
          confirmLabel="Verify and propose"
          pending={publish.pending}
          onBack={() => setReview(null)}
          onConfirm={() => void confirm(review)}
        >
          <Text size="sm">
            The package in <Code style={{ wordBreak: 'break-all' }}>{review.packageDir}</Code> is verified with the
            trusted model key and, if it passes, proposed as release <Code>{review.version}</Code>. It is published when
            a second release manager approves it; every branch verifies it again before installing it and keeps its
            current model as the one to roll back to.
          </Text>
          {review.challengerDir === '' ? null : (
            <Text size="sm">
              The challenger in <Code style={{ wordBreak: 'break-all' }}>{review.challengerDir}</Code> is verified the
              same way and travels with it: branches score every applicant with it too, in shadow. Its score is recorded
              for the comparison on the monitoring panel and never shown as a reason, a plan or a decision.
            </Text>
          )}
        </ReviewStep>
      ) : (
        <form onSubmit={form.onSubmit((values) => setReview(values))} noValidate>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              Nothing is sent unless the package's signature verifies with the trusted model key on this workstation: an
              altered or unsigned package is refused here.
            </Text>
            <TextInput
              label="Version"
              description="The release name branches will show, e.g. 2026.11-1"
              data-autofocus
              withAsterisk
              {...form.getInputProps('version')}
            />
            <TextInput
              label="Package folder"
              description="A folder on this workstation with manifest.json, model.onnx and signature.json"
              placeholder="/path/to/model-package"
              spellCheck={false}
              withAsterisk
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              {...form.getInputProps('packageDir')}
            />
            <TextInput
              label="Challenger package folder (optional)"
              description="A second signed package on the same feature specification, scored in shadow beside it"
              placeholder="/path/to/challenger-package"
              spellCheck={false}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              {...form.getInputProps('challengerDir')}
            />
            <ReviewFormActions onCancel={close} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
