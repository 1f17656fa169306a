/** The tamper-evident audit trail: paged entries with filters, and verification of the whole hash chain. */
import { Button, Card, EmptyState, Group, LoadingOverlay, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { AuditVerification } from '../../../../shared/ipc/audit';
import { canCall, useSession } from '../../auth';
import { IconAudit, IconRefresh } from '../../components/icons';
import { PageNav } from '../../components/page-nav';
import { ScreenHeader } from '../../components/screen-header';
import { formatCount } from '../../format';
import { useNexisMutation, useNexisQuery } from '../../hooks';
import { AuditFilters } from './AuditFilters';
import { AuditTable } from './AuditTable';
import { buildAuditQuery, EMPTY_FILTERS, type AuditFilterValues } from './audit-query';
import { useOfficerNames } from './use-officer-names';
import { VerificationResult } from './VerificationResult';

const PAGE_SIZES = ['10', '25', '50', '100'];

export function AuditScreen() {
  const { officer } = useSession();
  const names = useOfficerNames();
  const [filters, setFilters] = useState<AuditFilterValues>(EMPTY_FILTERS);
  const [debouncedActor] = useDebouncedValue(filters.actor, 300);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const list = useNexisQuery(
    'audit:list',
    buildAuditQuery({ ...filters, actor: debouncedActor }, page, pageSize, names.idOf),
  );
  const verify = useNexisMutation('audit:verify');
  const mayVerify = canCall(officer.role, 'audit:verify');

  const runVerification = async (): Promise<void> => {
    const result = await verify.run({});
    if (result.ok) {
      // The check is itself an audit entry: the mutation refetches the list (api/invalidation.ts).
      setVerification(result.value);
    }
  };

  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);

  return (
    <Stack gap="lg">
      <ScreenHeader
        title="Audit trail"
        description="Every change on this workstation, chained by SHA-256 hashes and signed checkpoints. Newest first."
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
            {mayVerify ? (
              <Button
                leftSection={<IconAudit size={16} />}
                onClick={() => void runVerification()}
                loading={verify.pending}
              >
                Verify chain
              </Button>
            ) : null}
          </>
        }
      />
      {verification ? <VerificationResult result={verification} /> : null}
      <Card p="lg">
        <Stack gap="md">
          <AuditFilters
            values={filters}
            actions={list.data?.actions ?? []}
            onChange={(next) => {
              setFilters(next);
              setPage(1);
            }}
          />
          <div style={{ position: 'relative', minHeight: 120 }}>
            <LoadingOverlay visible={list.loading && list.data === null} overlayProps={{ blur: 1 }} />
            {list.data && list.data.entries.length === 0 ? (
              <EmptyState
                py="xl"
                icon={<IconAudit size={28} />}
                title="No entries match"
                description="Change or clear the filters to see more of the trail."
              />
            ) : (
              <AuditTable
                entries={list.data?.entries ?? []}
                nameOf={names.nameOf}
                badSeq={verification && !verification.ok ? verification.firstBadSeq : null}
              />
            )}
          </div>
          <Group justify="space-between" wrap="wrap" gap="sm">
            <Text size="sm" c="dimmed" aria-live="polite" data-testid="audit-range">
              {total === 0
                ? 'No entries'
                : `Entries ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)}`}
            </Text>
            <Group gap="md">
              <Group gap="xs">
                <Text size="sm" c="dimmed" component="label" htmlFor="audit-page-size">
                  Per page
                </Text>
                <Select
                  id="audit-page-size"
                  data={PAGE_SIZES}
                  value={String(pageSize)}
                  onChange={(value) => {
                    setPageSize(Number(value ?? '25'));
                    setPage(1);
                  }}
                  allowDeselect={false}
                  w={80}
                  size="xs"
                />
              </Group>
              <PageNav label="Audit pages" pages={pages} page={page} onChange={setPage} />
            </Group>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
