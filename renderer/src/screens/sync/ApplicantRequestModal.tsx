import { Code, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { normaliseApplicantId } from '../../../../shared/domain/applicant-id';
import { CONSENT_PURPOSES, PURPOSE_LABELS, type ConsentPurpose } from '../../../../shared/domain/consent';
import { useAuth } from '../../auth';
import { useNexisMutation } from '../../hooks';
import { applicantIdRule } from './console-rules';
import { proposedMessage } from './proposal-labels';
import { ReviewFormActions } from './ReviewFormActions';
import { ReviewStep } from './ReviewStep';

export type ApplicantRequestKind = 'erasure' | 'withdrawal';

interface RequestValues {
  applicantId: string;
  purpose: ConsentPurpose | null;
}

const PURPOSE_OPTIONS = CONSENT_PURPOSES.map((purpose) => ({ value: purpose, label: PURPOSE_LABELS[purpose].en }));

const TITLES: Record<ApplicantRequestKind, string> = {
  erasure: 'Erasure request',
  withdrawal: 'Consent withdrawal',
};

export interface ApplicantRequestModalProps {
  /** The request to raise; the modal is open while set */
  kind: ApplicantRequestKind | null;
  onClose(): void;
}

/** Proposes an applicant's erasure, or passes on a consent withdrawal, for every branch (pseudonymous id only). */
export function ApplicantRequestModal({ kind, onClose }: ApplicantRequestModalProps) {
  const { phase } = useAuth();
  const [review, setReview] = useState<{ applicantId: string; purpose: ConsentPurpose | null } | null>(null);
  const form = useForm<RequestValues>({
    initialValues: { applicantId: '', purpose: null },
    validate: {
      applicantId: applicantIdRule,
      purpose: (value) => (kind === 'withdrawal' && value === null ? 'Choose the purpose' : null),
    },
  });
  const erase = useNexisMutation('console:requestErasure', {
    successMessage: (sent) => proposedMessage(sent.proposal),
  });
  const withdraw = useNexisMutation('console:requestWithdrawal', {
    successMessage: (sent) => `Consent withdrawal published as feed item #${sent.feedItemId}.`,
  });

  const close = (): void => {
    form.reset();
    setReview(null);
    onClose();
  };

  const confirm = async (applicantId: string, purpose: ConsentPurpose | null): Promise<void> => {
    const result =
      kind === 'withdrawal' && purpose !== null
        ? await withdraw.run({ applicantId, purpose })
        : await erase.run({ applicantId });
    if (result.ok) {
      close();
    }
  };

  const submit = form.onSubmit((values) =>
    setReview({ applicantId: normaliseApplicantId(values.applicantId), purpose: values.purpose }),
  );

  return (
    <Modal opened={kind !== null && phase === 'ready'} onClose={close} title={kind ? TITLES[kind] : ''} centered>
      {review ? (
        <ReviewStep
          confirmLabel={kind === 'withdrawal' ? 'Send withdrawal' : 'Propose erasure'}
          color="red"
          pending={erase.pending || withdraw.pending}
          onBack={() => setReview(null)}
          onConfirm={() => void confirm(review.applicantId, review.purpose)}
        >
          {kind === 'withdrawal' && review.purpose !== null ? (
            <Text size="sm">
              Every branch records that applicant <Code>{review.applicantId}</Code> withdrew consent to “
              {PURPOSE_LABELS[review.purpose].en}” and stops that use with its next sync.
            </Text>
          ) : (
            <Text size="sm">
              Once a second privacy officer approves, every branch erases the personal data of applicant{' '}
              <Code>{review.applicantId}</Code> with its next sync, and the central copy is removed. This cannot be
              undone.
            </Text>
          )}
        </ReviewStep>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {kind === 'withdrawal'
                ? 'Use this when an applicant withdrew consent at another branch or directly with the bank.'
                : 'Use this when an applicant asked the bank to erase their personal data.'}{' '}
              Only the pseudonymous applicant id travels.
            </Text>
            <TextInput
              label="Applicant id"
              placeholder="NEX-XXXXX-XXXXX-X"
              autoComplete="off"
              spellCheck={false}
              data-autofocus
              withAsterisk
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              {...form.getInputProps('applicantId')}
            />
            {kind === 'withdrawal' ? (
              <Select
                label="Purpose"
                data={PURPOSE_OPTIONS}
                allowDeselect={false}
                withAsterisk
                {...form.getInputProps('purpose')}
              />
            ) : null}
            <ReviewFormActions onCancel={close} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
