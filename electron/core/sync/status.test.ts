import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../../audit-chain';
import { memoryStateStore, SyncState } from './state';
import { syncStatusLine } from './status';

const source = (head: number) => ({
  head: () => ({ seq: head, hash: GENESIS_HASH }),
  entriesAfter: () => [],
  checkpointsBetween: () => [],
  hashAt: () => undefined,
});

describe('sync status line', () => {
  it('says what an officer or admin needs: enrolled or not, backlog, last failure', () => {
    const state = new SyncState(memoryStateStore());
    expect(syncStatusLine(state, source(3)).state).toBe('not-configured');
    state.saveEnrolment('http://127.0.0.1:1', 'sig-2026-12-01-abcdef', 'key', 'NBO-01');
    expect(syncStatusLine(state, source(3))).toEqual({
      state: 'idle',
      detail: 'Not synced yet; 3 entries waiting to be sent.',
    });
    state.recordError({ code: 'NETWORK', message: 'unreachable', at: '2026-11-25T08:00:00.000Z' });
    expect(syncStatusLine(state, source(3)).detail).toContain('NETWORK');
    state.recordError(undefined);
    state.ackedSeq = 3;
    state.recordSuccess(new Date('2026-11-25T09:00:00.000Z'));
    expect(syncStatusLine(state, source(3)).detail).toBe(
      'Last sync 2026-11-25T09:00:00.000Z; all entries acknowledged.',
    );
    state.markRevoked();
    expect(syncStatusLine(state, source(3)).state).toBe('error');
  });
});
