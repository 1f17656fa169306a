import type { Database } from '../db/database';

/** Per-device request budget per minute (the per-IP budget is @fastify/rate-limit's). Fixed windows, in memory. */
export interface DeviceLimiter {
  /** True when the device may make one more request now. */
  take(deviceId: string, now: Date): boolean | Promise<boolean>;
}

export function createDeviceLimiter(perMinute: number, _database: Database): DeviceLimiter {
  let window = -1;
  let used = new Map<string, number>();
  return {
    take(deviceId, now) {
      const current = Math.floor(now.getTime() / 60_000);
      if (current !== window) {
        window = current;
        used = new Map();
      }
      const n = (used.get(deviceId) ?? 0) + 1;
      used.set(deviceId, n);
      return n <= perMinute;
    },
  };
}
