/** How long the applicant's personal data is kept, what keeps it longer, and a supervisor's legal holds. */
import { Alert, Badge, Button, Card, Group, Modal, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { LEGAL_HOLD_LABELS, LEGAL_HOLD_REASONS, type LegalHoldReason } from '../../../../shared/domain/consent';
import { OVERRIDE_NOTE_MAX } from '../../../../shared/domain/decisions';
import type { LegalHoldView, RetentionView } from '../../../../shared/ipc/applicants';
import { overrideNoteProblem, quoteNoteWords } from '../../../../shared/rules/override-note';
import { canCall, useSession } from '../../auth';
import { IconLock } from '../../components/icons';
import { formatDate, formatDateTime } from '../../format';
import { describeError } from '../../errors';
import { useNexisMutation } from '../../hooks';

const HOLD_NOTE_LABEL = 'Hold note';

export interface RetentionCardProps {
  applicantId: string;
  retention: RetentionView;
  nameOf(officerId: string): string;
}

function termLine(retention: RetentionView): string {
  if (retention.months === null || retention.dueAt === null) {
    return 'The retention term of this applicant could not be read from the consent receipt: the data is kept until a supervisor erases it.';
  }
  const from = retention.countedFrom === 'last-decision' ? 'the last decision' : 'registration (no decision yet)';
  return `${retention.months} months from ${from}, on ${formatDate(retention.anchorAt)}.`;
}

export function RetentionCard({ applicantId, retention, nameOf }: RetentionCardProps) {
  const { officer } = useSession();
  const mayHold = canCall(officer.role, 'applicants:setLegalHold');
  const [holding, setHolding] = useState(false);
  const release = useNexisMutation('applicants:releaseLegalHold', {
    successMessage: 'Legal hold released. The retention term applies again.',
  });
  const open: LegalHoldView | undefined = retention.holds.find((h) => h.releasedAt === null);
  const past = retention.holds.filter((h) => h.releasedAt !== null);

  return (
    <Card component="section" aria-labelledby="retention-title" data-testid="retention-card">
      <Stack gap="sm">
        <Group justify="space-between" align="center">
          <Title order={2} size="h4" id="retention-title">
            Retention
          </Title>
          {retention.keptBy === 'legal-hold' ? (
            <Badge color="orange" variant="light" leftSection={<IconLock size={12} />}>
              Legal hold
            </Badge>
          ) : retention.keptBy === 'open-case' ? (
            <Badge color="blue" variant="light">
              Open case
            </Badge>
          ) : null}
        </Group>
        <Text size="sm">
          {retention.dueAt === null ? (
            'Kept until erased by a supervisor.'
          ) : (
            <>
              Personal data erased on <strong data-testid="retention-due">{formatDate(retention.dueAt)}</strong>
              {retention.keptBy === 'legal-hold'
                ? ', or later: the legal hold below keeps it'
                : retention.keptBy === 'open-case'
                  ? ', or later: an open case keeps it until a supervisor decides'
                  : ''}
              .
            </>
          )}
        </Text>
        <Text size="xs" c="dimmed">
          {termLine(retention)} A new decision restarts the term. An open referral, an override awaiting a second
          supervisor, or a legal hold keeps the data past it.
        </Text>
        {open ? (
          <Alert color="orange" variant="light" title={`Legal hold: ${LEGAL_HOLD_LABELS[open.reason]}`}>
            <Stack gap={4}>
              <Text size="sm">{open.note}</Text>
              <Text size="xs" c="dimmed">
                Set {formatDateTime(open.setAt)} by {nameOf(open.setBy)} · {open.id}
              </Text>
              {mayHold ? (
                <Group>
                  <Button
                    size="compact-sm"
                    variant="light"
                    color="orange"
                    loading={release.pending}
                    onClick={() => void release.run({ holdId: open.id })}
                  >
                    Release hold
                  </Button>
                </Group>
              ) : null}
            </Stack>
          </Alert>
        ) : mayHold ? (
          <Group>
            <Button
              size="compact-sm"
              variant="default"
              leftSection={<IconLock size={14} />}
              onClick={() => setHolding(true)}
            >
              Place legal hold
            </Button>
          </Group>
        ) : null}
        {past.length > 0 ? (
          <Text size="xs" c="dimmed">
            Earlier holds:{' '}
            {past
              .map(
                (h) => `${LEGAL_HOLD_LABELS[h.reason]} (${formatDate(h.setAt)}–${formatDate(h.releasedAt ?? h.setAt)})`,
              )
              .join('; ')}
          </Text>
        ) : null}
      </Stack>
      <LegalHoldModal applicantId={applicantId} opened={holding} onClose={() => setHolding(false)} />
    </Card>
  );
}

function LegalHoldModal({ applicantId, opened, onClose }: { applicantId: string; opened: boolean; onClose(): void }) {
  const [reason, setReason] = useState<LegalHoldReason | null>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ reason: string | null; note: string | null }>({ reason: null, note: null });
  const [problem, setProblem] = useState<string | null>(null);
  const hold = useNexisMutation('applicants:setLegalHold', {
    successMessage: `${applicantId} is kept past the retention term until the hold is released.`,
    onError: (error) => {
      // The core checks the name part of the note rule (the form holds no name): its finding goes under the field.
      const message = describeError(error);
      if (message.startsWith(`${HOLD_NOTE_LABEL}:`)) {
        setErrors((e) => ({ ...e, note: quoteNoteWords(message, note) }));
      } else {
        setProblem(message);
      }
    },
  });

  const close = (): void => {
    setReason(null);
    setNote('');
    setErrors({ reason: null, note: null });
    setProblem(null);
    onClose();
  };

  const submit = async (): Promise<void> => {
    // The form holds no applicant name, so the core checks the name part of the note rule again.
    const found = {
      reason: reason === null ? 'Choose why the applicant is kept.' : null,
      note:
        note.trim() === ''
          ? `${HOLD_NOTE_LABEL}: say what the hold is for (a case or file reference).`
          : overrideNoteProblem(note, [], { quote: true, label: HOLD_NOTE_LABEL }),
    };
    setErrors(found);
    setProblem(null);
    if (found.reason !== null || found.note !== null || reason === null) {
      return;
    }
    const result = await hold.run({ applicantId, reason, note: note.trim() });
    if (result.ok) {
      close();
    }
  };

  return (
    <Modal opened={opened} onClose={close} title="Place a legal hold" centered>
      <Stack gap="md">
        <Text size="sm">
          While the hold is open, the retention rule does not erase this applicant. Release it when the matter is
          closed. Both are recorded in the audit trail.
        </Text>
        <Select
          label="Reason"
          placeholder="Choose a reason"
          data={LEGAL_HOLD_REASONS.map((r) => ({ value: r, label: LEGAL_HOLD_LABELS[r] }))}
          value={reason}
          onChange={(value) => setReason(value as LegalHoldReason | null)}
          error={errors.reason}
          allowDeselect={false}
        />
        <Textarea
          label={HOLD_NOTE_LABEL}
          description="A case or file reference. No names, phone or id numbers."
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          maxLength={OVERRIDE_NOTE_MAX}
          autosize
          minRows={2}
          error={errors.note}
        />
        {problem ? (
          <Alert color="red" variant="light" title="Hold not placed">
            {problem}
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button loading={hold.pending} onClick={() => void submit()}>
            Place hold
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
