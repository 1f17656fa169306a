import { sqliteTable, text, integer, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const officers = sqliteTable(
  'officers',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: ['officer', 'supervisor', 'admin', 'auditor'] }).notNull(),
    status: text('status', { enum: ['active', 'disabled'] }).notNull(),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull(),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: text('locked_until'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [uniqueIndex('officers_username_unique').on(table.username)],
);
