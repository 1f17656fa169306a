/** Test helpers for the sync client: an enrolled state in memory and a client over an empty chain. */
import { GENESIS_HASH } from '../../../audit-chain';
import { generateDeviceKey, loadDeviceKey } from '../crypto/device-key';
import { SyncClient } from './client';
import { memoryStateStore, SyncState } from './state';
import type { SyncTransport } from './transport';
import type { PullHandlers } from './types';

/** Enrolled with a fake server key and a token valid far into the future (tests never reach /v1/auth). */
export function enrolledState(): SyncState {
  const state = new SyncState(memoryStateStore());
  state.saveEnrolment('http://127.0.0.1:1', 'sig-2026-12-01-abcdef', `${'A'.repeat(59)}=`, 'NBO-01');
  state.saveToken('nx2.tok-x.token.mac', '2999-01-01T00:00:00.000Z');
  return state;
}

/** A client whose chain is empty, whose handlers ignore every item unless given, on the given transport. */
export function emptyChainClient(
  transport: SyncTransport,
  state: SyncState,
  handlers: Partial<PullHandlers> = {},
): SyncClient {
  const ignore = () => 'ignored' as const;
  return new SyncClient({
    transport,
    source: {
      head: () => ({ seq: 0, hash: GENESIS_HASH }),
      entriesAfter: () => [],
      checkpointsBetween: () => [],
      hashAt: () => GENESIS_HASH,
    },
    attachmentFor: () => null,
    state,
    device: loadDeviceKey(generateDeviceKey()),
    handlers: {
      'officer.upsert': ignore,
      'policy.release': ignore,
      'model.release': ignore,
      'model.withdrawal': ignore,
      'consent.withdrawal': ignore,
      'applicant.erasure': ignore,
      ...handlers,
    },
  });
}
