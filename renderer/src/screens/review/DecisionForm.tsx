/**
 * The officer's decision on the latest score; departing from the policy outcome needs an override reason. Nothing is
 * preselected (the officer chooses), and a confirmation that names what will be recorded precedes the immutable row.
 */
import {
  Alert,
  Button,
  Card,
  Group,
  MultiSelect,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { useState } from 'react';
import {
  DECISION_REASON_CODES,
  DECISION_REASON_TEXTS,
  MAX_REASON_CODES,
  MODEL_REASON_PREFIX,
  OVERRIDE_NOTE_MAX,
  OVERRIDE_REASON_LABELS,
  OVERRIDE_REASONS,
  raisesToApproval,
  type Decision,
  type OverrideReason,
} from '../../../../shared/domain/decisions';
import type { DecisionView, ScoreView } from '../../../../shared/ipc/scoring';
import { describeError } from '../../errors';
import { featureLabel } from '../../features';
import { useNexisMutation } from '../../hooks';
import { DECISION_LABELS, OUTCOME_LABELS, reasonCodeLabel } from './review-labels';

export interface DecisionFormProps {
  score: ScoreView;
  /** The decision this one corrects (supersedes); absent for the first decision on the score */
  correcting?: DecisionView;
  /** After the decision is stored (the query cache reads the history again by itself). */
  onRecorded?(decision: DecisionView): void;
  /** Shown as a Cancel button when given (corrections) */
  onCancel?(): void;
}

/** Pick-list of reason codes: the score's principal reasons first, then the fixed list. */
export function reasonOptions(reasons: ScoreView['reasons']) {
  return [
    {
      group: 'Principal reasons of this score',
      items: reasons.map((reason) => ({
        value: `${MODEL_REASON_PREFIX}${reason.feature}`,
        label: `Model: ${featureLabel(reason.feature)}`,
      })),
    },
    {
      group: 'Checks outside the model',
      items: DECISION_REASON_CODES.map((code) => ({ value: code, label: DECISION_REASON_TEXTS[code].en })),
    },
  ].filter((group) => group.items.length > 0);
}

export const OVERRIDE_OPTIONS = OVERRIDE_REASONS.map((reason) => ({
  value: reason,
  label: OVERRIDE_REASON_LABELS[reason],
}));

export function DecisionForm({ score, correcting, onRecorded, onCancel }: DecisionFormProps) {
  const [decision, setDecision] = useState<Decision | null>(null);
  const [decisionError, setDecisionError] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[]>([]);
  const [overrideReason, setOverrideReason] = useState<OverrideReason | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [noteError, setNoteError] = useState<string | null>(null);
  const overriding = decision !== null && decision !== score.outcome;
  const mutationOptions = {
    successMessage: (recorded: DecisionView) =>
      recorded.awaitingApproval
        ? `Override recorded: the ${DECISION_LABELS[recorded.decision].toLowerCase()} takes effect once another supervisor approves it.`
        : `${correcting ? 'Correction' : 'Decision'} recorded: ${DECISION_LABELS[recorded.decision]}.`,
    onError: (error: unknown) => setProblem(describeError(error)),
  };
  const record = useNexisMutation('decisions:record', mutationOptions);
  const correct = useNexisMutation('decisions:correct', mutationOptions);

  const send = async (chosen: Decision): Promise<void> => {
    const common = {
      decision: chosen,
      reasonCodes: codes,
      ...(overriding ? { override: { reason: overrideReason ?? ('' as OverrideReason), note: note.trim() } } : {}),
    };
    const result = correcting
      ? await correct.run({ decisionId: correcting.decisionId, ...common })
      : await record.run({ scoreId: score.scoreId, ...common });
    if (result.ok) {
      onRecorded?.(result.value);
    }
  };

  const submit = (): void => {
    setProblem(null);
    if (decision === null) {
      setDecisionError('Choose approve, refer or decline.');
      return;
    }
    setDecisionError(null);
    if (overriding && note.trim() === '') {
      setNoteError('Explain the override in a short note (no names, phone or id numbers).');
      return;
    }
    setNoteError(null);
    modals.openConfirmModal({
      title: `Record ${correcting ? 'this correction' : 'this decision'}?`,
      centered: true,
      children: (
        <Stack gap="xs">
          <Text size="sm">
            <strong>{DECISION_LABELS[decision]}</strong> for {score.applicantId} (score {score.score}, band {score.band}
            ; the policy says {OUTCOME_LABELS[score.outcome]}).
          </Text>
          <Text size="sm">
            Reasons:{' '}
            {codes.length === 0
              ? 'none given'
              : codes.map((code) => reasonCodeLabel(code).replace(/\.$/, '')).join('; ')}
            .
          </Text>
          {overriding ? (
            <Text size="sm">This departs from the policy: it is recorded as an override with your note.</Text>
          ) : null}
          {raisesToApproval(decision, score.outcome) ? (
            <Text size="sm">
              Four eyes: unless the bank’s policy says otherwise, an approval above the policy outcome waits for a
              second supervisor’s approval before it takes effect.
            </Text>
          ) : null}
          <Text size="sm" c="dimmed">
            A recorded decision cannot be changed or deleted; a mistake is corrected by a new decision that supersedes
            it, and both stay in the audit trail.
          </Text>
        </Stack>
      ),
      labels: { confirm: `Record: ${DECISION_LABELS[decision]}`, cancel: 'Back' },
      onConfirm: () => void send(decision),
    });
  };

  return (
    <Card component="section" aria-labelledby="decision-title">
      <Stack gap="md">
        <div>
          <Title order={2} size="h4" id="decision-title">
            {correcting ? `Correct decision ${correcting.decisionId}` : 'Decision'}
          </Title>
          <Text size="sm" c="dimmed">
            The policy says <strong>{OUTCOME_LABELS[score.outcome]}</strong>. You decide; a different decision is an
            override and needs a reason.
          </Text>
        </div>
        <SegmentedControl
          aria-label="Decision"
          value={decision ?? ''}
          onChange={(value) => {
            setDecision(value as Decision);
            setDecisionError(null);
          }}
          data={[
            { value: 'approve', label: 'Approve' },
            { value: 'refer', label: 'Refer to a supervisor' },
            { value: 'decline', label: 'Decline' },
          ]}
          fullWidth
        />
        {decisionError ? (
          <Text size="sm" c="red" role="alert" mt={-8}>
            {decisionError}
          </Text>
        ) : null}
        <MultiSelect
          label="Reason codes"
          description={`Up to ${MAX_REASON_CODES}. A decline or referral needs at least one.`}
          data={reasonOptions(score.reasons)}
          value={codes}
          onChange={setCodes}
          maxValues={MAX_REASON_CODES}
          placeholder={codes.length === 0 ? 'Choose the reasons to cite' : undefined}
          searchable
          clearable
        />
        {overriding ? (
          <Stack gap="sm" data-testid="override-fields">
            <Select
              label="Override reason"
              description={`Why ${DECISION_LABELS[decision ?? score.outcome].toLowerCase()} instead of the policy's ${OUTCOME_LABELS[score.outcome].toLowerCase()}`}
              data={OVERRIDE_OPTIONS}
              value={overrideReason}
              onChange={(value) => setOverrideReason(value as OverrideReason | null)}
              withAsterisk
            />
            <Textarea
              label="Override note"
              description="Stored encrypted with the decision. No names, phone numbers or id numbers."
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
              maxLength={OVERRIDE_NOTE_MAX}
              autosize
              minRows={2}
              withAsterisk
              error={noteError}
            />
          </Stack>
        ) : null}
        {problem ? (
          <Alert color="red" variant="light" title="Decision not recorded" data-testid="decision-error">
            {problem}
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="sm">
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          ) : null}
          <Button
            onClick={submit}
            loading={record.pending || correct.pending}
            color={overriding ? 'orange' : undefined}
          >
            {decision === null
              ? 'Record decision'
              : overriding
                ? `Record override: ${DECISION_LABELS[decision]}`
                : `Record decision: ${DECISION_LABELS[decision]}`}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
