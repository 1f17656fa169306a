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

type Update = SystemStatus['update'];

/** The update card: a badge word and the sentence the officer reads. */
export function updateLabel(update: Update): Label & { readonly detail: string } {
  switch (update.state) {
    case 'none':
      return { text: 'Up to date', color: 'gray', detail: update.detail };
    case 'downloading':
      return {
        text: 'Downloading',
        color: 'blue',
        detail: `Downloading version ${update.version} in the background; it is checked before it can install.`,
      };
    case 'ready':
      return {
        text: 'Update ready',
        color: 'teal',
        detail: `Update ready: version ${update.version} — installs when you sign out.`,
      };
    case 'refused':
      return {
        text: 'Refused',
        color: 'red',
        detail: `${update.version === null ? 'An update' : `Version ${update.version}`} was refused: ${update.reason.replace(/\.$/, '')}.`,
      };
    case 'installing':
      return {
        text: 'Installing',
        color: 'blue',
        detail: `Installing version ${update.version}; NEXIS restarts by itself.`,
      };
  }
}
