/** The central API's own audit chain: newest first, 50 a page, filtered by the start of the action name. */
import { Box, Button, Card, Code, EmptyState, Group, LoadingOverlay, Select, Table, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ProposalView } from '../../../../shared/sync/proposals';
import type { ServerAuditEntry } from '../../../../shared/sync/server-audit';
import { IconAudit, IconRefresh } from '../../components/icons';
import { formatCount, formatDateTime } from '../../format';
import { useNexisQuery } from '../../hooks';
import { CardTitle } from './ConsoleHeadings';

const PAGE_SIZE = 50;
const ALL = 'all';

const ACTION_FILTERS = [
  { value: ALL, label: 'All actions' },
  { value: 'admin.', label: 'Administrators (admin.)' },
  { value: 'proposal.', label: 'Proposals (proposal.)' },
  { value: 'device.', label: 'Devices (device.)' },
  { value: 'enrolment.', label: 'Enrolment codes (enrolment.)' },
  { value: 'officer.', label: 'Officer grants (officer.)' },
  { value: 'consent.', label: 'Consent withdrawals (consent.)' },
  { value: 'keys.', label: 'Server keys (keys.)' },
];

/** The payload in one line, with administrator ids the console can name shown by name. */
function details(payload: ServerAuditEntry['payload'], names: ReadonlyMap<string, string>): string {
  return Object.entries(payload)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? (names.get(value) ?? value) : JSON.stringify(value)}`)
    .join(' · ');
}

/** Names from every proposal (proposers and deciders) added to the ones the overview gave. */
function withProposalNames(
  names: ReadonlyMap<string, string>,
  proposals: readonly ProposalView[],
): Map<string, string> {
  const all = new Map(names);
  for (const p of proposals) {
    if (p.proposedByName !== null) {
      all.set(p.proposedBy, p.proposedByName);
    }
    if (p.decidedBy !== null && p.decidedByName !== null) {
      all.set(p.decidedBy, p.decidedByName);
    }
  }
  return all;
}

function Actor({ id, names }: { id: string; names: ReadonlyMap<string, string> }) {
  const name = names.get(id);
  return (
    <>
      {name === undefined ? null : (
        <Text size="sm" lh={1.3}>
          {name}
        </Text>
      )}
      <Text
        size={name === undefined ? 'sm' : 'xs'}
        c={name === undefined ? undefined : 'dimmed'}
        ff="monospace"
        style={{ whiteSpace: 'nowrap' }}
      >
        {id}
      </Text>
    </>
  );
}

function AuditRows({ entries, names }: { entries: readonly ServerAuditEntry[]; names: ReadonlyMap<string, string> }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table aria-label="Central audit entries" verticalSpacing="xs" horizontalSpacing="lg" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th ta="right" w={70}>
              Seq
            </Table.Th>
            <Table.Th w={190}>Time</Table.Th>
            <Table.Th w={200}>Actor</Table.Th>
            <Table.Th w={230}>Action</Table.Th>
            <Table.Th>Subject</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => {
            const extra = details(entry.payload, names);
            return (
              <Table.Tr key={entry.seq} data-seq={entry.seq} data-action={entry.action}>
                <Table.Td ta="right" fz="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {formatCount(entry.seq)}
                </Table.Td>
                <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(entry.ts)}
                </Table.Td>
                <Table.Td>
                  <Actor id={entry.actor} names={names} />
                </Table.Td>
                <Table.Td>
                  <Code fz="xs">{entry.action}</Code>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {entry.subject === null ? '—' : (names.get(entry.subject) ?? entry.subject)}
                  </Text>
                  {extra === '' ? null : (
                    <Text size="xs" c="dimmed" lineClamp={2} title={extra} style={{ wordBreak: 'break-word' }}>
                      {extra}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export interface CentralAuditPanelProps {
  /** Administrator ids the console knows a name for (the signed-in one, proposers and deciders) */
  names: ReadonlyMap<string, string>;
  /** Changes when the overview was read again: the first page follows it */
  refreshKey: string;
}

export function CentralAuditPanel({ names, refreshKey }: CentralAuditPanelProps) {
  const [action, setAction] = useState(ALL);
  // The `before` cursor of each page after the first, so Newer goes back exactly.
  const [cursors, setCursors] = useState<readonly number[]>([]);
  const before = cursors.at(-1);
  const audit = useNexisQuery('console:serverAudit', {
    ...(before === undefined ? {} : { before }),
    ...(action === ALL ? {} : { action }),
  });
  const proposals = useNexisQuery('console:proposals', {});
  const { refresh: refreshEntries } = audit;
  const { refresh: refreshNames } = proposals;
  const refresh = useCallback(() => {
    refreshEntries();
    refreshNames();
  }, [refreshEntries, refreshNames]);
  const allNames = useMemo(() => withProposalNames(names, proposals.data ?? []), [names, proposals.data]);
  const firstPage = before === undefined;
  const seenKey = useRef(refreshKey);
  useEffect(() => {
    if (seenKey.current !== refreshKey) {
      seenKey.current = refreshKey;
      if (firstPage) {
        refresh();
      }
    }
  }, [refreshKey, firstPage, refresh]);

  const entries = audit.data ?? [];
  const newest = entries[0]?.seq;
  const oldest = entries.at(-1)?.seq;
  const hasOlder = entries.length === PAGE_SIZE && oldest !== undefined && oldest > 1;

  return (
    <Card component="section" aria-labelledby="central-audit-title" p={0}>
      <Box px="lg" pt="lg" pb="xs">
        <CardTitle
          id="central-audit-title"
          title="Central audit"
          description="The central API's own hash-chained record: administrator sign-ins, proposals and decisions, enrolments. Newest first."
          actions={
            <Group gap="sm" align="flex-end">
              <Select
                label="Action"
                size="xs"
                w={230}
                data={ACTION_FILTERS}
                value={action}
                allowDeselect={false}
                onChange={(value) => {
                  setAction(value ?? ALL);
                  setCursors([]);
                }}
              />
              <Button
                size="xs"
                variant="default"
                leftSection={<IconRefresh size={14} />}
                onClick={refresh}
                aria-label="Refresh the central audit"
              >
                Refresh
              </Button>
            </Group>
          }
        />
      </Box>
      <div style={{ position: 'relative', minHeight: 120 }}>
        <LoadingOverlay visible={audit.loading && audit.data === null} overlayProps={{ blur: 1 }} />
        {audit.data !== null && entries.length === 0 ? (
          <EmptyState
            py="lg"
            icon={<IconAudit size={28} />}
            title="No entries match"
            description="Choose another action, or All actions."
          />
        ) : (
          <AuditRows entries={entries} names={allNames} />
        )}
      </div>
      <Group justify="space-between" wrap="wrap" gap="sm" px="lg" py="sm">
        <Text size="sm" c="dimmed" aria-live="polite" data-testid="central-audit-range">
          {newest === undefined || oldest === undefined
            ? 'No entries'
            : `Entries #${formatCount(newest)} to #${formatCount(oldest)}${firstPage ? ' (newest)' : ''}`}
        </Text>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            disabled={firstPage}
            onClick={() => setCursors((previous) => previous.slice(0, -1))}
          >
            Newer
          </Button>
          <Button
            size="xs"
            variant="default"
            disabled={!hasOlder}
            onClick={() => {
              if (oldest !== undefined) {
                setCursors((previous) => [...previous, oldest]);
              }
            }}
          >
            Older
          </Button>
        </Group>
      </Group>
    </Card>
  );
}
