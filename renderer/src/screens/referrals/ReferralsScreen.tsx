/**
 * Referrals waiting for a supervisor, oldest first, with what is needed to judge them at a glance: how long each has
 * waited, the score and band, and the loan asked for; above them, overrides waiting for a second supervisor's
 * approval (four eyes). The applicant opens here (and returns to this queue).
 */
import { Badge, Button, Card, EmptyState, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { PendingReferralView } from '../../../../shared/ipc/scoring';
import { IconArrowLeft, IconRefresh, IconReview } from '../../components/icons';
import { ScreenHeader } from '../../components/screen-header';
import { formatDateTime } from '../../format';
import { useNexisQuery } from '../../hooks';
import { ApplicantPage } from '../applicants/ApplicantPage';
import { ReceiptView } from '../applicants/ReceiptView';
import { useOfficerLabel } from '../applicants/use-officer-label';
import { OUTCOME_COLORS, OUTCOME_LABELS, reasonCodeLabel } from '../review/review-labels';
import { ApplicantLink } from './ApplicantLink';
import { loanText, waitedFor } from './referral-text';
import { useNow } from './use-now';
import { OverrideApprovalModal } from './OverrideApprovalModal';
import { PendingOverrides } from './PendingOverrides';
import { ReviewReferralModal } from './ReviewReferralModal';

type View =
  | { readonly kind: 'queue' }
  | { readonly kind: 'applicant'; readonly applicantId: string }
  | { readonly kind: 'receipt'; readonly applicantId: string; readonly receiptId: string };

function Queue({ onOpen }: { onOpen(applicantId: string): void }) {
  const pending = useNexisQuery('decisions:pendingReviews', {});
  const overrides = useNexisQuery('decisions:pendingOverrides', {});
  const officerLabel = useOfficerLabel();
  const [reviewing, setReviewing] = useState<PendingReferralView | null>(null);
  const [deciding, setDeciding] = useState<PendingReferralView | null>(null);
  const refresh = (): void => {
    pending.refresh();
    overrides.refresh();
  };
  const items = pending.data ?? [];
  const now = useNow();
  return (
    <Stack gap="lg">
      <ScreenHeader
        title="Referrals"
        description="Applications an officer referred, and approvals above the policy waiting for a second supervisor, oldest first. A supervisor other than the officer who asked decides them, with a reason."
        actions={
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            onClick={refresh}
            loading={pending.loading || overrides.loading}
          >
            Refresh
          </Button>
        }
      />
      <PendingOverrides overrides={overrides.data ?? []} onOpen={onOpen} onDecide={setDeciding} />
      <Card p={pending.data && items.length === 0 ? 'lg' : 0}>
        {pending.data && items.length === 0 ? (
          <EmptyState
            py="xl"
            icon={<IconReview size={28} />}
            title="No referral waiting"
            description="Nothing to review."
          />
        ) : (
          <Table.ScrollContainer minWidth={980}>
            <Table aria-label="Pending referrals">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Waiting</Table.Th>
                  <Table.Th>Applicant</Table.Th>
                  <Table.Th>Score</Table.Th>
                  <Table.Th>Amount</Table.Th>
                  <Table.Th>Policy</Table.Th>
                  <Table.Th>Referral reasons</Table.Th>
                  <Table.Th>By</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((referral) => (
                  <Table.Tr key={referral.decisionId} data-decision={referral.decisionId}>
                    <Table.Td fz="sm" data-testid="referral-waiting">
                      <Tooltip label={`Referred ${formatDateTime(referral.createdAt)}`}>
                        <span>{waitedFor(referral.createdAt, now)}</span>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <ApplicantLink applicantId={referral.applicantId} onOpen={onOpen} />
                    </Table.Td>
                    <Table.Td fz="sm" data-testid="referral-score" style={{ whiteSpace: 'nowrap' }}>
                      <strong>{referral.score}</strong> · band {referral.band}
                    </Table.Td>
                    <Table.Td fz="sm" data-testid="referral-amount" style={{ whiteSpace: 'nowrap' }}>
                      {loanText(referral.requestedAmount, referral.termMonths)}
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={OUTCOME_COLORS[referral.policyOutcome]}>
                        {OUTCOME_LABELS[referral.policyOutcome]}
                      </Badge>
                    </Table.Td>
                    <Table.Td fz="sm">
                      <Text size="sm" lineClamp={2}>
                        {referral.reasonCodes.map((code) => reasonCodeLabel(code)).join('; ') || '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td fz="sm">{officerLabel(referral.officerId)}</Table.Td>
                    <Table.Td ta="right">
                      <Button size="compact-sm" onClick={() => setReviewing(referral)}>
                        Review
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <OverrideApprovalModal
        override={deciding}
        onClose={() => setDeciding(null)}
        onOpenApplicant={(applicantId) => {
          setDeciding(null);
          onOpen(applicantId);
        }}
      />
      <ReviewReferralModal
        referral={reviewing}
        onClose={() => setReviewing(null)}
        onOpenApplicant={(applicantId) => {
          setReviewing(null);
          onOpen(applicantId);
        }}
      />
    </Stack>
  );
}

export function ReferralsScreen() {
  const [view, setView] = useState<View>({ kind: 'queue' });
  const toQueue = (): void => setView({ kind: 'queue' });
  switch (view.kind) {
    case 'queue':
      return <Queue onOpen={(applicantId) => setView({ kind: 'applicant', applicantId })} />;
    case 'applicant':
      return (
        <Stack gap="xs">
          <div>
            <Button variant="subtle" size="compact-sm" leftSection={<IconArrowLeft size={14} />} onClick={toQueue}>
              Back to referrals
            </Button>
          </div>
          <ApplicantPage
            key={view.applicantId}
            applicantId={view.applicantId}
            onBack={toQueue}
            onOpenReceipt={(receiptId) => setView({ kind: 'receipt', applicantId: view.applicantId, receiptId })}
          />
        </Stack>
      );
    case 'receipt':
      return (
        <ReceiptView
          receiptId={view.receiptId}
          backLabel="Open the applicant"
          onBack={() => setView({ kind: 'applicant', applicantId: view.applicantId })}
        />
      );
  }
}
