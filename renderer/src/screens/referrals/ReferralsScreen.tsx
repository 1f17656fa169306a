/** Referrals waiting for a supervisor: decided here by another supervisor than the referrer. */
import { Badge, Button, Card, EmptyState, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { DecisionView } from '../../../../shared/ipc/scoring';
import { IconRefresh, IconReview } from '../../components/icons';
import { ScreenHeader } from '../../components/screen-header';
import { formatDateTime } from '../../format';
import { useNexisQuery } from '../../hooks';
import { useOfficerLabel } from '../applicants/use-officer-label';
import { OUTCOME_COLORS, OUTCOME_LABELS, reasonCodeLabel } from '../review/review-labels';
import { ReviewReferralModal } from './ReviewReferralModal';

export function ReferralsScreen() {
  const pending = useNexisQuery('decisions:pendingReviews', {});
  const officerLabel = useOfficerLabel();
  const [reviewing, setReviewing] = useState<DecisionView | null>(null);
  const items = pending.data ?? [];
  return (
    <Stack gap="lg">
      <ScreenHeader
        title="Referrals"
        description="Applications an officer referred. A supervisor other than the referrer approves or declines them."
        actions={
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            onClick={pending.refresh}
            loading={pending.loading}
          >
            Refresh
          </Button>
        }
      />
      <Card p={pending.data && items.length === 0 ? 'lg' : 0}>
        {pending.data && items.length === 0 ? (
          <EmptyState
            py="xl"
            icon={<IconReview size={28} />}
            title="No referral waiting"
            description="Nothing to review."
          />
        ) : (
          <Table.ScrollContainer minWidth={820}>
            <Table aria-label="Pending referrals">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Referred</Table.Th>
                  <Table.Th>Applicant</Table.Th>
                  <Table.Th>Policy</Table.Th>
                  <Table.Th>Reasons</Table.Th>
                  <Table.Th>By</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((referral) => (
                  <Table.Tr key={referral.decisionId}>
                    <Table.Td fz="sm">{formatDateTime(referral.createdAt)}</Table.Td>
                    <Table.Td ff="monospace" fz="sm">
                      {referral.applicantId}
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
      <ReviewReferralModal referral={reviewing} onClose={() => setReviewing(null)} onReviewed={pending.refresh} />
    </Stack>
  );
}
