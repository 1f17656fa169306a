/**
 * Model monitoring (docs/monitoring.md): per model version, what its loans did against what its package promised —
 * realised AUC and KS with their intervals on matured loans, expected against observed bad rate per band, score
 * stability per branch and month, each feature's stability (FeatureStabilityPanel), decision and override rates and
 * the overrides' outcomes — with the flags the
 * central API raised. Every figure the panel shows is in the CSV export.
 */
import { BarChart } from '@mantine/charts';
import {
  Alert,
  Badge,
  Box,
  Button,
  Card,
  EmptyState,
  Group,
  Loader,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { useState } from 'react';
import type {
  ModelMonitoring,
  MonitoringFlag,
  MonitoringReport,
  MonitoringSegment,
} from '../../../../shared/sync/monitoring';
import { MONITORING_THRESHOLDS } from '../../../../shared/sync/monitoring';
import { monitoringCsv } from '../../../../shared/sync/monitoring-csv';
import { IconAlert, IconDownload, IconRefresh, IconStatus } from '../../components/icons';
import { downloadText } from '../../files';
import { formatCount, formatDateTime } from '../../format';
import { useNexisQuery } from '../../hooks';
import { CardTitle } from './ConsoleHeadings';
import { ChallengerComparisonPanel } from './ChallengerComparisonPanel';
import { FeatureStabilityPanel } from './FeatureStabilityPanel';

const WINDOWS = ['6', '12', '18', '24'] as const;
const BRANCH_COLORS = ['nexis.5', 'teal.6', 'orange.6', 'grape.5', 'cyan.6', 'pink.5', 'lime.6', 'indigo.4'];

const percent = (x: number | null, digits = 1): string => (x === null ? '—' : `${(100 * x).toFixed(digits)} %`);
const decimal = (x: number | null, digits = 3): string => (x === null ? '—' : x.toFixed(digits));
const interval = (i: { low: number; high: number } | null, format: (x: number) => string): string =>
  i === null ? '' : `${format(i.low)}–${format(i.high)}`;
const branchName = (s: MonitoringSegment): string => s.branchId ?? 'All branches';

function Figure({ label, value, detail }: { label: string; value: string; detail: string }) {
  return (
    <Box>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="lg">
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {detail}
      </Text>
    </Box>
  );
}

function FlagList({ flags }: { flags: readonly MonitoringFlag[] }) {
  if (flags.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="monitoring-no-flags">
        No flags: score and feature stability, realised AUC and every band's calibration are within their thresholds.
      </Text>
    );
  }
  return (
    <Alert color="orange" variant="light" icon={<IconAlert />} title={`${flags.length} monitoring flag(s)`}>
      <Stack gap={4} data-testid="monitoring-flags">
        {flags.map((f) => (
          <Text key={`${f.code}-${f.branchId ?? 'all'}-${f.month ?? ''}-${f.band ?? ''}-${f.feature ?? ''}`} size="sm">
            {f.message}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

function BranchTable({ model }: { model: ModelMonitoring }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped verticalSpacing="xs" data-testid="monitoring-branches">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Branch</Table.Th>
            <Table.Th ta="right">Decisions</Table.Th>
            <Table.Th ta="right">Approved</Table.Th>
            <Table.Th ta="right">Referred</Table.Th>
            <Table.Th ta="right">Overrides</Table.Th>
            <Table.Th ta="right">Overrides gone bad</Table.Th>
            <Table.Th ta="right">Matured loans</Table.Th>
            <Table.Th ta="right">Realised AUC (95 %)</Table.Th>
            <Table.Th ta="right">KS</Table.Th>
            <Table.Th ta="right">Score PSI (latest month)</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {model.segments.map((s) => {
            const latest = s.stability[s.stability.length - 1];
            return (
              <Table.Tr key={s.branchId ?? 'all'} fw={s.branchId === null ? 600 : undefined}>
                <Table.Td>{branchName(s)}</Table.Td>
                <Table.Td ta="right">{formatCount(s.decisions.total)}</Table.Td>
                <Table.Td ta="right">{percent(s.decisions.approvalRate)}</Table.Td>
                <Table.Td ta="right">{percent(s.decisions.referralRate)}</Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{formatCount(s.decisions.overrides)}</Text>
                  <Text size="xs" c="dimmed">
                    {percent(s.decisions.overrideRate)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  {s.overrides.matured === 0 ? (
                    '—'
                  ) : (
                    <>
                      <Text size="sm">{`${formatCount(s.overrides.bad)} of ${formatCount(s.overrides.matured)}`}</Text>
                      <Text size="xs" c="dimmed">
                        {percent(s.overrides.badRate)}
                      </Text>
                    </>
                  )}
                </Table.Td>
                <Table.Td ta="right">{formatCount(s.performance.matured)}</Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{decimal(s.performance.auc)}</Text>
                  <Text size="xs" c="dimmed">
                    {interval(s.performance.aucInterval, (x) => x.toFixed(3))}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{decimal(s.performance.ks)}</Table.Td>
                <Table.Td ta="right">
                  {latest === undefined ? (
                    '—'
                  ) : (
                    <Group gap={6} justify="flex-end" wrap="nowrap">
                      <Text size="sm">{decimal(latest.psi)}</Text>
                      <Badge
                        size="sm"
                        variant="light"
                        color={latest.level === 'act' ? 'red' : latest.level === 'watch' ? 'orange' : 'gray'}
                      >
                        {latest.level}
                      </Badge>
                    </Group>
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

function CalibrationChart({ segment }: { segment: MonitoringSegment }) {
  if (segment.calibration.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No matured loans yet for {branchName(segment)}: calibration needs loans that went bad, were repaid or passed the
        performance window.
      </Text>
    );
  }
  const data = segment.calibration.map((b) => ({
    band: b.band,
    Expected: Number((100 * (b.expectedBadRate ?? 0)).toFixed(2)),
    Observed: Number((100 * (b.observedBadRate ?? 0)).toFixed(2)),
  }));
  return (
    <Stack gap="xs" data-testid="calibration-chart">
      <BarChart
        h={220}
        data={data}
        dataKey="band"
        unit=" %"
        series={[
          { name: 'Expected', color: 'gray.5' },
          { name: 'Observed', color: 'nexis.5' },
        ]}
        withLegend
        aria-hidden
      />
      <Table verticalSpacing={4} fz="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Band</Table.Th>
            <Table.Th ta="right">Matured loans</Table.Th>
            <Table.Th ta="right">Expected bad rate</Table.Th>
            <Table.Th ta="right">Observed (95 %)</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {segment.calibration.map((b) => (
            <Table.Tr key={b.band}>
              <Table.Td>{b.band}</Table.Td>
              <Table.Td ta="right">{formatCount(b.matured)}</Table.Td>
              <Table.Td ta="right">{percent(b.expectedBadRate)}</Table.Td>
              <Table.Td ta="right">
                <Text size="xs">{percent(b.observedBadRate)}</Text>
                <Text size="xs" c="dimmed">
                  {interval(b.observedInterval, (x) => `${(100 * x).toFixed(1)} %`)}
                </Text>
              </Table.Td>
              <Table.Td>
                {b.miscalibrated ? (
                  <Badge size="sm" color="red" variant="light">
                    miscalibrated
                  </Badge>
                ) : b.matured < MONITORING_THRESHOLDS.minLoansForCalibration ? (
                  <Text size="xs" c="dimmed">
                    too few to judge
                  </Text>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function StabilityChart({ model }: { model: ModelMonitoring }) {
  const branches = model.segments.filter((s) => s.branchId !== null);
  const months = [...new Set(branches.flatMap((s) => s.stability.map((m) => m.month)))].sort();
  if (model.baseline === null) {
    return (
      <Text size="sm" c="dimmed">
        No baseline: this model version did not come through a central release, so its hold-out distribution is not
        known here.
      </Text>
    );
  }
  // Bars, not lines: a young book has one or two months, and a month with too few scores is shown empty.
  const data = months.map((month) => ({
    month,
    ...Object.fromEntries(
      branches.map((s) => {
        const m = s.stability.find((x) => x.month === month);
        return [s.branchId ?? '', m === undefined || m.level === 'too-few' ? null : Number((m.psi ?? 0).toFixed(3))];
      }),
    ),
  }));
  const summary = branches
    .map((s) => `${branchName(s)}: ${s.stability.map((m) => `${m.month} ${decimal(m.psi)} (${m.level})`).join(', ')}`)
    .join('; ');
  return (
    <Stack gap="xs" data-testid="stability-chart">
      <BarChart
        h={220}
        data={data}
        dataKey="month"
        series={branches.map((s, i) => ({
          name: s.branchId ?? '',
          color: BRANCH_COLORS[i % BRANCH_COLORS.length] ?? 'gray.6',
        }))}
        referenceLines={[
          { y: MONITORING_THRESHOLDS.psiAct, label: `act above ${MONITORING_THRESHOLDS.psiAct}`, color: 'red.6' },
        ]}
        withLegend
        aria-hidden
      />
      <Text size="xs" c="dimmed">
        PSI above {MONITORING_THRESHOLDS.psiWatch} is watched and above {MONITORING_THRESHOLDS.psiAct} acted on; months
        with fewer than {MONITORING_THRESHOLDS.minScoresForPsi} scores are not judged.
      </Text>
      <VisuallyHidden>Score PSI per branch and month. {summary}</VisuallyHidden>
    </Stack>
  );
}

function ModelView({ model, flags }: { model: ModelMonitoring; flags: readonly MonitoringFlag[] }) {
  const [branch, setBranch] = useState<string>('all');
  const all = model.segments.find((s) => s.branchId === null);
  const chosen = model.segments.find((s) => (s.branchId ?? 'all') === branch) ?? all;
  if (all === undefined || chosen === undefined) {
    return null;
  }
  const p = all.performance;
  return (
    <Stack gap="md">
      <FlagList flags={flags} />
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
        <Figure
          label="Realised AUC"
          value={decimal(p.auc)}
          detail={
            p.aucInterval === null
              ? 'needs bad and good matured loans'
              : `95 % ${interval(p.aucInterval, (x) => x.toFixed(3))}; hold-out ${decimal(model.baseline?.holdoutAuc ?? null)}`
          }
        />
        <Figure label="KS" value={decimal(p.ks)} detail={`Brier ${decimal(p.brier, 4)}`} />
        <Figure
          label="Bad rate, observed / expected"
          value={`${percent(p.observedBadRate)} / ${percent(p.expectedBadRate)}`}
          detail={`${formatCount(p.bad)} bad of ${formatCount(p.matured)} matured`}
        />
        <Figure
          label="Loans behind the figures"
          value={`${formatCount(p.matured)} of ${formatCount(p.loans)}`}
          detail={`${formatCount(p.withOutcome)} with an outcome, ${formatCount(p.indeterminate)} indeterminate`}
        />
      </SimpleGrid>
      <BranchTable model={model} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Stack gap="xs">
          <Group justify="space-between">
            <Text fw={600} size="sm">
              Calibration per band
            </Text>
            <Select
              aria-label="Branch for calibration"
              size="xs"
              w={180}
              allowDeselect={false}
              value={branch}
              onChange={(v) => setBranch(v ?? 'all')}
              data={model.segments.map((s) => ({ value: s.branchId ?? 'all', label: branchName(s) }))}
            />
          </Group>
          <CalibrationChart segment={chosen} />
        </Stack>
        <Stack gap="xs">
          <Text fw={600} size="sm">
            Score stability (PSI against the hold-out deciles)
          </Text>
          <StabilityChart model={model} />
        </Stack>
      </SimpleGrid>
      <FeatureStabilityPanel model={model} />
      <ChallengerComparisonPanel model={model} />
    </Stack>
  );
}

function exportCsv(report: MonitoringReport): void {
  downloadText(
    `nexis-model-monitoring-${report.generatedAt.slice(0, 10)}.csv`,
    monitoringCsv(report),
    'text/csv;charset=utf-8',
  );
}

export function ModelMonitoringPanel() {
  const [months, setMonths] = useState<(typeof WINDOWS)[number]>('12');
  const monitoring = useNexisQuery('console:monitoring', { performanceMonths: Number(months) });
  const report = monitoring.data;
  const [version, setVersion] = useState<string | null>(null);
  const model = report?.models.find((m) => m.modelVersion === version) ?? report?.models[0];

  return (
    <Card component="section" aria-labelledby="monitoring-title" data-testid="monitoring-panel">
      <Stack gap="md">
        <CardTitle
          id="monitoring-title"
          title="Model monitoring"
          description={
            report
              ? `Loans decided by each model version and what became of them, per branch. Computed ${formatDateTime(report.generatedAt)}; a loan is bad once 90 days late or written off, and matures when bad, repaid or ${months} months old.`
              : 'Loans decided by each model version and what became of them, per branch.'
          }
          actions={
            <Group gap="xs">
              <SegmentedControl
                size="xs"
                aria-label="Performance window in months"
                value={months}
                onChange={(v) => setMonths(v as (typeof WINDOWS)[number])}
                data={WINDOWS.map((w) => ({ value: w, label: `${w} mo` }))}
              />
              {/* Not polled with the overview: the report reads the whole book, so it is recomputed on request. */}
              <Button
                variant="default"
                leftSection={<IconRefresh size={16} />}
                onClick={monitoring.refresh}
                loading={monitoring.loading}
              >
                Recompute
              </Button>
              <Button
                variant="default"
                leftSection={<IconDownload size={16} />}
                disabled={!report}
                onClick={() => report && exportCsv(report)}
              >
                Export CSV
              </Button>
            </Group>
          }
        />
        {report === null ? (
          monitoring.error === null ? (
            <Loader size="sm" aria-label="Loading model monitoring" />
          ) : (
            <Alert color="red" variant="light">
              Model monitoring could not be read from the central server.
            </Alert>
          )
        ) : model === undefined ? (
          <EmptyState
            py="xl"
            icon={<IconStatus size={28} />}
            title="No scores at the centre yet"
            description="Monitoring starts once branches have synced scores and decisions."
          />
        ) : (
          <Stack gap="md">
            {report.models.length > 1 ? (
              <Select
                label="Model version"
                w={220}
                allowDeselect={false}
                value={model.modelVersion}
                onChange={setVersion}
                data={report.models.map((m) => m.modelVersion)}
              />
            ) : (
              <Text size="sm">
                Model version <strong>{model.modelVersion}</strong>
                {model.baseline === null
                  ? ' (no central release: no baseline)'
                  : ` (release ${model.baseline.release})`}
              </Text>
            )}
            <ModelView
              key={model.modelVersion}
              model={model}
              flags={report.flags.filter((f) => f.modelVersion === model.modelVersion)}
            />
            {report.excluded.inconsistentFeatureCounts + report.excluded.unknownChallengers > 0 ? (
              <Text size="xs" c="dimmed">
                Left out: {formatCount(report.excluded.inconsistentFeatureCounts)} device month(s) of feature counts not
                believed (bins or features the baseline lacks, or more scores than the device pushed) and{' '}
                {formatCount(report.excluded.unknownChallengers)} shadow score(s) of a challenger no release carried.
              </Text>
            ) : null}
            {report.excluded.inconsistentScores + report.excluded.scoresWithoutAttachment > 0 ? (
              <Text size="xs" c="dimmed">
                Left out: {formatCount(report.excluded.inconsistentScores)} score(s) whose result disagrees with the
                audit entry, {formatCount(report.excluded.scoresWithoutAttachment)} without a result, and{' '}
                {formatCount(report.excluded.decisionsWithoutScore)} decision(s) on them.
              </Text>
            ) : null}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
