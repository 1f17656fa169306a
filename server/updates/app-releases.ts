/**
 * App releases per channel: publication (on four-eyes approval), the offer workstations read, the electron-updater
 * feed generated from the signed release, and the files themselves from the updates folder (NEXIS_UPDATES_DIR),
 * where operations place electron-builder's output for a channel before proposing it.
 *
 * The server does not hold the bank's release key and does not need to: each workstation verifies the signature,
 * channel, version and file hashes. The server refuses at approval what would certainly fail there (a file that is
 * missing or differs, an older serial or version), so a mistake is caught before it reaches a branch.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { desc, eq } from 'drizzle-orm';
import semver from 'semver';
import type { AppReleaseProposal, AppRolloutProposal, AppUpdateOffer } from '../../shared/sync/app-updates';
import type { UpdateChannel } from '../../shared/sync/release-bodies';
import type { SignedAppRelease } from '../../shared/sync/signed-release';
import type { ServerDb } from '../db/database';
import { appReleases } from '../db/schema';
import { ApiError } from '../http/errors';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];
type AppReleaseRow = typeof appReleases.$inferSelect;

export async function currentAppRelease(db: ServerDb | Tx, channel: UpdateChannel): Promise<AppReleaseRow | undefined> {
  const [row] = await db
    .select()
    .from(appReleases)
    .where(eq(appReleases.channel, channel))
    .orderBy(desc(appReleases.id))
    .limit(1);
  return row;
}

export function offerOf(row: AppReleaseRow): AppUpdateOffer {
  return {
    signed: row.signed as SignedAppRelease,
    rolloutPercent: row.rolloutPercent,
    publishedAt: row.publishedAt.toISOString(),
  };
}

/** The channel's folder inside the updates folder. */
function channelDir(updatesDir: string, channel: UpdateChannel): string {
  return join(updatesDir, channel);
}

function sha512Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha512');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('base64')));
  });
}

/** Every file the release names must be in the channel's folder with the signed size and SHA-512. */
async function checkFilesInPlace(updatesDir: string, release: SignedAppRelease): Promise<void> {
  const dir = channelDir(updatesDir, release.release.channel);
  for (const f of release.release.files) {
    const path = join(dir, f.name);
    if (!existsSync(path) || statSync(path).size !== f.size || (await sha512Of(path)) !== f.sha512) {
      throw new ApiError(
        409,
        'CONFLICT',
        `${f.name} is missing from the ${release.release.channel} updates folder or differs from the signed release.`,
      );
    }
  }
}

export async function publishAppRelease(
  tx: Tx,
  updatesDir: string,
  proposal: AppReleaseProposal,
  proposalId: number,
  now: Date,
): Promise<Record<string, unknown>> {
  const { signed, rolloutPercent } = proposal;
  const { channel, version } = signed.release;
  const current = await currentAppRelease(tx, channel);
  if (current !== undefined) {
    const inForce = current.signed as SignedAppRelease;
    if (signed.serial <= inForce.serial || !semver.gt(version, inForce.release.version)) {
      throw new ApiError(
        409,
        'CONFLICT',
        `Release ${version} (serial ${signed.serial}) is not newer than ${inForce.release.version} (serial ${inForce.serial}) in force on ${channel}.`,
      );
    }
  }
  await checkFilesInPlace(updatesDir, signed);
  await tx.insert(appReleases).values({
    channel,
    version,
    serial: signed.serial,
    signed,
    rolloutPercent,
    publishedAt: now,
    proposalId,
  });
  return { channel, version, rolloutPercent };
}

export async function changeRollout(
  tx: Tx,
  proposal: AppRolloutProposal,
  proposalId: number,
  now: Date,
): Promise<Record<string, unknown>> {
  const current = await currentAppRelease(tx, proposal.channel);
  if (current?.version !== proposal.version) {
    throw new ApiError(
      409,
      'CONFLICT',
      `Release ${proposal.version} is not the one in force on ${proposal.channel}${current === undefined ? '' : ` (${current.version} is)`}.`,
    );
  }
  await tx.insert(appReleases).values({
    channel: current.channel,
    version: current.version,
    serial: current.serial,
    signed: current.signed,
    rolloutPercent: proposal.rolloutPercent,
    publishedAt: now,
    proposalId,
  });
  return { channel: current.channel, version: current.version, rolloutPercent: proposal.rolloutPercent };
}

/**
 * electron-updater's feed file (latest.yml) for the release in force. JSON is YAML, so no YAML writer is needed; the
 * feed names only the signed files, so electron-updater's own sha512 check and the workstation's agree.
 */
export function feedDocument(row: AppReleaseRow): string {
  const release = (row.signed as SignedAppRelease).release;
  const [first] = release.files;
  return JSON.stringify({
    version: release.version,
    files: release.files.map((f) => ({ url: f.name, sha512: f.sha512, size: f.size })),
    path: first?.name,
    sha512: first?.sha512,
    releaseDate: row.publishedAt.toISOString(),
  });
}

/** A file of the release in force, from the channel's folder; anything it does not name is not served. */
export function openReleaseFile(
  updatesDir: string,
  row: AppReleaseRow,
  name: string,
): { stream: Readable; size: number } | null {
  const release = (row.signed as SignedAppRelease).release;
  const named = release.files.find((f) => f.name === name);
  if (named === undefined) {
    return null;
  }
  const dir = channelDir(updatesDir, release.channel);
  const path = join(dir, named.name);
  if (!existsSync(path)) {
    return null;
  }
  // The name is a plain file name (schema), but a symbolic link in the folder must not lead outside it either.
  const real = realpathSync(path);
  if (!real.startsWith(realpathSync(dir) + sep)) {
    return null;
  }
  return { stream: createReadStream(real), size: statSync(real).size };
}
