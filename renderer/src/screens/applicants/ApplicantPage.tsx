/** One applicant: personal data, consent, behavioural data, review and decisions, timeline, export and erasure. */
import { Alert, Badge, Button, Group, SimpleGrid, Skeleton, Stack, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import type { ApplicantDetail } from '../../../../shared/ipc/applicants';
import { canCall, useSession } from '../../auth';
import { IconAlert, IconArrowLeft, IconDownload, IconTrash } from '../../components/icons';
import { ScreenHeader } from '../../components/screen-header';
import { downloadText } from '../../files';
import { formatDate, formatDateTime } from '../../format';
import { useNexisMutation, useNexisQuery } from '../../hooks';
import { ReviewPanel } from '../review';
import { ApplicantTimeline } from './ApplicantTimeline';
import { BehaviourForm } from './BehaviourForm';
import { ConsentCard } from './ConsentCard';
import { EraseModal } from './EraseModal';
import { PersonalDataCard } from './PersonalDataCard';
import { RetentionCard } from './RetentionCard';
import { StatementImport } from './StatementImport';
import type { ApplicantTab } from './applicant-labels';
import { useOfficerLabel } from './use-officer-label';

export interface ApplicantPageProps {
  applicantId: string;
  /** The tab to open on (the queue's next step opens where it is done); Overview by default. */
  initialTab?: ApplicantTab;
  onBack(): void;
  onOpenReceipt(receiptId: string): void;
}

function scoringConsent(detail: ApplicantDetail): boolean {
  return detail.purposes.some((p) => p.purpose === 'credit-scoring' && p.active);
}

function ActiveApplicant({
  detail,
  initialTab,
  onOpenReceipt,
}: {
  detail: ApplicantDetail;
  initialTab: ApplicantTab;
  onOpenReceipt(receiptId: string): void;
}) {
  const { officer } = useSession();
  const lending = canCall(officer.role, 'applicants:saveFeatures');
  const consent = scoringConsent(detail);
  const [tab, setTab] = useState<string | null>(initialTab);
  const officerLabel = useOfficerLabel();
  return (
    <Tabs value={tab} onChange={setTab} keepMounted={false} variant="outline">
      <Tabs.List mb="lg">
        <Tabs.Tab value="overview">Overview</Tabs.Tab>
        <Tabs.Tab value="behaviour">Behavioural data</Tabs.Tab>
        <Tabs.Tab value="review">Review and decision</Tabs.Tab>
        <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="overview">
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg" style={{ alignItems: 'start' }}>
          {detail.personal ? <PersonalDataCard applicantId={detail.applicantId} personal={detail.personal} /> : null}
          <ConsentCard detail={detail} onOpenReceipt={onOpenReceipt} />
          {detail.retention ? (
            <RetentionCard applicantId={detail.applicantId} retention={detail.retention} nameOf={officerLabel} />
          ) : null}
        </SimpleGrid>
      </Tabs.Panel>
      <Tabs.Panel value="behaviour">
        <Stack gap="lg">
          {!consent ? (
            <Alert color="red" variant="light" icon={<IconAlert />} title="No consent to credit scoring">
              Behavioural data cannot be captured or changed without an active consent to credit scoring.
            </Alert>
          ) : null}
          {lending && consent ? <StatementImport applicantId={detail.applicantId} /> : null}
          <BehaviourForm
            key={detail.behaviour?.recordId ?? 'none'}
            applicantId={detail.applicantId}
            record={detail.behaviour}
            editable={lending && consent}
          />
        </Stack>
      </Tabs.Panel>
      <Tabs.Panel value="review">
        <ReviewPanel detail={detail} />
      </Tabs.Panel>
      <Tabs.Panel value="timeline">
        <TimelineWithNames detail={detail} />
      </Tabs.Panel>
    </Tabs>
  );
}

function TimelineWithNames({ detail }: { detail: ApplicantDetail }) {
  const officerLabel = useOfficerLabel();
  return <ApplicantTimeline entries={detail.timeline} nameOf={officerLabel} />;
}

export function ApplicantPage({ applicantId, initialTab = 'overview', onBack, onOpenReceipt }: ApplicantPageProps) {
  const { officer } = useSession();
  const detail = useNexisQuery('applicants:get', { applicantId });
  const [erasing, setErasing] = useState(false);
  const exportCall = useNexisMutation('applicants:export', {
    successMessage: 'Export downloaded as JSON and as text. The export is recorded in the audit trail.',
  });
  const data = detail.data;
  const active = data?.status === 'active';

  const runExport = async (): Promise<void> => {
    const result = await exportCall.run({ applicantId });
    if (result.ok) {
      downloadText(`${result.value.fileName}.json`, result.value.json, 'application/json;charset=utf-8');
      downloadText(`${result.value.fileName}.txt`, result.value.text);
    }
  };

  return (
    <Stack gap={0}>
      <ScreenHeader
        // The masked name is who the officer is working with; the pseudonymous id stays beside it.
        title={data === null ? 'Applicant' : (data.personal?.fullName ?? 'Erased applicant')}
        secondary={applicantId}
        description={
          data ? (
            <Group gap="xs" component="span">
              <Badge variant="light" color={active ? 'teal' : 'gray'} data-testid="applicant-status">
                {active ? 'Active' : 'Erased'}
              </Badge>
              <Text span size="sm" c="dimmed">
                Registered {formatDate(data.createdAt)}
              </Text>
            </Group>
          ) : (
            'Loading…'
          )
        }
        actions={
          <>
            <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={onBack}>
              Applicants
            </Button>
            {active && canCall(officer.role, 'applicants:export') ? (
              <Button
                variant="default"
                leftSection={<IconDownload size={16} />}
                onClick={() => void runExport()}
                loading={exportCall.pending}
              >
                Export data
              </Button>
            ) : null}
            {active && canCall(officer.role, 'applicants:erase') ? (
              <Button
                color="red"
                variant="light"
                leftSection={<IconTrash size={16} />}
                onClick={() => setErasing(true)}
              >
                Erase
              </Button>
            ) : null}
          </>
        }
      />
      {data === null ? (
        detail.error ? (
          <Alert color="red" variant="light">
            This applicant could not be read.
          </Alert>
        ) : (
          <Skeleton h={360} radius="md" />
        )
      ) : data.status === 'erased' ? (
        <Stack gap="lg">
          <Alert color="gray" variant="light" title="Applicant erased" data-testid="applicant-erased">
            The personal data of this applicant was erased
            {data.erasedAt ? ` on ${formatDateTime(data.erasedAt)}` : ''}. Only the pseudonymous audit trail remains.
          </Alert>
          <TimelineWithNames detail={data} />
        </Stack>
      ) : (
        <ActiveApplicant detail={data} initialTab={initialTab} onOpenReceipt={onOpenReceipt} />
      )}
      <EraseModal applicantId={applicantId} opened={erasing} onClose={() => setErasing(false)} />
    </Stack>
  );
}
