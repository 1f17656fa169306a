/**
 * A supervisor approves or declines a referral made by someone else (four eyes). The dialog shows what the decision
 * rests on (score, band, reasons, the loan, a link to the applicant), preselects nothing, needs a written reason,
 * and asks for confirmation before the immutable review is recorded.
 */
import {
  Alert,
  Badge,
  Button,
  DataList,
  Group,
  List,
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
  REVIEW_NOTE_LABEL,
  REVIEW_NOTE_REQUIRED,
  type OverrideReason,
} from '../../../../shared/domain/decisions';
import { overrideNoteProblem } from '../../../../shared/rules/override-note';
import type { PendingReferralView } from '../../../../shared/ipc/scoring';
import { useAuth } from '../../auth';
import { describeError } from '../../errors';
import { featureLabel } from '../../features';
import { useNexisMutation } from '../../hooks';
import { useOfficerLabel } from '../applicants/use-officer-label';
import { OVERRIDE_OPTIONS } from '../review/DecisionForm';
import { OUTCOME_COLORS, OUTCOME_LABELS, formatPercent, formatPoints, reasonCodeLabel } from '../review/review-labels';
import { loanText, waitedFor } from './referral-text';
import { useNow } from './use-now';
import { ApplicantLink } from './ApplicantLink';

type ReviewDecision = 'approve' | 'decline';

export interface ReviewReferralModalProps {
  referral: PendingReferralView | null;
  onClose(): void;
  onOpenApplicant(applicantId: string): void;
}

const LABELS: Record<ReviewDecision, string> = { approve: 'Approve', decline: 'Decline' };

interface FormErrors {
  readonly decision: string | null;
  readonly note: string | null;
  readonly override: string | null;
}
const NO_ERRORS: FormErrors = { decision: null, note: null, override: null };

function Facts({ referral, onOpenApplicant }: { referral: PendingReferralView; onOpenApplicant(id: string): void }) {
  const officerLabel = useOfficerLabel();
  const now = useNow();
  return (
    <Stack gap="sm" data-testid="referral-facts">
      <DataList labelWidth={150} withDivider size="sm">
        <DataList.Item>
          <DataList.ItemLabel c="dimmed">Applicant</DataList.ItemLabel>
          <DataList.ItemValue>
            <ApplicantLink applicantId={referral.applicantId} onOpen={onOpenApplicant} />
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel c="dimmed">Score</DataList.ItemLabel>
          <DataList.ItemValue data-testid="review-score">
            <Group gap="xs">
              <Text size="sm" fw={700}>
                {referral.score}
              </Text>
              <Badge variant="filled">Band {referral.band}</Badge>
              <Badge variant="light" color={OUTCOME_COLORS[referral.policyOutcome]}>
                Policy: {OUTCOME_LABELS[referral.policyOutcome]}
              </Badge>
              <Text size="xs" c="dimmed">
                probability of default {formatPercent(referral.probabilityOfDefault)}
              </Text>
            </Group>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel c="dimmed">Loan asked for</DataList.ItemLabel>
          <DataList.ItemValue data-testid="review-amount">
            {loanText(referral.requestedAmount, referral.termMonths)}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel c="dimmed">Referred by</DataList.ItemLabel>
          <DataList.ItemValue>
            {officerLabel(referral.officerId)}, waiting {waitedFor(referral.createdAt, now)}. Reasons given:{' '}
            {referral.reasonCodes.map((code) => reasonCodeLabel(code)).join('; ') || '—'}
            {referral.note ? ` Note: “${referral.note}”` : ''}
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
      <div>
        <Text size="sm" fw={600}>
          Principal reasons of the score
        </Text>
        {referral.reasons.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing lowered this score below the best attainable values.
          </Text>
        ) : (
          <List type="ordered" size="sm" spacing={2} data-testid="review-reasons">
            {referral.reasons.map((reason) => (
              <List.Item key={reason.feature}>
                {reason.text.en}{' '}
                <Text span size="xs" c="dimmed">
                  ({featureLabel(reason.feature)}, {formatPoints(-reason.pointsLost)} points against the best value)
                </Text>
              </List.Item>
            ))}
          </List>
        )}
      </div>
    </Stack>
  );
}

export function ReviewReferralModal({ referral, onClose, onOpenApplicant }: ReviewReferralModalProps) {
  const { phase } = useAuth();
  const [decision, setDecision] = useState<ReviewDecision | null>(null);
  const [codes, setCodes] = useState<string[]>([]);
  const [overrideReason, setOverrideReason] = useState<OverrideReason | null>(null);
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [problem, setProblem] = useState<string | null>(null);
  const review = useNexisMutation('decisions:review', {
    successMessage: 'Referral reviewed.',
    onError: (error) => {
      setConfirming(false);
      setProblem(describeError(error));
    },
  });
  // The policy itself referred: no override needed. It said approve/decline: departing from it is an override.
  const overriding =
    referral !== null && decision !== null && referral.policyOutcome !== 'refer' && referral.policyOutcome !== decision;

  const close = (): void => {
    setDecision(null);
    setCodes([]);
    setOverrideReason(null);
    setNote('');
    setConfirming(false);
    setErrors(NO_ERRORS);
    setProblem(null);
    onClose();
  };

  /**
   * What the form can tell before the core does, with the one override-note rule (the form does not hold the
   * applicant's full name, so the core checks the name part again).
   */
  const check = (): boolean => {
    const found: FormErrors = {
      decision: decision === null ? 'Choose approve or decline.' : null,
      note:
        note.trim() === ''
          ? REVIEW_NOTE_REQUIRED
          : overrideNoteProblem(note, [], { quote: true, label: REVIEW_NOTE_LABEL }),
      override: overriding && overrideReason === null ? 'Choose why the review departs from the policy.' : null,
    };
    setErrors(found);
    return found.decision === null && found.note === null && found.override === null;
  };

  const submit = async (): Promise<void> => {
    if (!referral || decision === null) {
      return;
    }
    setProblem(null);
    const result = await review.run({
      decisionId: referral.decisionId,
      decision,
      reasonCodes: codes,
      note: note.trim(),
      ...(overriding ? { override: { reason: overrideReason ?? ('' as OverrideReason) } } : {}),
    });
    if (result.ok) {
      // The queue is read again by the query cache (decisions:review invalidates it).
      close();
    }
  };

  const options = [
    ...(referral?.reasons ?? []).map((reason) => ({
      value: `model:${reason.feature}`,
      label: reasonCodeLabel(`model:${reason.feature}`),
    })),
    ...DECISION_REASON_CODES.map((code) => ({ value: code, label: DECISION_REASON_TEXTS[code].en })),
  ];

  return (
    <Modal opened={referral !== null && phase === 'ready'} onClose={close} title="Review referral" size="xl" centered>
      {referral ? (
        <Stack gap="md">
          <Facts referral={referral} onOpenApplicant={onOpenApplicant} />
          {confirming && decision !== null ? (
            <Stack gap="sm" data-testid="review-confirmation">
              <Alert
                color={decision === 'approve' ? 'teal' : 'red'}
                variant="light"
                title={`${LABELS[decision]} this referral?`}
              >
                <Text size="sm">
                  {LABELS[decision]} {referral.applicantId} (score {referral.score}, band {referral.band},{' '}
                  {loanText(referral.requestedAmount, referral.termMonths)}). Your reason: “{note.trim()}”
                </Text>
                <Text size="sm" mt={4}>
                  A review cannot be changed or deleted once recorded; it is final for this referral and stays in the
                  audit trail.
                </Text>
              </Alert>
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={() => setConfirming(false)}>
                  Back
                </Button>
                <Button
                  color={decision === 'approve' ? 'teal' : 'red'}
                  onClick={() => void submit()}
                  loading={review.pending}
                >
                  Confirm: {LABELS[decision]}
                </Button>
              </Group>
            </Stack>
          ) : (
            <>
              <Stack gap={4}>
                <SegmentedControl
                  aria-label="Review decision"
                  value={decision ?? ''}
                  onChange={(value) => {
                    setDecision(value as ReviewDecision);
                    setErrors((e) => ({ ...e, decision: null }));
                  }}
                  data={[
                    { value: 'approve', label: 'Approve' },
                    { value: 'decline', label: 'Decline' },
                  ]}
                />
                {errors.decision ? (
                  <Text size="sm" c="red" role="alert">
                    {errors.decision}
                  </Text>
                ) : null}
              </Stack>
              <Textarea
                label={REVIEW_NOTE_LABEL}
                description="Stored with the review. No names, phone numbers or id numbers."
                value={note}
                onChange={(event) => setNote(event.currentTarget.value)}
                maxLength={OVERRIDE_NOTE_MAX}
                autosize
                minRows={2}
                withAsterisk
                error={errors.note}
              />
              <MultiSelect
                label="Reason codes"
                description="What the applicant's letter cites. A decline needs at least one."
                data={options}
                value={codes}
                onChange={setCodes}
                maxValues={MAX_REASON_CODES}
                clearable
              />
              {overriding ? (
                <Select
                  label="Override reason"
                  description={`The policy said ${OUTCOME_LABELS[referral.policyOutcome].toLowerCase()}`}
                  data={OVERRIDE_OPTIONS}
                  value={overrideReason}
                  onChange={(value) => setOverrideReason(value as OverrideReason | null)}
                  withAsterisk
                  error={errors.override}
                />
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
                <Button onClick={() => check() && setConfirming(true)}>Record review</Button>
              </Group>
            </>
          )}
        </Stack>
      ) : null}
    </Modal>
  );
}
