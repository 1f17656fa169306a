import { describe, expect, it } from 'vitest';
import type { SyncClient } from './client';
import type { SyncState } from './state';
import { emptyChainClient, enrolledState } from './testing';
import type { SyncTransport } from './transport';
import type { PullHandlers } from './types';
import { GENESIS_HASH } from '../../../audit-chain';

/** A scripted central server: answers pushes with "nothing to do" and pulls with the given pages. */
function scripted(pages: unknown[]): SyncTransport {
  return {
    request: async (_method, path) => {
      if (path.startsWith('/v1/sync/push')) {
        return {
          status: 200,
          body: { ackedSeq: 0, ackedHash: GENESIS_HASH, stored: 0, lastPushId: 1, countersignatures: [] },
        };
      }
      return { status: 200, body: pages.shift() ?? { items: [], cursor: 0, more: false } };
    },
  };
}

function client(transport: SyncTransport, handlers: Partial<PullHandlers>, state: SyncState): SyncClient {
  return emptyChainClient(transport, state, handlers);
}

const erasure = (id: number) => ({
  id,
  at: '2026-11-25T08:00:00.000Z',
  kind: 'applicant.erasure',
  body: { applicantId: `NEX-AAAAA-BBBBB-${id}`, originDeviceId: null },
});

describe('pull loop', () => {
  it('passes a malformed item as rejected instead of stalling the feed', async () => {
    const state = enrolledState();
    const applied: number[] = [];
    const pages = [
      {
        items: [erasure(1), { id: 2, kind: 'applicant.erasure', body: { nope: true } }, erasure(3)],
        cursor: 3,
        more: false,
      },
    ];
    const report = await client(
      scripted(pages),
      { 'applicant.erasure': (item) => (applied.push(item.id), 'applied') },
      state,
    ).syncOnce();
    expect(applied).toEqual([1, 3]);
    expect(report.pull).toEqual({ applied: 2, ignored: 0, rejected: 1 });
    expect(state.pullCursor).toBe(3);
  });

  it('keeps the cursor before an item whose handler fails, and retries it next time', async () => {
    const state = enrolledState();
    let fail = true;
    const handlers: Partial<PullHandlers> = {
      'applicant.erasure': (item) => {
        if (item.id === 2 && fail) {
          throw new Error('database busy');
        }
        return 'applied';
      },
    };
    const page = { items: [erasure(1), erasure(2)], cursor: 2, more: false };
    await expect(client(scripted([page]), handlers, state).syncOnce()).rejects.toMatchObject({
      code: 'APPLY_FAILED',
      retryable: true,
    });
    expect(state.pullCursor).toBe(1);
    fail = false;
    const report = await client(scripted([{ ...page, items: [erasure(2)] }]), handlers, state).syncOnce();
    expect(report.pull.applied).toBe(1);
    expect(state.pullCursor).toBe(2);
  });
});
