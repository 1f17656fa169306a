import type { MantineColor } from '@mantine/core';
import type { SystemStatus } from '../../../../shared/ipc/system';

interface Label {
  readonly text: string;
  readonly color: MantineColor;
}

export const MODEL_STATES: Record<SystemStatus['model']['state'], Label> = {
  'not-installed': { text: 'Not installed', color: 'gray' },
  verified: { text: 'Verified', color: 'teal' },
  refused: { text: 'Refused', color: 'red' },
};

export const SYNC_STATES: Record<SystemStatus['sync']['state'], Label> = {
  'not-configured': { text: 'Not configured', color: 'gray' },
  idle: { text: 'Up to date', color: 'teal' },
  syncing: { text: 'Syncing', color: 'blue' },
  error: { text: 'Error', color: 'red' },
};

export function chainLabel(last: SystemStatus['audit']['lastVerification']): Label {
  if (last === null) {
    return { text: 'Not verified yet', color: 'gray' };
  }
  return last.ok ? { text: 'Intact', color: 'teal' } : { text: 'Broken', color: 'red' };
}
