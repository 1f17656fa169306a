import {
  Alert,
  Button,
  Group,
  Modal,
  MultiSelect,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { useState } from 'react';
import {
  DECISION_REASON_CODES,
  DECISION_REASON_TEXTS,
  MAX_REASON_CODES,
  OVERRIDE_NOTE_MAX,
  type OverrideReason,
} from '../../../../shared/domain/decisions';
import type { DecisionView } from '../../../../shared/ipc/scoring';
import { useAuth } from '../../auth';
import { describeError } from '../../errors';
import { useNexisMutation } from '../../hooks';
import { OVERRIDE_OPTIONS } from '../review/DecisionForm';
import { OUTCOME_LABELS, reasonCodeLabel } from '../review/review-labels';

export interface ReviewReferralModalProps {
  referral: DecisionView | null;
  onClose(): void;
  onReviewed(): void;
}

/** A supervisor approves or declines a referral made by someone else (four eyes). */
export function ReviewReferralModal({ referral, onClose, onReviewed }: ReviewReferralModalProps) {
  const { phase } = useAuth();
  const [decision, setDecision] = useState<'approve' | 'decline'>('approve');
  const [codes, setCodes] = useState<string[]>([]);
  const [overrideReason, setOverrideReason] = useState<OverrideReason | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const review = useNexisMutation('decisions:review', {
    successMessage: 'Referral reviewed.',
    onError: (error) => setProblem(describeError(error)),
  });
  // The policy itself referred: no override needed. It said approve/decline: departing from it is an override.
  const overriding = referral !== null && referral.policyOutcome !== 'refer' && referral.policyOutcome !== decision;

  const close = (): void => {
    setCodes([]);
    setOverrideReason(null);
    setNote('');
    setProblem(null);
    onClose();
  };

  const submit = async (): Promise<void> => {
    if (!referral) {
      return;
    }
    const result = await review.run({
      decisionId: referral.decisionId,
      decision,
      reasonCodes: codes,
      ...(overriding
        ? {
            override: {
              reason: overrideReason ?? ('' as OverrideReason),
              ...(note.trim() === '' ? {} : { note: note.trim() }),
            },
          }
        : {}),
    });
    if (result.ok) {
      close();
      onReviewed();
    }
  };

  const options = [
    ...(referral?.reasonCodes ?? [])
      .filter((code) => code.startsWith('model:'))
      .map((code) => ({ value: code, label: reasonCodeLabel(code) })),
    ...DECISION_REASON_CODES.map((code) => ({ value: code, label: DECISION_REASON_TEXTS[code].en })),
  ];

  return (
    <Modal opened={referral !== null && phase === 'ready'} onClose={close} title="Review referral" size="lg" centered>
      {referral ? (
        <Stack gap="md">
          <Text size="sm">
            {referral.applicantId} was referred; the policy said{' '}
            <strong>{OUTCOME_LABELS[referral.policyOutcome]}</strong>. Reasons given:{' '}
            {referral.reasonCodes.map((code) => reasonCodeLabel(code)).join('; ') || '—'}.
          </Text>
          <SegmentedControl
            aria-label="Review decision"
            value={decision}
            onChange={(value) => setDecision(value as 'approve' | 'decline')}
            data={[
              { value: 'approve', label: 'Approve' },
              { value: 'decline', label: 'Decline' },
            ]}
          />
          <MultiSelect
            label="Reason codes"
            data={options}
            value={codes}
            onChange={setCodes}
            maxValues={MAX_REASON_CODES}
            clearable
          />
          {overriding ? (
            <>
              <Select
                label="Override reason"
                data={OVERRIDE_OPTIONS}
                value={overrideReason}
                onChange={(value) => setOverrideReason(value as OverrideReason | null)}
                withAsterisk
              />
              <Textarea
                label="Override note"
                value={note}
                onChange={(event) => setNote(event.currentTarget.value)}
                maxLength={OVERRIDE_NOTE_MAX}
                autosize
                minRows={2}
              />
            </>
          ) : null}
          {problem ? (
            <Alert color="red" variant="light" title="Review not recorded">
              {problem}
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button onClick={() => void submit()} loading={review.pending}>
              Record review
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
