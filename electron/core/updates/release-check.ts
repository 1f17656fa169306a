/**
 * Whether an app release may be installed on this workstation: the decision electron-updater is never allowed to
 * make alone. A release is accepted only when it is signed by the bank's release key, is for this workstation's
 * channel, is newer than the running version (never a downgrade), and every file electron-updater's feed offers is
 * named with the same SHA-512 and size in the signed release. Everything else is refused with a code and a reason.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import semver from 'semver';
import { verifyRelease } from '../../../models/package/release-signing';
import { keyIdOf } from '../../../models/package/signing';
import type { UpdateChannel } from '../../../shared/sync/release-bodies';
import { SignedAppReleaseSchema, type SignedAppRelease } from '../../../shared/sync/signed-release';

/** A signed release is a few kilobytes; anything far larger is refused before parsing. */
export const MAX_RELEASE_BYTES = 64 * 1024;

export type UpdateRefusalCode =
  /** Not a refusal: the release is the version already running (the feed's ordinary answer after an install). */
  | 'CURRENT'
  | 'MALFORMED'
  | 'OVERSIZED'
  | 'FOREIGN_KEY'
  | 'BAD_SIGNATURE'
  | 'OTHER_CHANNEL'
  | 'NOT_NEWER'
  | 'FEED_MISMATCH'
  | 'FILE_MISMATCH'
  /** The feed or the download failed (network, disk): nothing was installed; tried again at the next offer. */
  | 'UNAVAILABLE';

export type Verdict<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: UpdateRefusalCode; readonly reason: string };

export interface RunningApp {
  readonly version: string;
  readonly channel: UpdateChannel;
}

const refuse = (code: UpdateRefusalCode, reason: string): { ok: false; code: UpdateRefusalCode; reason: string } => ({
  ok: false,
  code,
  reason,
});

/** Parses and verifies a signed app release as received (text), against the one release key this app trusts. */
export function checkSignedAppRelease(
  text: string,
  trustedKey: KeyObject,
  running: RunningApp,
): Verdict<SignedAppRelease> {
  if (Buffer.byteLength(text, 'utf8') > MAX_RELEASE_BYTES) {
    return refuse('OVERSIZED', `the release is larger than ${MAX_RELEASE_BYTES / 1024} KiB`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse('MALFORMED', 'the release is not JSON');
  }
  const parsed = SignedAppReleaseSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(
      'MALFORMED',
      `the release is not a signed app release (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})`,
    );
  }
  const release = parsed.data;
  if (release.keyId !== keyIdOf(trustedKey)) {
    return refuse('FOREIGN_KEY', `signed with key ${release.keyId}, not the bank's release key this app trusts`);
  }
  const signature = verifyRelease(release, trustedKey);
  if (!signature.ok) {
    return refuse('BAD_SIGNATURE', signature.reason);
  }
  if (release.release.channel !== running.channel) {
    return refuse(
      'OTHER_CHANNEL',
      `the release is for the ${release.release.channel} channel; this workstation follows ${running.channel}`,
    );
  }
  if (semver.valid(running.version) !== null && semver.eq(release.release.version, running.version)) {
    return refuse('CURRENT', `version ${running.version} is already running`);
  }
  if (semver.valid(running.version) === null || !semver.gt(release.release.version, running.version)) {
    return refuse(
      'NOT_NEWER',
      `version ${release.release.version} is older than the running ${running.version}: never a downgrade`,
    );
  }
  return { ok: true, value: release };
}

/** What electron-updater read from the feed (its UpdateInfo: latest.yml), reduced to what is checked. */
export interface FeedInfo {
  readonly version: string;
  readonly files: readonly { readonly url: string; readonly sha512: string; readonly size?: number }[];
}

/** The feed must offer exactly this release: same version, and only files the signed release names, byte for byte. */
export function checkFeedMatches(feed: FeedInfo, release: SignedAppRelease): Verdict<FeedInfo> {
  if (feed.version !== release.release.version) {
    return refuse('FEED_MISMATCH', `the feed offers ${feed.version}, the signed release is ${release.release.version}`);
  }
  if (feed.files.length === 0) {
    return refuse('FEED_MISMATCH', 'the feed offers no file');
  }
  for (const file of feed.files) {
    const named = release.release.files.find((f) => f.name === file.url);
    if (named === undefined) {
      return refuse('FEED_MISMATCH', `the feed offers ${file.url}, which the signed release does not name`);
    }
    if (named.sha512 !== file.sha512 || (file.size !== undefined && file.size !== named.size)) {
      return refuse('FEED_MISMATCH', `the feed's ${file.url} differs from the signed release`);
    }
  }
  return { ok: true, value: feed };
}

/** Hashes the downloaded file again (electron-updater's own check trusts the feed) and compares with the release. */
export async function checkDownloadedFile(file: string, release: SignedAppRelease): Promise<Verdict<string>> {
  const named = release.release.files.find((f) => f.name === basename(file));
  if (named === undefined) {
    return refuse('FILE_MISMATCH', `the downloaded ${basename(file)} is not named in the signed release`);
  }
  const hash = createHash('sha512');
  let size = 0;
  try {
    for await (const chunk of createReadStream(file)) {
      const bytes = chunk as Buffer;
      size += bytes.length;
      hash.update(bytes);
    }
  } catch {
    return refuse('FILE_MISMATCH', `the downloaded ${basename(file)} cannot be read`);
  }
  if (size !== named.size || hash.digest('base64') !== named.sha512) {
    return refuse('FILE_MISMATCH', `the downloaded ${basename(file)} differs from the signed release`);
  }
  return { ok: true, value: file };
}

/**
 * Staged rollout: a workstation's bucket (0-99) comes from its device id alone, so the same workstations go first in
 * every release and a rollout at p % reaches the same p % of the fleet whatever the version.
 */
export function rolloutBucket(deviceId: string): number {
  return createHash('sha256').update(`nexis.rollout:${deviceId}`).digest().readUInt32BE(0) % 100;
}

export function inRollout(deviceId: string, percent: number): boolean {
  return rolloutBucket(deviceId) < Math.max(0, Math.min(100, percent));
}
