/**
 * App updates are signed offline with the bank's release key (`npm run release:app`, then `release:sign`), so neither the central API nor
 * the network can make a branch install anything else (README, "Releasing an app update"). Here: open or paste the signed release, choose how many of
 * the channel's workstations take it first, review, and propose it; the core checks the signature with the release
 * key this workstation trusts before anything is sent, and a second release manager approves it.
 */
import { Code, FileInput, JsonInput, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { parseNumberField, type NumberFieldRule } from '../../../../shared/rules/number-field';
import type { AppReleaseProposal } from '../../../../shared/sync/app-updates';
import { useAuth } from '../../auth';
import { formatBytes, formatDateTime, officerNumberSymbols } from '../../format';
import { useNexisMutation } from '../../hooks';
import { proposedMessage } from './proposal-labels';
import { ReviewFormActions } from './ReviewFormActions';
import { ReviewStep } from './ReviewStep';
import { parseSignedApp } from './signed-policy';

/** The share of a channel's workstations (by device id) that install a release; the same range the server checks. */
export const ROLLOUT_RULE: NumberFieldRule = { label: 'Rollout', unit: '', min: 0, max: 100, integer: true };

export function rolloutRule(value: string): string | null {
  const parsed = parseNumberField(ROLLOUT_RULE, value, officerNumberSymbols());
  return parsed.ok ? null : parsed.message;
}

export function rolloutValue(value: string): number | null {
  const parsed = parseNumberField(ROLLOUT_RULE, value, officerNumberSymbols());
  return parsed.ok ? parsed.value : null;
}

function signedRule(text: string): string | null {
  const parsed = parseSignedApp(text);
  return parsed.ok ? null : parsed.message;
}

export interface PublishAppReleaseModalProps {
  opened: boolean;
  onClose(): void;
}

interface Values {
  text: string;
  rollout: string;
}

export function PublishAppReleaseModal({ opened, onClose }: PublishAppReleaseModalProps) {
  const { phase } = useAuth();
  const [review, setReview] = useState<AppReleaseProposal | null>(null);
  const form = useForm<Values>({
    initialValues: { text: '', rollout: '' },
    validate: { text: signedRule, rollout: rolloutRule },
  });
  const publish = useNexisMutation('console:publishAppRelease', {
    successMessage: (sent) => proposedMessage(sent.proposal),
  });

  const close = (): void => {
    form.reset();
    setReview(null);
    onClose();
  };

  const confirm = async (proposal: AppReleaseProposal): Promise<void> => {
    const result = await publish.run(proposal);
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
    const parsed = parseSignedApp(values.text);
    const rolloutPercent = rolloutValue(values.rollout);
    if (parsed.ok && rolloutPercent !== null) {
      setReview({ signed: parsed.value, rolloutPercent });
    }
  });

  const release = review?.signed.release;
  const totalBytes = release?.files.reduce((sum, f) => sum + f.size, 0) ?? 0;

  return (
    <Modal opened={opened && phase === 'ready'} onClose={close} title="Publish app release" centered size="lg">
      {review && release ? (
        <ReviewStep
          confirmLabel="Verify and propose"
          pending={publish.pending}
          onBack={() => setReview(null)}
          onConfirm={() => void confirm(review)}
        >
          <Stack gap={6}>
            <Text size="sm">
              App <Code>{release.version}</Code> (serial {review.signed.serial}) for the{' '}
              <strong>{release.channel}</strong> channel,{' '}
              {release.files.length === 1 ? '1 file' : `${release.files.length} files`} ({formatBytes(totalBytes)}),
              offered to <strong>{review.rolloutPercent} %</strong> of its workstations.
            </Text>
            <Text size="sm">
              Signed with key <Code>{review.signed.keyId}</Code> on {formatDateTime(review.signed.issuedAt)}. This
              workstation checks the signature with the bank's release key before sending it; the files must already be
              in the channel's updates folder on the central server. It is offered only when a second release manager
              approves it, and every workstation checks the signature and the file hashes again.
            </Text>
          </Stack>
        </ReviewStep>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              An update reaches the branches only when signed offline with the bank's release key:{' '}
              <Code>npm run release:app</Code>, then <Code>npm run release:sign</Code>.
            </Text>
            <FileInput
              label="Signed release file"
              description="The signed file from release:sign"
              placeholder="Choose a file…"
              accept=".json,application/json"
              clearable
              onChange={openFile}
            />
            <JsonInput
              label="Signed release"
              description="Filled from the file, or paste it here"
              placeholder='{ "format": "nexis.release.v1", "kind": "app", … }'
              autosize
              minRows={6}
              maxRows={14}
              spellCheck={false}
              withAsterisk
              styles={{ input: { fontSize: 'var(--mantine-font-size-xs)' } }}
              {...form.getInputProps('text')}
            />
            <TextInput
              label="Rollout (%)"
              description="Share of the channel's workstations that install it first; raise it later with a rollout change"
              inputMode="numeric"
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
