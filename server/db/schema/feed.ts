import { bigint, bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * What devices pull, in one ordered feed: officer changes, policy and model releases, consent withdrawals and
 * erasure requests. A device reads items after its cursor, for its branch or for all, never its own.
 */
export const feedItems = pgTable(
  'feed_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    /** null: every branch. */
    branchId: text('branch_id'),
    originDeviceId: text('origin_device_id'),
    /** Makes a repeated event (the same withdrawal pushed by two branches) one item. */
    dedupeKey: text('dedupe_key'),
    body: jsonb('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('feed_items_dedupe').on(t.dedupeKey), index('feed_items_branch').on(t.branchId, t.id)],
);

/** Releases by kind and version: a version is published once. */
export const releases = pgTable(
  'releases',
  {
    kind: text('kind', { enum: ['policy', 'model'] }).notNull(),
    version: text('version').notNull(),
    feedItemId: bigint('feed_item_id', { mode: 'number' }).notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    /** A model release withdrawn fleet-wide (four eyes): branches fall back to their previous release. */
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('releases_kind_version').on(t.kind, t.version)],
);

/** Small server facts: the countersigning key, the token secret, the admin token hash. */
export const serverState = pgTable('server_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
