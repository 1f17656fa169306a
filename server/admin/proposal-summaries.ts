/**
 * What a four-eyes reviewer sees: for each kind of proposal, a title and the diff against what is in force (cut-offs
 * and versions of the latest release, manifest facts of a model, the grant in force for an officer). No personal data.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { ErasureInputSchema, WithdrawalInputSchema } from '../../shared/sync/admin';
import type { AppReleaseProposal, AppRolloutProposal } from '../../shared/sync/app-updates';
import type { SignedAppRelease } from '../../shared/sync/signed-release';
import { currentAppRelease } from '../updates/app-releases';
import type { ModelWithdrawalInput } from '../../shared/sync/fleet';
import { latestReports, withdrawableRelease } from '../sync/fleet';
import type { AdminRole } from '../../shared/sync/admin-auth';
import type { DiffLine } from '../../shared/sync/proposals';
import type { ModelRelease } from '../../shared/sync/pull';
import type { SignedOfficerGrant, SignedPolicyRelease } from '../../shared/sync/signed-release';
import type { ServerDb } from '../db/database';
import { devices, feedItems, releases } from '../db/schema';
import { ApiError } from '../http/errors';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

export type ProposalInput =
  | { kind: 'policy.release'; body: SignedPolicyRelease }
  | { kind: 'model.release'; body: ModelRelease }
  | { kind: 'officer.grant'; body: SignedOfficerGrant }
  | { kind: 'applicant.erasure'; body: z.infer<typeof ErasureInputSchema> }
  | { kind: 'consent.withdrawal'; body: z.infer<typeof WithdrawalInputSchema> }
  | { kind: 'device.revoke'; body: { deviceId: string } }
  | { kind: 'admin.create'; body: { username: string; roles: AdminRole[] } }
  | { kind: 'app.release'; body: AppReleaseProposal }
  | { kind: 'app.rollout'; body: AppRolloutProposal }
  | { kind: 'model.withdrawal'; body: ModelWithdrawalInput };

export interface Summary {
  readonly title: string;
  readonly diff: DiffLine[];
}

const text = (value: unknown): string | null => (value === undefined || value === null ? null : String(value));

async function latestRelease(db: ServerDb | Tx, kind: 'policy' | 'model'): Promise<unknown> {
  const [row] = await db
    .select({ body: feedItems.body })
    .from(releases)
    .innerJoin(feedItems, eq(feedItems.id, releases.feedItemId))
    .where(eq(releases.kind, kind))
    .orderBy(desc(releases.publishedAt), desc(releases.feedItemId))
    .limit(1);
  return row?.body;
}

/** The published releases whose challenger is exactly this model (same ONNX bytes): a promotion's provenance. */
async function releasesCarryingChallenger(db: ServerDb | Tx, onnx: string): Promise<string[]> {
  const rows = await db
    .select({ version: releases.version, body: feedItems.body })
    .from(releases)
    .innerJoin(feedItems, eq(feedItems.id, releases.feedItemId))
    .where(eq(releases.kind, 'model'))
    .orderBy(releases.publishedAt);
  return rows.flatMap((r) =>
    (r.body as Partial<ModelRelease> | null)?.challenger?.files['model.onnx'] === onnx ? [r.version] : [],
  );
}

function cutoffsOf(body: unknown): Record<string, number> {
  return (body as SignedPolicyRelease | undefined)?.release.cutoffs ?? {};
}

/** Version, hash and hold-out metrics read from a package's manifest, for the reviewer (the branch verifies it). */
function packageFacts(files: ModelRelease['files'] | undefined, prefix: string): Record<string, string> {
  if (files === undefined) {
    return {};
  }
  try {
    const manifest = JSON.parse(Buffer.from(files['manifest.json'], 'base64').toString('utf8')) as {
      modelVersion?: unknown;
      modelId?: unknown;
      metrics?: { holdout?: { auc?: unknown; ks?: unknown; rows?: unknown } };
    };
    const holdout = manifest.metrics?.holdout;
    const fixed = (v: unknown): string | null => (typeof v === 'number' ? v.toFixed(3) : null);
    return Object.fromEntries(
      Object.entries({
        [`${prefix}Model id`]: text(manifest.modelId),
        [`${prefix}Model version`]: text(manifest.modelVersion),
        [`${prefix}Hold-out AUC`]: fixed(holdout?.auc),
        [`${prefix}Hold-out KS`]: fixed(holdout?.ks),
        [`${prefix}Hold-out rows`]: text(holdout?.rows),
      }).filter((e): e is [string, string] => e[1] !== null),
    );
  } catch {
    return { [`${prefix}Manifest`]: 'unreadable (branches will refuse this package)' };
  }
}

/** The champion's facts and, when the release carries one, the challenger's (scored in shadow only). */
function manifestFacts(release: unknown): Record<string, string> {
  const body = release as Partial<ModelRelease> | undefined;
  return {
    ...packageFacts(body?.files, ''),
    'Challenger (shadow)': body?.challenger === undefined ? 'none' : 'yes',
    ...packageFacts(body?.challenger?.files, 'Challenger '),
  };
}

async function appReleaseSummary(db: ServerDb | Tx, input: ProposalInput & { kind: 'app.release' }): Promise<Summary> {
  const { signed, rolloutPercent } = input.body;
  const release = signed.release;
  const current = await currentAppRelease(db, release.channel);
  const was = current?.signed as SignedAppRelease | undefined;
  return {
    title: `App ${release.version} on ${release.channel}`,
    diff: [
      { label: 'Version', before: text(was?.release.version), after: release.version },
      { label: 'Serial', before: text(was?.serial), after: String(signed.serial) },
      {
        label: 'Rollout',
        before: current === undefined ? null : `${current.rolloutPercent} %`,
        after: `${rolloutPercent} %`,
      },
      {
        label: 'Files',
        before: was === undefined ? null : was.release.files.map((f) => f.name).join(', '),
        after: release.files.map((f) => f.name).join(', '),
      },
      { label: 'Signed with key', before: text(was?.keyId), after: signed.keyId },
    ],
  };
}

async function appRolloutSummary(db: ServerDb | Tx, input: ProposalInput & { kind: 'app.rollout' }): Promise<Summary> {
  const current = await currentAppRelease(db, input.body.channel);
  return {
    title: `Rollout of app ${input.body.version} on ${input.body.channel} to ${input.body.rolloutPercent} %`,
    diff: [
      { label: 'Release in force', before: text(current?.version), after: input.body.version },
      {
        label: 'Rollout',
        before: current === undefined ? null : `${current.rolloutPercent} %`,
        after: `${input.body.rolloutPercent} %`,
      },
    ],
  };
}

/** The reviewer sees which release goes, how many devices use it now, and why it is withdrawn. */
async function withdrawalSummary(
  db: ServerDb | Tx,
  input: ProposalInput & { kind: 'model.withdrawal' },
): Promise<Summary> {
  const { version, reason } = input.body;
  const release = await withdrawableRelease(db, version);
  const using = [...(await latestReports(db)).values()].filter((r) => r.model.release === version).length;
  return {
    title: `Withdraw model release ${version} from every branch`,
    diff: [
      { label: 'Release', before: `${version} (published ${release.publishedAt.toISOString()})`, after: 'withdrawn' },
      {
        label: 'Devices using it (last report)',
        before: String(using),
        after: '0: each falls back to its previous release',
      },
      { label: 'Reason', before: null, after: reason },
    ],
  };
}

export async function summarise(db: ServerDb | Tx, input: ProposalInput): Promise<Summary> {
  switch (input.kind) {
    case 'model.withdrawal':
      return withdrawalSummary(db, input);
    case 'app.release':
      return appReleaseSummary(db, input);
    case 'app.rollout':
      return appRolloutSummary(db, input);
    case 'policy.release': {
      const previous = (await latestRelease(db, 'policy')) as SignedPolicyRelease | undefined;
      const before = cutoffsOf(previous);
      const release = input.body.release;
      const keys = [...new Set([...Object.keys(before), ...Object.keys(release.cutoffs)])].sort();
      return {
        title: `Policy release ${release.version}`,
        diff: [
          { label: 'Version', before: text(previous?.release.version), after: release.version },
          { label: 'Serial', before: text(previous?.serial), after: String(input.body.serial) },
          ...keys.map((k) => ({ label: `Cut-off ${k}`, before: text(before[k]), after: text(release.cutoffs[k]) })),
          {
            label: 'Large move declared',
            before: previous === undefined ? null : previous.release.largeMove === true ? 'yes' : 'no',
            after: release.largeMove === true ? 'yes' : 'no',
          },
          { label: 'Signed with key', before: text(previous?.keyId), after: input.body.keyId },
        ],
      };
    }
    case 'model.release': {
      const previous = await latestRelease(db, 'model');
      const before = previous === undefined ? {} : manifestFacts(previous);
      const after = manifestFacts(input.body);
      const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
      const promotedFrom = await releasesCarryingChallenger(db, input.body.files['model.onnx']);
      return {
        title: `Model release ${input.body.version}`,
        diff: [
          {
            label: 'Release',
            before: text((previous as { version?: string } | undefined)?.version),
            after: input.body.version,
          },
          ...keys.map((k) => ({ label: k, before: before[k] ?? null, after: after[k] ?? null })),
          ...(promotedFrom.length === 0
            ? []
            : [{ label: 'Promotes the challenger of release', before: null, after: promotedFrom.join(', ') }]),
        ],
      };
    }
    case 'officer.grant': {
      const grant = input.body.release;
      // The grant in force for this officer: the latest one published to the feed.
      const [latest] = await db
        .select({ body: feedItems.body })
        .from(feedItems)
        .where(
          and(
            eq(feedItems.kind, 'officer.upsert'),
            sql`${feedItems.body} -> 'release' ->> 'officerId' = ${grant.officerId}`,
          ),
        )
        .orderBy(desc(feedItems.id))
        .limit(1);
      const previous = (latest?.body as SignedOfficerGrant | undefined) ?? undefined;
      const was = previous?.release;
      return {
        title: `Officer ${grant.officerId} as ${grant.role}`,
        diff: [
          { label: 'Officer', before: was?.officerId ?? null, after: grant.officerId },
          { label: 'Role', before: was?.role ?? null, after: grant.role },
          { label: 'Status', before: was?.status ?? null, after: grant.status },
          {
            label: 'Branch',
            before: was === undefined ? null : (was.branchId ?? 'every branch'),
            after: grant.branchId ?? 'every branch',
          },
          { label: 'Serial', before: text(previous?.serial), after: String(input.body.serial) },
          { label: 'Signed with key', before: previous?.keyId ?? null, after: input.body.keyId },
        ],
      };
    }
    case 'applicant.erasure':
      return {
        title: `Erase applicant ${input.body.applicantId} at every branch`,
        diff: [{ label: 'Applicant', before: 'kept', after: 'erased everywhere' }],
      };
    case 'consent.withdrawal':
      return {
        title: `Withdraw ${input.body.purpose} for applicant ${input.body.applicantId} at every branch`,
        diff: [{ label: input.body.purpose, before: 'granted', after: 'withdrawn everywhere' }],
      };
    case 'device.revoke': {
      const [device] = await db.select().from(devices).where(eq(devices.deviceId, input.body.deviceId));
      if (device === undefined) {
        throw new ApiError(404, 'NOT_FOUND', 'No such device.');
      }
      return {
        title: `Revoke ${device.deviceId} (${device.branchId})`,
        diff: [{ label: 'Status', before: device.revokedAt === null ? 'active' : 'revoked', after: 'revoked' }],
      };
    }
    case 'admin.create':
      return {
        title: `New administrator ${input.body.username}`,
        diff: [{ label: 'Roles', before: null, after: input.body.roles.join(', ') }],
      };
  }
}
