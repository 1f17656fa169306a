/**
 * App updates through the central API (docs/server.md, "App updates"): a release manager proposes a bank-signed app
 * release for a channel with a rollout percentage, a second one approves it, and workstations of that channel read
 * the offer and an electron-updater feed (generic provider) under `/v1/sync/updates/<channel>/`. The server only serves:
 * each workstation verifies the signature, channel, version and file hashes itself (electron/core/updates).
 */
import { z } from 'zod';
import { IsoTimeSchema } from './primitives';
import { SemverSchema, UPDATE_CHANNELS, UpdateFileNameSchema } from './release-bodies';
import { SignedAppReleaseSchema } from './signed-release';

export const RolloutPercentSchema = z.number().int().min(0).max(100);

export const AppReleaseProposalSchema = z.strictObject({
  signed: SignedAppReleaseSchema,
  /** Share of the channel's workstations (by device id) that install it; raise it later with a rollout proposal. */
  rolloutPercent: RolloutPercentSchema,
});
export type AppReleaseProposal = z.infer<typeof AppReleaseProposalSchema>;

export const AppRolloutProposalSchema = z.strictObject({
  channel: z.enum(UPDATE_CHANNELS),
  /** The release in force whose percentage changes (a guard against changing a release nobody reviewed). */
  version: SemverSchema,
  rolloutPercent: RolloutPercentSchema,
});
export type AppRolloutProposal = z.infer<typeof AppRolloutProposalSchema>;

export const UpdateChannelParamsSchema = z.strictObject({ channel: z.enum(UPDATE_CHANNELS) });
export const UpdateFileParamsSchema = z.strictObject({
  channel: z.enum(UPDATE_CHANNELS),
  file: UpdateFileNameSchema,
});

/** What a workstation reads before anything is downloaded. */
export const AppUpdateOfferSchema = z.strictObject({
  signed: SignedAppReleaseSchema,
  rolloutPercent: RolloutPercentSchema,
  publishedAt: IsoTimeSchema,
});
export type AppUpdateOffer = z.infer<typeof AppUpdateOfferSchema>;

/** The file names electron-updater's generic provider asks for, per platform. */
export const FEED_FILES = ['latest.yml', 'latest-linux.yml', 'latest-mac.yml'] as const;
