import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Per-device request budgets (server/http/device-limiter.ts): one row per device and fixed one-minute window,
 * counted in the database so every API instance behind the proxy spends from the same budget. Rows of past windows
 * are deleted as new windows begin.
 */
export const deviceRequestBudgets = pgTable(
  'device_request_budgets',
  {
    deviceId: text('device_id').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    used: integer('used').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.windowStart] })],
);
