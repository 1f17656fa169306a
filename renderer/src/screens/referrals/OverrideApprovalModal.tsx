/**
 * A supervisor approves or rejects another's override (four eyes). The dialog shows what the request rests on (the
 * score, the policy outcome, the decision asked for, the officer's reason and note), preselects nothing, needs a
 * written reason, and asks for confirmation before the immutable verdict is recorded. A rejection lets the policy
 * outcome stand, so it needs the reasons the applicant's letter will cite.
 */
import {
  Alert,
  Badge,
  Button,
  DataList,
  Group,
  Modal,
  MultiSelect,
  SegmentedControl,
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
  OVERRIDE_REASON_LABELS,
  REVIEW_NOTE_LABEL,
  REVIEW_NOTE_REQUIRED,
} from '../../../../shared/domain/decisions';
import type { PendingReferralView } from '../../../../shared/ipc/scoring';
import { overrideNoteProblem } from '../../../../shared/rules/override-note';
import { useAuth } from '../../auth';
import { describeError } from '../../errors';
import { useNexisMutation } from '../../hooks';
import { useOfficerLabel } from '../applicants/use-officer-label';
import {
  DECISION_LABELS,
  OUTCOME_COLORS,
  OUTCOME_LABELS,
  formatPercent,
  reasonCodeLabel,
} from '../review/review-labels';
import { ApplicantLink } from './ApplicantLink';
import { loanText } from './referral-text';

type Verdict = 'approve' | 'reject';

export interface OverrideApprovalModalProps {
  /** The pending override to decide; null closes the dialog. */
  override: PendingReferralView | null;
  onClose(): void;
  onOpenApplicant(applicantId: string): void;
}

interface FormErrors {
  readonly verdict: string | null;
  readonly note: string | null;
  readonly codes: string | null;
}
const NO_ERRORS: FormErrors = { verdict: null, note: null, codes: null };

function Facts({ o, onOpenApplicant }: { o: PendingReferralView; onOpenApplicant(id: string): void }) {
  const officerLabel = useOfficerLabel();
  return (
    <DataList labelWidth={150} withDivider size="sm" data-testid="override-facts">
      <DataList.Item>
        <DataList.ItemLabel c="dimmed">Applicant</DataList.ItemLabel>
        <DataList.ItemValue>
          <ApplicantLink applicantId={o.applicantId} onOpen={onOpenApplicant} />
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel c="dimmed">Score</DataList.ItemLabel>
        <DataList.ItemValue>
          <Group gap="xs">
            <Text size="sm" fw={700}>
              {o.score}
            </Text>
            <Badge variant="filled">Band {o.band}</Badge>
            <Text size="xs" c="dimmed">
              probability of default {formatPercent(o.probabilityOfDefault)};{' '}
              {loanText(o.requestedAmount, o.termMonths)}
            </Text>
          </Group>
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel c="dimmed">Policy → requested</DataList.ItemLabel>
        <DataList.ItemValue>
          <Group gap="xs">
            <Badge variant="light" color={OUTCOME_COLORS[o.policyOutcome]}>
              Policy: {OUTCOME_LABELS[o.policyOutcome]}
            </Badge>
            <Badge variant="filled" color={OUTCOME_COLORS[o.decision]}>
              Requested: {DECISION_LABELS[o.decision]}
            </Badge>
          </Group>
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel c="dimmed">Asked by</DataList.ItemLabel>
        <DataList.ItemValue data-testid="override-request">
          <Text size="sm">
            {officerLabel(o.officerId)}: {o.override ? OVERRIDE_REASON_LABELS[o.override.reason] : '—'}
          </Text>
          {o.override?.note ? <Text size="sm">Note: “{o.override.note}”</Text> : null}
          <Text size="sm" c="dimmed">
            Reasons for the letter: {o.reasonCodes.map((code) => reasonCodeLabel(code)).join('; ') || '—'}
          </Text>
        </DataList.ItemValue>
      </DataList.Item>
    </DataList>
  );
}

export function OverrideApprovalModal({ override, onClose, onOpenApplicant }: OverrideApprovalModalProps) {
  const { phase } = useAuth();
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [codes, setCodes] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [problem, setProblem] = useState<string | null>(null);
  const onError = (error: unknown): void => {
    setConfirming(false);
    setProblem(describeError(error));
  };
  const approve = useNexisMutation('decisions:approveOverride', { successMessage: 'Override approved.', onError });
  const reject = useNexisMutation('decisions:rejectOverride', {
    successMessage: 'Override rejected: the policy outcome stands.',
    onError,
  });
  // What a rejection records: the policy outcome (a decline, or the application referred again).
  const stands = override?.policyOutcome ?? 'decline';

  const close = (): void => {
    setVerdict(null);
    setCodes([]);
    setNote('');
    setConfirming(false);
    setErrors(NO_ERRORS);
    setProblem(null);
    onClose();
  };

  /** The form's own checks; the core checks the note against the applicant's name again. */
  const check = (): boolean => {
    const found: FormErrors = {
      verdict: verdict === null ? 'Choose approve or reject.' : null,
      note:
        note.trim() === ''
          ? REVIEW_NOTE_REQUIRED
          : overrideNoteProblem(note, [], { quote: true, label: REVIEW_NOTE_LABEL }),
      codes:
        verdict === 'reject' && codes.length === 0
          ? `A rejection records ${OUTCOME_LABELS[stands].toLowerCase()}: choose at least one reason for the letter.`
          : null,
    };
    setErrors(found);
    return found.verdict === null && found.note === null && found.codes === null;
  };

  const submit = async (): Promise<void> => {
    if (!override || verdict === null) {
      return;
    }
    setProblem(null);
    const result =
      verdict === 'approve'
        ? await approve.run({ decisionId: override.decisionId, note: note.trim() })
        : await reject.run({ decisionId: override.decisionId, note: note.trim(), reasonCodes: codes });
    if (result.ok) {
      close();
    }
  };

  const options = [
    ...(override?.reasons ?? []).map((reason) => ({
      value: `model:${reason.feature}`,
      label: reasonCodeLabel(`model:${reason.feature}`),
    })),
    ...DECISION_REASON_CODES.filter((code) => code !== 'meets-policy').map((code) => ({
      value: code,
      label: DECISION_REASON_TEXTS[code].en,
    })),
  ];
  const outcomeText =
    verdict === 'approve'
      ? 'The approval takes effect now.'
      : `The policy outcome stands: ${stands === 'refer' ? 'the application is referred again, for another supervisor to review' : 'the application is declined'}.`;

  return (
    <Modal
      opened={override !== null && phase === 'ready'}
      onClose={close}
      title="Approve or reject override"
      size="xl"
      centered
    >
      {override ? (
        <Stack gap="md">
          <Facts o={override} onOpenApplicant={onOpenApplicant} />
          {confirming && verdict !== null ? (
            <Stack gap="sm" data-testid="override-confirmation">
              <Alert
                color={verdict === 'approve' ? 'teal' : 'red'}
                variant="light"
                title={verdict === 'approve' ? 'Approve this override?' : 'Reject this override?'}
              >
                <Text size="sm">
                  {outcomeText} Your reason: “{note.trim()}”
                </Text>
                <Text size="sm" mt={4}>
                  Your verdict cannot be changed or deleted once recorded; it stays in the audit trail beside the
                  officer’s request.
                </Text>
              </Alert>
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={() => setConfirming(false)}>
                  Back
                </Button>
                <Button
                  color={verdict === 'approve' ? 'teal' : 'red'}
                  onClick={() => void submit()}
                  loading={approve.pending || reject.pending}
                >
                  {verdict === 'approve' ? 'Confirm: Approve override' : 'Confirm: Reject override'}
                </Button>
              </Group>
            </Stack>
          ) : (
            <>
              <Stack gap={4}>
                <SegmentedControl
                  aria-label="Verdict on the override"
                  value={verdict ?? ''}
                  onChange={(value) => {
                    setVerdict(value as Verdict);
                    setErrors((e) => ({ ...e, verdict: null }));
                  }}
                  data={[
                    { value: 'approve', label: 'Approve override' },
                    { value: 'reject', label: `Reject: ${OUTCOME_LABELS[stands].toLowerCase()} stands` },
                  ]}
                />
                {errors.verdict ? (
                  <Text size="sm" c="red" role="alert">
                    {errors.verdict}
                  </Text>
                ) : null}
              </Stack>
              <Textarea
                label={REVIEW_NOTE_LABEL}
                description="Stored with your verdict. No names, phone numbers or id numbers."
                value={note}
                onChange={(event) => setNote(event.currentTarget.value)}
                maxLength={OVERRIDE_NOTE_MAX}
                autosize
                minRows={2}
                withAsterisk
                error={errors.note}
              />
              {verdict === 'reject' ? (
                <MultiSelect
                  label="Reason codes"
                  description={`What the applicant's letter cites for the ${OUTCOME_LABELS[stands].toLowerCase()}.`}
                  data={options}
                  value={codes}
                  onChange={setCodes}
                  maxValues={MAX_REASON_CODES}
                  withAsterisk
                  clearable
                  error={errors.codes}
                />
              ) : null}
              {problem ? (
                <Alert color="red" variant="light" title="Verdict not recorded">
                  {problem}
                </Alert>
              ) : null}
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={close}>
                  Cancel
                </Button>
                <Button onClick={() => check() && setConfirming(true)}>Record verdict</Button>
              </Group>
            </>
          )}
        </Stack>
      ) : null}
    </Modal>
  );
}
