/**
 * Policy releases are signed offline with the bank's release key, so neither the central API nor the network can
 * change a branch's cut-offs. Here: prepare the file to sign, or propose a signed one (checked against the release
 * key this workstation trusts before it is sent); a second release manager approves it.
 */
import { Code, FileInput, JsonInput, Modal, SegmentedControl, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { SignedPolicyRelease } from '../../../../shared/sync/signed-release';
import { useAuth } from '../../auth';
import { formatDateTime } from '../../format';
import { useNexisMutation } from '../../hooks';
import { PolicyDraftForm } from './PolicyDraftForm';
import { proposedMessage } from './proposal-labels';
import { ReviewFormActions } from './ReviewFormActions';
import { ReviewStep } from './ReviewStep';
import { describeCutoffs, parseSignedPolicy } from './signed-policy';

type Tab = 'signed' | 'draft';

export interface PublishPolicyModalProps {
  opened: boolean;
  onClose(): void;
}

function signedRule(text: string): string | null {
  const parsed = parseSignedPolicy(text);
  return parsed.ok ? null : parsed.message;
}

export function PublishPolicyModal({ opened, onClose }: PublishPolicyModalProps) {
  const { phase } = useAuth();
  const [tab, setTab] = useState<Tab>('signed');
  const [review, setReview] = useState<SignedPolicyRelease | null>(null);
  const form = useForm<{ text: string }>({ initialValues: { text: '' }, validate: { text: signedRule } });
  const publish = useNexisMutation('console:publishPolicy', {
    successMessage: (sent) => proposedMessage(sent.proposal),
  });

  const close = (): void => {
    form.reset();
    setReview(null);
    setTab('signed');
    onClose();
  };

  const confirm = async (release: SignedPolicyRelease): Promise<void> => {
    const result = await publish.run(release);
    if (result.ok) {
      close();
    }
  };

  const openFile = (file: File | null): void => {
    if (file !== null) {
      void file.text().then((text) => {
        form.setFieldValue('text', text);
        form.validateField('text');
      });
    }
  };

  const submit = form.onSubmit((values) => {
    const parsed = parseSignedPolicy(values.text);
    if (parsed.ok) {
      setReview(parsed.value);
    }
  });

  const reasons = review ? Object.keys(review.release.reasonTexts).length : 0;

  return (
    <Modal opened={opened && phase === 'ready'} onClose={close} title="Publish policy" centered size="lg">
      {review ? (
        <ReviewStep
          confirmLabel="Verify and propose"
          pending={publish.pending}
          onBack={() => setReview(null)}
          onConfirm={() => void confirm(review)}
        >
          <Stack gap={6}>
            <Text size="sm">
              Policy <Code>{review.release.version}</Code> (serial {review.serial}):{' '}
              <strong>{describeCutoffs(review.release.cutoffs)}</strong>
              {reasons === 0 ? ', no reason texts' : `, ${reasons} reason text${reasons === 1 ? '' : 's'}`}
              {review.release.largeMove ? ', declared as a large move' : ''}.
            </Text>
            <Text size="sm">
              Signed with key <Code>{review.keyId}</Code> on {formatDateTime(review.issuedAt)}. This workstation checks
              the signature with the bank's release key before sending it; it is published only when a second release
              manager approves it, and every branch checks the signature again.
            </Text>
          </Stack>
        </ReviewStep>
      ) : (
        <Stack gap="md">
          <SegmentedControl
            fullWidth
            value={tab}
            onChange={(value) => setTab(value === 'draft' ? 'draft' : 'signed')}
            data={[
              { value: 'signed', label: 'Signed release' },
              { value: 'draft', label: 'Prepare a release to sign' },
            ]}
          />
          {tab === 'draft' ? (
            <PolicyDraftForm onCancel={close} />
          ) : (
            <form onSubmit={submit} noValidate>
              <Stack gap="md">
                <Text size="sm" c="dimmed">
                  Cut-offs and reason texts reach the branches only when signed offline with the bank's release key:{' '}
                  <Code>npm run release:sign</Code>.
                </Text>
                <FileInput
                  label="Signed release file"
                  description="The .signed.json file from release:sign"
                  placeholder="Choose a file…"
                  accept=".json,application/json"
                  clearable
                  onChange={openFile}
                />
                <JsonInput
                  label="Signed release"
                  description="Filled from the file, or paste it here"
                  placeholder='{ "format": "nexis.release.v1", "kind": "policy", … }'
                  autosize
                  minRows={6}
                  maxRows={14}
                  spellCheck={false}
                  withAsterisk
                  styles={{ input: { fontSize: 'var(--mantine-font-size-xs)' } }}
                  {...form.getInputProps('text')}
                />
                <ReviewFormActions onCancel={close} />
              </Stack>
            </form>
          )}
        </Stack>
      )}
    </Modal>
  );
}
