import { Alert, DataList, Group, Text } from '@mantine/core';
import type { AuditVerification } from '../../../../shared/ipc/audit';
import { HashValue } from '../../components/hash-value';
import { IconAlert, IconCheck } from '../../components/icons';
import { formatCount, formatDateTime, formatDuration } from '../../format';

export interface VerificationResultProps {
  result: AuditVerification;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The outcome of `audit:verify`, prominent: green when the chain is intact, red with the first bad entry when not. */
export function VerificationResult({ result }: VerificationResultProps) {
  if (!result.ok) {
    return (
      <Alert
        color="red"
        variant="light"
        title="Chain verification FAILED"
        icon={<IconAlert />}
        data-result="failed"
        role="alert"
      >
        <Text size="sm" fw={600}>
          The audit trail was altered or damaged at entry #{result.firstBadSeq}.
        </Text>
        <Text size="sm">{sentence(result.reason)}</Text>
        <Text size="xs" c="dimmed" mt="xs">
          {formatCount(result.entries)} {result.entries === 1 ? 'entry' : 'entries'} checked in{' '}
          {formatDuration(result.durationMs)} · {formatDateTime(result.verifiedAt)}
        </Text>
      </Alert>
    );
  }
  return (
    <Alert color="teal" variant="light" title="Chain verified: OK" icon={<IconCheck />} data-result="ok" role="status">
      <Text size="sm" mb="xs">
        Every entry's hash and every signed checkpoint match. Nothing was altered, removed or reordered.
      </Text>
      <DataList labelWidth={130} size="sm" gap={4}>
        <DataList.Item>
          <DataList.ItemLabel c="dimmed">Entries</DataList.ItemLabel>
          <DataList.ItemValue data-testid="verified-entries">{formatCount(result.entries)}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel c="dimmed">Head</DataList.ItemLabel>
          <DataList.ItemValue>
            <Group gap="xs" wrap="nowrap">
              <Text size="sm">#{result.headSeq}</Text>
              <HashValue value={result.headHash} label="verified head hash" />
            </Group>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel c="dimmed">Checkpoints</DataList.ItemLabel>
          <DataList.ItemValue>{formatCount(result.checkpoints)}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel c="dimmed">Took</DataList.ItemLabel>
          <DataList.ItemValue>
            {formatDuration(result.durationMs)} · {formatDateTime(result.verifiedAt)}
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
    </Alert>
  );
}
