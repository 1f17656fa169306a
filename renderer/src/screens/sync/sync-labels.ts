import type { MantineColor } from '@mantine/core';
import type { SyncStatusView } from '../../../../shared/ipc/sync';
import type { ChainIssueKind, DeviceSummary } from '../../../../shared/sync/admin';
import { SYNC_STATES } from '../status/status-labels';

interface Label {
  readonly text: string;
  readonly color: MantineColor;
}

/** This workstation's sync state as a badge; a revoked device says so whatever the loop last did. */
export function workstationState(status: SyncStatusView): Label {
  return status.revoked ? { text: 'Revoked', color: 'red' } : SYNC_STATES[status.state];
}

export function deviceStatusLabel(device: DeviceSummary): Label {
  return device.status === 'active' ? { text: 'Active', color: 'teal' } : { text: 'Revoked', color: 'gray' };
}

export function chainStatusLabel(device: DeviceSummary): Label {
  if (device.chainStatus === 'ok') {
    return { text: 'OK', color: 'teal' };
  }
  const issues = `${device.openIssues} open issue${device.openIssues === 1 ? '' : 's'}`;
  return { text: `Flagged · ${issues}`, color: 'red' };
}

export const CHAIN_ISSUE_LABELS: Record<ChainIssueKind, string> = {
  gap: 'Gap',
  fork: 'Fork',
  rollback: 'Rollback',
  truncation: 'Truncation',
  bad_signature: 'Bad signature',
};

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
