/**
 * The fleet view: per branch, each workstation's app version and channel, model release and hash, policy, database
 * size, free disk, errors, scoring p95 and model load failures, as it reported them after its latest sync; and the
 * published model releases, which a release manager can propose withdrawing from every branch.
 */
import { Badge, Box, Button, Card, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { ConsoleOverview } from '../../../../shared/ipc/sync';
import type { DeviceSummary } from '../../../../shared/sync/admin';
import type { DeviceHealth, ModelReleaseSummary } from '../../../../shared/sync/fleet';
import { formatBytes, formatCount, formatDateTime, formatDuration } from '../../format';
import { CardTitle } from './ConsoleHeadings';
import { RelativeTime } from './RelativeTime';
import { plural } from './sync-labels';
import { PromoteChallengerModal } from './PromoteChallengerModal';
import { WithdrawModelModal } from './WithdrawModelModal';

/** Below this a branch PC cannot take a model release and a database backup with room to spare. */
const LOW_DISK_BYTES = 2 * 1024 ** 3;

const UNCLIPPED = { label: { overflow: 'visible' } } as const;

function byBranch(devices: readonly DeviceSummary[]): [string, DeviceSummary[]][] {
  const groups = new Map<string, DeviceSummary[]>();
  for (const device of devices) {
    groups.set(device.branchId, [...(groups.get(device.branchId) ?? []), device]);
  }
  return [...groups.entries()].sort(([x], [y]) => x.localeCompare(y));
}

function errorsSince(health: DeviceHealth): number {
  const counts = health.diagnostics?.sinceSync;
  return counts === undefined
    ? 0
    : counts.coreErrors + counts.rendererErrors + counts.rendererCrashes + counts.mainCrashes + counts.childCrashes;
}

function ModelCell({ health }: { health: DeviceHealth }) {
  const { model } = health;
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap">
        <Text size="sm" ff="monospace">
          {model.release ?? 'shipped package'}
        </Text>
        {model.state === 'verified' ? null : (
          <Badge color="red" variant="light" radius="sm" styles={UNCLIPPED}>
            {model.state === 'refused' ? 'refused' : 'none loaded'}
          </Badge>
        )}
      </Group>
      <Text size="xs" c="dimmed" ff="monospace">
        {model.modelVersion === null ? '—' : `v${model.modelVersion}`}
        {model.modelHash === null ? '' : ` · ${model.modelHash.slice(0, 12)}`}
      </Text>
    </Stack>
  );
}

function ErrorsCell({ health }: { health: DeviceHealth }) {
  const diagnostics = health.diagnostics;
  if (diagnostics === null) {
    return (
      <Text size="sm" c="dimmed">
        not reported
      </Text>
    );
  }
  const since = errorsSince(health);
  const crash = diagnostics.lastCrash;
  return (
    <Stack gap={2}>
      <Text size="sm" c={since > 0 ? 'red' : undefined} fw={since > 0 ? 600 : undefined}>
        {since === 0 ? 'none since last sync' : `${formatCount(since)} since last sync`}
      </Text>
      {crash === null ? null : (
        <Text size="xs" c="dimmed">
          Last crash {formatDateTime(crash.at)}: {crash.kind} ({crash.detail})
        </Text>
      )}
    </Stack>
  );
}

/** Shown where a workstation built before performance reports sent none, or scored nothing since its last sync. */
function Absent() {
  return (
    <Text size="sm" c="dimmed">
      —
    </Text>
  );
}

function ScoringCell({ health }: { health: DeviceHealth }) {
  const performance = health.performance;
  if (performance === undefined) {
    return <Absent />;
  }
  return (
    <Stack gap={2} align="flex-end">
      {performance.scoreP95Ms === null ? <Absent /> : <Text size="sm">{formatDuration(performance.scoreP95Ms)}</Text>}
      <Text size="xs" c="dimmed">
        {plural(performance.scoresSinceSync, 'score')}
      </Text>
    </Stack>
  );
}

function LoadFailuresCell({ health }: { health: DeviceHealth }) {
  const failures = health.performance?.modelLoadFailures;
  if (failures === undefined) {
    return <Absent />;
  }
  return (
    <Text size="sm" c={failures > 0 ? 'red' : undefined} fw={failures > 0 ? 600 : undefined}>
      {formatCount(failures)}
    </Text>
  );
}

function FleetTable({ devices, thisDeviceId }: { devices: readonly DeviceSummary[]; thisDeviceId: string | null }) {
  return (
    // The viewport takes focus so that keyboard users can scroll the wide table sideways (axe: scrollable-region-focusable).
    <Table.ScrollContainer
      minWidth={1240}
      scrollAreaProps={{ viewportProps: { tabIndex: 0, 'aria-label': 'Fleet, one row per workstation' } }}
    >
      <Table aria-label="Fleet" horizontalSpacing="sm" verticalSpacing="xs" style={{ whiteSpace: 'nowrap' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Device</Table.Th>
            <Table.Th>App</Table.Th>
            <Table.Th>Model</Table.Th>
            <Table.Th>Policy</Table.Th>
            <Table.Th ta="right">Database</Table.Th>
            <Table.Th ta="right">Free disk</Table.Th>
            <Table.Th>Errors</Table.Th>
            <Table.Th ta="right">
              <Tooltip label="95th percentile of the time to score an applicant, over the scores since the last sync">
                <span>Scoring p95</span>
              </Tooltip>
            </Table.Th>
            <Table.Th ta="right">
              <Tooltip label="Model packages refused or failing to load since the last sync">
                <span>Load failures</span>
              </Tooltip>
            </Table.Th>
            <Table.Th>Reported</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {byBranch(devices).map(([branchId, members]) => [
            <Table.Tr
              key={`branch:${branchId}`}
              bg="light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-6))"
            >
              <Table.Th colSpan={10} scope="colgroup">
                Branch {branchId} · {plural(members.length, 'workstation')}
              </Table.Th>
            </Table.Tr>,
            ...members.map((device) => {
              const health = device.health;
              const lowDisk = health !== null && health.freeDiskBytes !== null && health.freeDiskBytes < LOW_DISK_BYTES;
              return (
                <Table.Tr
                  key={device.deviceId}
                  data-fleet-device={device.deviceId}
                  data-model-release={health?.model.release ?? ''}
                  data-app-version={health?.appVersion ?? ''}
                >
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" ff="monospace">
                        {device.deviceId}
                      </Text>
                      {device.deviceId === thisDeviceId ? (
                        <Badge variant="light" radius="sm" styles={UNCLIPPED}>
                          this workstation
                        </Badge>
                      ) : null}
                      {device.status === 'revoked' ? (
                        <Badge color="gray" radius="sm" styles={UNCLIPPED}>
                          revoked
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  {health === null ? (
                    <Table.Td colSpan={9}>
                      <Text size="sm" c="dimmed">
                        No report yet: it arrives with the workstation's next sync.
                      </Text>
                    </Table.Td>
                  ) : (
                    <>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <Text size="sm" ff="monospace">
                            {health.appVersion}
                          </Text>
                          <Badge color="gray" variant="light" radius="sm" styles={UNCLIPPED}>
                            {health.channel ?? 'development'}
                          </Badge>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <ModelCell health={health} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {health.policyVersion ?? 'model default'}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Text size="sm">{formatBytes(health.databaseBytes)}</Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        {health.freeDiskBytes === null ? (
                          <Text size="sm" c="dimmed">
                            unknown
                          </Text>
                        ) : (
                          <Text size="sm" c={lowDisk ? 'red' : undefined} fw={lowDisk ? 600 : undefined}>
                            {formatBytes(health.freeDiskBytes)}
                            {lowDisk ? ' (low)' : ''}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <ErrorsCell health={health} />
                      </Table.Td>
                      <Table.Td ta="right" data-fleet-cell="scoring">
                        <ScoringCell health={health} />
                      </Table.Td>
                      <Table.Td ta="right" data-fleet-cell="load-failures">
                        <LoadFailuresCell health={health} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          <RelativeTime iso={health.receivedAt} />
                        </Text>
                      </Table.Td>
                    </>
                  )}
                </Table.Tr>
              );
            }),
          ])}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ModelReleasesTable({
  releases,
  devices,
  canWithdraw,
  onWithdraw,
  onPromote,
}: {
  releases: readonly ModelReleaseSummary[];
  devices: readonly DeviceSummary[];
  canWithdraw: boolean;
  onWithdraw(release: ModelReleaseSummary): void;
  onPromote(release: ModelReleaseSummary): void;
}) {
  if (releases.length === 0) {
    return (
      <Text size="sm" c="dimmed" px="lg" pb="lg">
        No model release was published centrally: every workstation uses the package shipped with the app.
      </Text>
    );
  }
  return (
    <Table aria-label="Model releases" horizontalSpacing="sm" verticalSpacing="xs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Release</Table.Th>
          <Table.Th>Published</Table.Th>
          <Table.Th ta="right">In use on</Table.Th>
          <Table.Th>Challenger (shadow)</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th ta="right">Actions</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {releases.map((release) => {
          const using = devices.filter((d) => d.health?.model.release === release.version).length;
          return (
            <Table.Tr key={release.version} data-model-release-row={release.version}>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {release.version}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(release.publishedAt)}</Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm">{plural(using, 'workstation')}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff={release.challengerVersion === null ? undefined : 'monospace'}>
                  {release.challengerVersion ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                {release.withdrawnAt === null ? (
                  <Badge color="teal" variant="light" radius="sm" styles={UNCLIPPED}>
                    published
                  </Badge>
                ) : (
                  <Badge color="red" variant="light" radius="sm" styles={UNCLIPPED}>
                    withdrawn {formatDateTime(release.withdrawnAt)}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td ta="right">
                {release.withdrawnAt === null ? (
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    {release.challengerVersion === null ? null : (
                      <Tooltip label="Only a release manager may propose a promotion" disabled={canWithdraw}>
                        <Button size="xs" variant="default" disabled={!canWithdraw} onClick={() => onPromote(release)}>
                          Promote challenger…
                        </Button>
                      </Tooltip>
                    )}
                    <Tooltip label="Only a release manager may propose a withdrawal" disabled={canWithdraw}>
                      <Button
                        size="xs"
                        variant="default"
                        color="red"
                        disabled={!canWithdraw}
                        onClick={() => onWithdraw(release)}
                      >
                        Withdraw…
                      </Button>
                    </Tooltip>
                  </Group>
                ) : null}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

export function FleetPanel({ overview, thisDeviceId }: { overview: ConsoleOverview; thisDeviceId: string | null }) {
  const [withdrawing, setWithdrawing] = useState<ModelReleaseSummary | null>(null);
  const [promoting, setPromoting] = useState<ModelReleaseSummary | null>(null);
  const reported = overview.devices.filter((d) => d.health !== null).length;
  const versions = new Set(overview.devices.flatMap((d) => (d.health === null ? [] : [d.health.appVersion])));
  return (
    <Card component="section" aria-labelledby="fleet-title" p={0} data-testid="fleet-panel">
      <Box px="lg" pt="lg" pb="xs">
        <CardTitle
          id="fleet-title"
          title="Fleet"
          description={`${plural(reported, 'workstation')} reported after their latest sync, running ${plural(versions.size, 'app version')}. Versions, sizes, error counts and scoring times only; no applicant data.`}
        />
      </Box>
      <FleetTable devices={overview.devices} thisDeviceId={thisDeviceId} />
      <Box px="lg" pt="md" pb="xs">
        <Text fw={600} size="sm" id="model-releases-title">
          Model releases
        </Text>
        <Text size="xs" c="dimmed">
          Withdrawing a release sends every branch using it back to its previous release with its next sync; no branch
          installs it again. A release&apos;s challenger is scored in shadow only; promoting it proposes a release where
          it decides.
        </Text>
      </Box>
      <ModelReleasesTable
        releases={overview.modelReleases}
        devices={overview.devices}
        canWithdraw={overview.admin.roles.includes('release-manager')}
        onWithdraw={setWithdrawing}
        onPromote={setPromoting}
      />
      <WithdrawModelModal release={withdrawing} onClose={() => setWithdrawing(null)} />
      <PromoteChallengerModal release={promoting} onClose={() => setPromoting(null)} />
    </Card>
  );
}
