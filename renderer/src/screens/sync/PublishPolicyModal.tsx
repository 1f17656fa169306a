import { Code, JsonInput, Modal, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { PolicyRelease } from '../../../../shared/sync/pull';
import { useAuth } from '../../auth';
import { useNexisMutation } from '../../hooks';
import { proposedMessage } from './proposal-labels';
import { EMPTY_POLICY, policyRules, REASON_TEXTS_EXAMPLE, toPolicyRelease, type PolicyValues } from './policy-form';
import { ReviewFormActions } from './ReviewFormActions';
import { ReviewStep } from './ReviewStep';

export interface PublishPolicyModalProps {
  opened: boolean;
  onClose(): void;
  onPublished(): void;
}

/** A policy release (score cut-offs, reason texts) for every branch: fields, a review, then a four-eyes proposal. */
export function PublishPolicyModal({ opened, onClose, onPublished }: PublishPolicyModalProps) {
  const { phase } = useAuth();
  const [review, setReview] = useState<PolicyRelease | null>(null);
  const form = useForm<PolicyValues>({ initialValues: EMPTY_POLICY, validate: policyRules });
  const publish = useNexisMutation('console:publishPolicy', {
    successMessage: (sent) => proposedMessage(sent.proposal),
  });

  const close = (): void => {
    form.reset();
    setReview(null);
    onClose();
  };

  const confirm = async (release: PolicyRelease): Promise<void> => {
    const result = await publish.run(release);
    if (result.ok) {
      onPublished();
      close();
    }
  };

  const reasonCount = review ? Object.keys(review.reasonTexts).length : 0;

  return (
    <Modal opened={opened && phase === 'ready'} onClose={close} title="Publish policy" centered size="lg">
      {review ? (
        <ReviewStep
          confirmLabel="Propose policy"
          pending={publish.pending}
          onBack={() => setReview(null)}
          onConfirm={() => void confirm(review)}
        >
          <Text size="sm">
            Policy <Code>{review.version}</Code> is proposed for every branch: approve from{' '}
            <strong>{review.cutoffs.approve}</strong>, refer from <strong>{review.cutoffs.refer}</strong>
            {reasonCount === 0 ? ', no reason texts' : `, ${reasonCount} reason text${reasonCount === 1 ? '' : 's'}`}.
            It is published only when a second release manager approves it; once published it cannot be withdrawn, only
            replaced by a newer one.
          </Text>
        </ReviewStep>
      ) : (
        <form onSubmit={form.onSubmit((values) => setReview(toPolicyRelease(values)))} noValidate>
          <Stack gap="md">
            <TextInput
              label="Version"
              description="A new version each time, e.g. 2026.11-1"
              data-autofocus
              withAsterisk
              {...form.getInputProps('version')}
            />
            <SimpleGrid cols={2} spacing="md">
              <NumberInput
                label="Approve cut-off"
                description="Score points, at or above: approve"
                allowDecimal={false}
                withAsterisk
                {...form.getInputProps('approve')}
              />
              <NumberInput
                label="Refer cut-off"
                description="At or above (below approve): refer"
                allowDecimal={false}
                withAsterisk
                {...form.getInputProps('refer')}
              />
            </SimpleGrid>
            <JsonInput
              label="Reason texts (optional)"
              description='JSON: reason code → {"en": "…", "sw": "…"}; leave empty for none'
              placeholder={REASON_TEXTS_EXAMPLE}
              autosize
              minRows={5}
              maxRows={14}
              formatOnBlur
              validationError="Not valid JSON"
              {...form.getInputProps('reasonTexts')}
            />
            <ReviewFormActions onCancel={close} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
