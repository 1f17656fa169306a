/** The sync line of the status panel (shared/ipc/system.ts `sync`), from the stored state and the loop's status. */
import type { SyncLoopStatus } from './scheduler';
import type { SyncState } from './state';
import type { ChainSource } from './types';

export interface SyncStatusLine {
  readonly state: 'not-configured' | 'idle' | 'syncing' | 'error';
  readonly detail: string;
}

export function syncStatusLine(state: SyncState, source: ChainSource, loop?: SyncLoopStatus): SyncStatusLine {
  if (!state.enrolled) {
    return { state: 'not-configured', detail: 'This workstation is not enrolled with a central server.' };
  }
  if (state.revoked) {
    return { state: 'error', detail: 'This workstation was revoked by the bank; sync is off.' };
  }
  const backlog = Math.max(0, source.head().seq - state.ackedSeq);
  const waiting = backlog === 0 ? 'all entries acknowledged' : `${backlog} entries waiting to be sent`;
  if (loop?.running === true) {
    return { state: 'syncing', detail: `Syncing with the central server (${waiting}).` };
  }
  const error = state.lastError;
  if (error !== undefined) {
    return {
      state: 'error',
      detail: `Last sync failed (${error.code}) at ${error.at}; ${waiting}. Work continues offline.`,
    };
  }
  const last = state.lastSuccessAt;
  return {
    state: 'idle',
    detail: last === undefined ? `Not synced yet; ${waiting}.` : `Last sync ${last}; ${waiting}.`,
  };
}
