import { Badge, Button, Card, EmptyState, Group, LoadingOverlay, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { ApplicantSummary } from '../../../../shared/ipc/applicants';
import { canCall, useSession } from '../../auth';
import { IconApplicants, IconPlus, IconRefresh, IconSearch } from '../../components/icons';
import { PageNav } from '../../components/page-nav';
import { ScreenHeader } from '../../components/screen-header';
import { formatCount, formatDate } from '../../format';
import { useNexisQuery } from '../../hooks';

const PAGE_SIZE = 20;

export interface ApplicantListProps {
  onOpen(applicantId: string): void;
  onNew(): void;
}

function ApplicantRow({ item, onOpen }: { item: ApplicantSummary; onOpen(id: string): void }) {
  return (
    <Table.Tr data-applicant-id={item.applicantId} data-status={item.status}>
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
      <Table.Td fz="sm">{item.maskedName}</Table.Td>
      <Table.Td fz="sm" ff="monospace">
        {item.maskedPhone}
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={item.status === 'active' ? 'teal' : 'gray'}>
          {item.status === 'active' ? 'Active' : 'Erased'}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Badge variant="dot" color={item.scoringConsent ? 'teal' : 'red'}>
          {item.scoringConsent ? 'Scoring consent' : 'No scoring consent'}
        </Badge>
      </Table.Td>
      <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
        <time dateTime={item.createdAt}>{formatDate(item.createdAt)}</time>
      </Table.Td>
    </Table.Tr>
  );
}

/** Applicants of this workstation, searched on the core's blind index by id, name or phone. */
export function ApplicantList({ onOpen, onNew }: ApplicantListProps) {
  const { officer } = useSession();
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  const list = useNexisQuery('applicants:list', {
    ...(query === '' ? {} : { query }),
    page,
    pageSize: PAGE_SIZE,
  });
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <Stack gap="lg">
      <ScreenHeader
        title="Applicants"
        description="Applicants registered on this workstation. Personal data stays masked until revealed."
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
            {canCall(officer.role, 'applicants:register') ? (
              <Button leftSection={<IconPlus size={16} />} onClick={onNew}>
                New applicant
              </Button>
            ) : null}
          </>
        }
      />
      <Card p="lg">
        <Stack gap="md">
          <TextInput
            label="Search"
            description="Applicant id, the start of a name, or the last digits of a phone number"
            placeholder="NEX-…, Wanjiru, 5678"
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(event) => {
              setSearch(event.currentTarget.value);
              setPage(1);
            }}
            maxLength={100}
            maw={480}
          />
          <div style={{ position: 'relative', minHeight: 120 }}>
            <LoadingOverlay visible={list.loading && list.data === null} overlayProps={{ blur: 1 }} />
            {list.data && list.data.items.length === 0 ? (
              <EmptyState
                py="xl"
                icon={<IconApplicants size={28} />}
                title={query === '' ? 'No applicants yet' : 'No applicant matches'}
                description={
                  query === ''
                    ? 'Register the first applicant with "New applicant".'
                    : 'Check the spelling or search by id.'
                }
              />
            ) : (
              <Table.ScrollContainer minWidth={820}>
                <Table striped aria-label="Applicants">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={220}>Applicant id</Table.Th>
                      <Table.Th>Name</Table.Th>
                      <Table.Th w={130}>Phone</Table.Th>
                      <Table.Th w={100}>Status</Table.Th>
                      <Table.Th w={190}>Consent</Table.Th>
                      <Table.Th w={130}>Registered</Table.Th>
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
