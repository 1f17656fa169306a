import { describe, expect, it, vi } from 'vitest';
import { GENESIS_HASH } from '../../../audit-chain';
import type { SyncClient } from './client';
import { SyncLoop } from './scheduler';
import { memoryStateStore, SyncState } from './state';
import { emptyChainClient, enrolledState } from './testing';
import type { SyncTransport } from './transport';
import { SyncError } from './types';

/** A central server that is unreachable for the first `downFor` requests, then answers "all caught up". */
function flaky(downFor: number): SyncTransport & { calls: number } {
  const transport = {
    calls: 0,
    request: async (_method: string, path: string) => {
      transport.calls += 1;
      if (transport.calls <= downFor) {
        throw new SyncError('NETWORK', 'unreachable', true);
      }
      return path.startsWith('/v1/sync/push')
        ? {
            status: 200,
            body: { ackedSeq: 0, ackedHash: GENESIS_HASH, stored: 0, lastPushId: 1, countersignatures: [] },
          }
        : { status: 200, body: { items: [], cursor: 0, more: false } };
    },
  };
  return transport;
}

function clientWith(transport: SyncTransport, enrolled = true): SyncClient {
  return emptyChainClient(transport, enrolled ? enrolledState() : new SyncState(memoryStateStore()));
}

describe('background sync loop', () => {
  it('backs off through failures and recovers on its own, recording status without throwing', async () => {
    const transport = flaky(3);
    const statuses: { failures: number; error: string | null }[] = [];
    const loop = new SyncLoop(clientWith(transport), {
      intervalMs: 60_000,
      backoff: { baseMs: 5, capMs: 20, random: () => 0.5 },
      onStatus: (s) => statuses.push({ failures: s.consecutiveFailures, error: s.lastError?.code ?? null }),
    });
    loop.start();
    await vi.waitFor(() => expect(statuses.at(-1)).toEqual({ failures: 0, error: null }), { timeout: 10_000 });
    await loop.stop();
    expect(statuses.slice(0, 3)).toEqual([
      { failures: 1, error: 'NETWORK' },
      { failures: 2, error: 'NETWORK' },
      { failures: 3, error: 'NETWORK' },
    ]);
    expect(loop.status().lastReport?.push.ackedSeq).toBe(0);
  });

  it('stops for good when the device is not enrolled', async () => {
    const transport = flaky(0);
    const unenrolled = clientWith(transport, false);
    const done: string[] = [];
    const loop = new SyncLoop(unenrolled, { onStatus: (s) => done.push(s.lastError?.code ?? 'ok') });
    loop.start();
    await vi.waitFor(() => expect(done).toEqual(['NOT_ENROLLED']), { timeout: 5_000 });
    await loop.stop();
    expect(loop.status().nextRunInMs).toBeNull();
    expect(transport.calls).toBe(0);
  });

  it('runs now on request, after the run in flight, and answers with the outcome of that run', async () => {
    const transport = flaky(1);
    const loop = new SyncLoop(clientWith(transport), {
      intervalMs: 600_000,
      backoff: { baseMs: 60_000, capMs: 60_000, random: () => 0.5 },
    });
    loop.start();
    const failed = await loop.runNow();
    // The start-up run failed (or this one did): either way one failure is on record, and the next run succeeds.
    const recovered = failed.lastError === null ? failed : await loop.runNow();
    expect(recovered).toMatchObject({ running: false, consecutiveFailures: 0, lastError: null });
    expect(transport.calls).toBeGreaterThanOrEqual(3);
    expect(recovered.nextRunInMs).toBe(600_000);
    await loop.stop();
  });

  it('never runs two syncs at once, however many callers ask at the same moment', async () => {
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    const slow: SyncTransport = {
      request: async (method, path) => {
        calls += 1;
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise((resolve) => setTimeout(resolve, 20));
        active -= 1;
        return flaky(0).request(method, path);
      },
    };
    const loop = new SyncLoop(clientWith(slow), { intervalMs: 600_000 });
    loop.start();
    await Promise.all([loop.runNow(), loop.runNow(), loop.runNow()]);
    await loop.stop();
    expect(maxActive).toBe(1);
    // Three runs one after the other (push and pull each), not three at once.
    expect(calls).toBe(6);
  });
});
