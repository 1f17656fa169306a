import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * App releases per update channel, as approved (four eyes): the bank-signed release (workstations verify it; the
 * server only serves it) and the channel's rollout percentage. The latest row of a channel is what its feed offers;
 * a rollout change is a new row, so the history of what was offered when stays complete.
 */
export const appReleases = pgTable(
  'app_releases',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    channel: text('channel', { enum: ['pilot', 'general'] }).notNull(),
    version: text('version').notNull(),
    serial: integer('serial').notNull(),
    /** The SignedAppRelease exactly as the release manager uploaded it. */
    signed: jsonb('signed').notNull(),
    rolloutPercent: integer('rollout_percent').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    proposalId: integer('proposal_id').notNull(),
  },
  (t) => [
    index('app_releases_channel').on(t.channel, t.id),
    uniqueIndex('app_releases_channel_proposal').on(t.channel, t.proposalId),
  ],
);
