import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Small key/value facts about this workstation: device identity, settings. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
