import {
  Badge,
  Button,
  Card,
  EmptyState,
  Group,
  LoadingOverlay,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { ApplicantSummary } from '../../../../shared/ipc/applicants';
import { canCall, useSession } from '../../auth';
import { IconApplicants, IconPlus, IconRefresh, IconSearch } from '../../components/icons';
import { PageNav } from '../../components/page-nav';
import { ScreenHeader } from '../../components/screen-header';
import { formatCount, formatDate } from '../../format';
import { useNexisQuery } from '../../hooks';
import { useShellNavigation } from '../../shell/shell-navigation';
import { nextStep, STAGE_COLORS, STAGE_LABELS, type ApplicantTab } from './applicant-labels';

const PAGE_SIZE = 20;

export interface ApplicantListProps {
  onOpen(applicantId: string, tab?: ApplicantTab): void;
  onNew(): void;
}

function NextStepCell({ item, onOpen }: { item: ApplicantSummary; onOpen: ApplicantListProps['onOpen'] }) {
  const { officer } = useSession();
  const { available, navigate } = useShellNavigation();
  const step = nextStep(item, canCall(officer.role, 'decisions:review'));
  const target = step.target;
  if (target === null || ('screen' in target && !available.includes(target.screen))) {
    return (
      <Text size="sm" c="dimmed">
        {step.label}
      </Text>
    );
  }
  return (
    <Button
      variant="light"
      size="compact-sm"
      onClick={() => ('tab' in target ? onOpen(item.applicantId, target.tab) : navigate(target.screen))}
      aria-label={`${step.label}: ${item.applicantId}`}
    >
      {step.label}
    </Button>
  );
}

function ApplicantRow({ item, onOpen }: { item: ApplicantSummary; onOpen: ApplicantListProps['onOpen'] }) {
  return (
    <Table.Tr data-applicant-id={item.applicantId} data-status={item.status} data-stage={item.stage}>
      <Table.Td>
        <Button
          variant="subtle"
          size="compact-sm"
          ff="monospace"
          onClick={() => onOpen(item.applicantId)}
          aria-label={`Open ${item.applicantId}`}
        >
          {item.applicantId}
        </Button>
      </Table.Td>
      <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
        {item.maskedName}
      </Table.Td>
      <Table.Td fz="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
        {item.maskedPhone}
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={STAGE_COLORS[item.stage]} style={{ flexShrink: 0 }}>
          {STAGE_LABELS[item.stage]}
        </Badge>
      </Table.Td>
      <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }} data-testid="applicant-score">
        {item.score === null ? (
          <Text span size="sm" c="dimmed">
            Not scored
          </Text>
        ) : (
          `${item.score} · band ${item.band ?? '?'}`
        )}
      </Table.Td>
      <Table.Td>
        <NextStepCell item={item} onOpen={onOpen} />
      </Table.Td>
      <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
        <time dateTime={item.createdAt}>{formatDate(item.createdAt)}</time>
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * The applicant queue: applicants of this workstation with where each stands, the latest score and the next step,
 * searched on the core's blind index by id, name or phone (any written form).
 */
export function ApplicantList({ onOpen, onNew }: ApplicantListProps) {
  const { officer } = useSession();
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 300);
  const [whose, setWhose] = useState<'all' | 'mine'>('all');
  const [page, setPage] = useState(1);
  const registers = canCall(officer.role, 'applicants:register');
  const list = useNexisQuery('applicants:list', {
    ...(query === '' ? {} : { query }),
    ...(whose === 'mine' ? { mine: true } : {}),
    page,
    pageSize: PAGE_SIZE,
  });
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <Stack gap="lg">
      <ScreenHeader
        title="Applicants"
        description="Where each applicant stands and what to do next. Personal data stays masked until revealed."
        actions={
          <>
            <Button
              variant="default"
              leftSection={<IconRefresh size={16} />}
              onClick={list.refresh}
              loading={list.loading}
            >
              Refresh
            </Button>
            {registers ? (
              <Button leftSection={<IconPlus size={16} />} onClick={onNew}>
                New applicant
              </Button>
            ) : null}
          </>
        }
      />
      <Card p="lg">
        <Stack gap="md">
          <Group align="flex-end" justify="space-between" gap="md">
            <TextInput
              label="Search"
              description="Applicant id, the start of a name, a phone number or its last digits"
              placeholder="NEX-…, Wanjiru, 0712 345 678, 5678"
              leftSection={<IconSearch size={16} />}
              value={search}
              onChange={(event) => {
                setSearch(event.currentTarget.value);
                setPage(1);
              }}
              maxLength={100}
              w={480}
              maw="100%"
            />
            {registers ? (
              <SegmentedControl
                aria-label="Whose applicants"
                value={whose}
                onChange={(value) => {
                  setWhose(value === 'mine' ? 'mine' : 'all');
                  setPage(1);
                }}
                data={[
                  { value: 'all', label: 'All applicants' },
                  { value: 'mine', label: 'Registered by me' },
                ]}
              />
            ) : null}
          </Group>
          <div style={{ position: 'relative', minHeight: 120 }}>
            <LoadingOverlay visible={list.loading && list.data === null} overlayProps={{ blur: 1 }} />
            {list.data && list.data.items.length === 0 ? (
              <EmptyState
                py="xl"
                icon={<IconApplicants size={28} />}
                title={query === '' ? 'No applicants yet' : 'No applicant matches'}
                description={
                  query !== ''
                    ? 'Check the spelling or search by id.'
                    : registers
                      ? 'Register the first applicant with "New applicant".'
                      : 'Officers register applicants; they appear here.'
                }
              />
            ) : (
              <Table.ScrollContainer minWidth={980}>
                <Table striped aria-label="Applicants">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={190}>Applicant id</Table.Th>
                      <Table.Th>Name</Table.Th>
                      <Table.Th w={90}>Phone</Table.Th>
                      <Table.Th w={130}>Stage</Table.Th>
                      <Table.Th w={120}>Score</Table.Th>
                      <Table.Th w={210}>Next step</Table.Th>
                      <Table.Th w={110}>Registered</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {(list.data?.items ?? []).map((item) => (
                      <ApplicantRow key={item.applicantId} item={item} onOpen={onOpen} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </div>
          <Group justify="space-between">
            <Text size="sm" c="dimmed" aria-live="polite" data-testid="applicants-count">
              {total === 0 ? 'No applicants' : `${formatCount(total)} applicant${total === 1 ? '' : 's'}`}
            </Text>
            <PageNav label="Applicant pages" pages={pages} page={page} onChange={setPage} />
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
