import { lt, sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { deviceRequestBudgets } from '../db/schema';

/**
 * Per-device request budget per minute (the per-IP budget is @fastify/rate-limit's, per instance; nginx adds one at
 * the edge). Fixed one-minute windows counted in the database (table device_request_budgets), so every API instance
 * behind the proxy spends from one budget: a device cannot double its allowance by landing on two instances.
 */
export interface DeviceLimiter {
  /** True when the device may make one more request now. */
  take(deviceId: string, now: Date): boolean | Promise<boolean>;
}

const WINDOW_MS = 60_000;

export function createDeviceLimiter(perMinute: number, database: Database): DeviceLimiter {
  // The newest window this process has seen: past windows are deleted once per process per new window, not on
  // every request, so a request costs one round trip (the upsert below).
  let swept = -1;
  const sweep = (window: number): void => {
    if (window <= swept) {
      return;
    }
    swept = window;
    // Not awaited: a failed clean-up only leaves rows the next window's sweep deletes; it must not refuse a request.
    database.db
      .delete(deviceRequestBudgets)
      .where(lt(deviceRequestBudgets.windowStart, new Date(window * WINDOW_MS)))
      .then(
        () => undefined,
        () => undefined,
      );
  };
  return {
    async take(deviceId, now) {
      const window = Math.floor(now.getTime() / WINDOW_MS);
      sweep(window);
      // One atomic statement: concurrent requests on any instance each get a distinct count, so exactly
      // `perMinute` of them are allowed however they are spread.
      const [row] = await database.db
        .insert(deviceRequestBudgets)
        .values({ deviceId, windowStart: new Date(window * WINDOW_MS), used: 1 })
        .onConflictDoUpdate({
          target: [deviceRequestBudgets.deviceId, deviceRequestBudgets.windowStart],
          set: { used: sql`${deviceRequestBudgets.used} + 1` },
        })
        .returning({ used: deviceRequestBudgets.used });
      return (row?.used ?? Number.POSITIVE_INFINITY) <= perMinute;
    },
  };
}
