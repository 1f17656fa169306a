import { Card, Stack, Text, Timeline, Title } from '@mantine/core';
import { LEGAL_HOLD_LABELS, RETENTION_ACTOR, type LegalHoldReason } from '../../../../shared/domain/consent';
import type { AuditEntryView } from '../../../../shared/ipc/audit';
import { featureLabel } from '../../features';
import { formatDateTime } from '../../format';
import { ERASE_REASONS, PERSONAL_FIELD_LABELS, purposeLabel } from './applicant-labels';

const ACTION_TEXTS: Record<string, string> = {
  'consent.captured': 'Consent captured and receipt signed',
  'applicant.registered': 'Applicant registered',
  'applicant.pii_revealed': 'Personal data revealed',
  'applicant.exported': 'Data exported',
  'applicant.erased': 'Personal data erased',
  'applicant.legal_hold_set': 'Legal hold placed',
  'applicant.legal_hold_released': 'Legal hold released',
  'consent.withdrawn': 'Consent withdrawn',
  'behaviour.captured': 'Behavioural data entered',
  'behaviour.imported': 'Statement imported',
  'applicant.scored': 'Scored',
  'decision.recorded': 'Decision recorded',
  'decision.corrected': 'Decision corrected',
  'decision.reviewed': 'Referral reviewed',
  'decision.override_approved': 'Override approved (four eyes)',
  'decision.override_rejected': 'Override rejected (four eyes)',
  'decision.replayed': 'Decision replayed',
  'letter.generated': 'Letter generated',
};

/** One line of detail from an entry's payload, in words. */
function detailOf(entry: AuditEntryView): string | null {
  const p = entry.payload;
  const text = (key: string): string | null => (typeof p[key] === 'string' ? (p[key] as string) : null);
  switch (entry.action) {
    case 'applicant.pii_revealed': {
      const field = text('field');
      return field && field in PERSONAL_FIELD_LABELS
        ? PERSONAL_FIELD_LABELS[field as keyof typeof PERSONAL_FIELD_LABELS]
        : field;
    }
    case 'consent.withdrawn': {
      const purpose = text('purpose');
      return purpose === 'credit-scoring' || purpose === 'central-sync' || purpose === 'credit-bureau-sharing'
        ? purposeLabel(purpose)
        : purpose;
    }
    case 'applicant.scored':
      return [text('band') && `Band ${text('band')}`, text('outcome') && `policy: ${text('outcome')}`]
        .filter(Boolean)
        .join(', ');
    case 'decision.recorded':
    case 'decision.corrected':
    case 'decision.reviewed':
    case 'decision.override_approved':
    case 'decision.override_rejected':
      return [
        text('decision'),
        text('override') && `override: ${text('override')}`,
        text('fourEyes') === 'pending' && 'awaiting a second supervisor',
      ]
        .filter(Boolean)
        .join(', ');
    case 'behaviour.imported': {
      const derived = Array.isArray(p.derived) ? (p.derived as unknown[]).filter((d) => typeof d === 'string') : [];
      return derived.length > 0 ? derived.map((key) => featureLabel(key as string)).join(', ') : null;
    }
    case 'applicant.legal_hold_set':
    case 'applicant.legal_hold_released': {
      const reason = text('reason');
      return reason !== null && reason in LEGAL_HOLD_LABELS ? LEGAL_HOLD_LABELS[reason as LegalHoldReason] : reason;
    }
    case 'applicant.erased': {
      const reason = text('reason');
      if (reason === 'central-erasure-request') {
        return 'Requested through the central API (another branch or the bank)';
      }
      return ERASE_REASONS.find((r) => r.value === reason)?.label ?? reason;
    }
    default:
      return null;
  }
}

export function ApplicantTimeline({
  entries,
  nameOf,
}: {
  entries: readonly AuditEntryView[];
  nameOf(id: string): string;
}) {
  const ordered = [...entries].sort((a, b) => b.seq - a.seq);
  return (
    <Card component="section" aria-labelledby="timeline-title">
      <Stack gap="md">
        <Title order={2} size="h4" id="timeline-title">
          Timeline
        </Title>
        <Timeline bulletSize={14} lineWidth={2} active={ordered.length} data-testid="applicant-timeline">
          {ordered.map((entry) => {
            const detail = detailOf(entry);
            return (
              <Timeline.Item
                key={entry.seq}
                title={ACTION_TEXTS[entry.action] ?? entry.action}
                data-action={entry.action}
              >
                {detail ? <Text size="sm">{detail}</Text> : null}
                <Text size="xs" c="dimmed">
                  {formatDateTime(entry.ts)} ·{' '}
                  {entry.actor === RETENTION_ACTOR ? 'Retention rule' : nameOf(entry.actor)} · entry #{entry.seq}
                </Text>
              </Timeline.Item>
            );
          })}
        </Timeline>
      </Stack>
    </Card>
  );
}
