/**
 * Four-eyes proposals. Proposing stores the change and the diff a reviewer needs; approving, by a second administrator
 * with the kind's role, performs it in the same transaction as the decision and its audit entries; rejecting needs a
 * reason. Nothing of a proposal enters the feed before approval.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { ErasureInputSchema, WithdrawalInputSchema } from '../../shared/sync/admin';
import type { AdminRole } from '../../shared/sync/admin-auth';
import {
  PROPOSAL_KIND_LABELS,
  PROPOSAL_ROLE,
  type DiffLine,
  type ProposalKind,
  type ProposalView,
} from '../../shared/sync/proposals';
import type { ModelRelease } from '../../shared/sync/pull';
import type { SignedOfficerGrant, SignedPolicyRelease } from '../../shared/sync/signed-release';
import { appendServerAudit } from '../audit/server-audit';
import type { ServerDb } from '../db/database';
import { admins, devices, feedItems, proposals, releases } from '../db/schema';
import type { AuthenticatedAdmin, ServerContext } from '../http/context';
import { ApiError } from '../http/errors';
import { createAdminAccount, type CreatedAdmin } from './accounts';
import { revokeDevice } from '../sync/enrolment';
import { publishOfficer, publishRelease, publishRequest } from '../sync/publish';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];
type ProposalRow = typeof proposals.$inferSelect;

export type ProposalInput =
  | { kind: 'policy.release'; body: SignedPolicyRelease }
  | { kind: 'model.release'; body: ModelRelease }
  | { kind: 'officer.grant'; body: SignedOfficerGrant }
  | { kind: 'applicant.erasure'; body: z.infer<typeof ErasureInputSchema> }
  | { kind: 'consent.withdrawal'; body: z.infer<typeof WithdrawalInputSchema> }
  | { kind: 'device.revoke'; body: { deviceId: string } }
  | { kind: 'admin.create'; body: { username: string; roles: AdminRole[] } };

interface Summary {
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

function cutoffsOf(body: unknown): Record<string, number> {
  return (body as SignedPolicyRelease | undefined)?.release.cutoffs ?? {};
}

/** Version, hash and hold-out metrics read from a package's manifest, for the reviewer (the branch verifies it). */
function manifestFacts(release: unknown): Record<string, string> {
  try {
    const files = (release as ModelRelease).files;
    const manifest = JSON.parse(Buffer.from(files['manifest.json'], 'base64').toString('utf8')) as {
      modelVersion?: unknown;
      modelId?: unknown;
      metrics?: { holdout?: { auc?: unknown; ks?: unknown; rows?: unknown } };
    };
    const holdout = manifest.metrics?.holdout;
    const fixed = (v: unknown): string | null => (typeof v === 'number' ? v.toFixed(3) : null);
    return Object.fromEntries(
      Object.entries({
        'Model id': text(manifest.modelId),
        'Model version': text(manifest.modelVersion),
        'Hold-out AUC': fixed(holdout?.auc),
        'Hold-out KS': fixed(holdout?.ks),
        'Hold-out rows': text(holdout?.rows),
      }).filter((e): e is [string, string] => e[1] !== null),
    );
  } catch {
    return { Manifest: 'unreadable (branches will refuse this package)' };
  }
}

async function summarise(db: ServerDb | Tx, input: ProposalInput): Promise<Summary> {
  switch (input.kind) {
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
      return {
        title: `Model release ${input.body.version}`,
        diff: [
          {
            label: 'Release',
            before: text((previous as { version?: string } | undefined)?.version),
            after: input.body.version,
          },
          ...keys.map((k) => ({ label: k, before: before[k] ?? null, after: after[k] ?? null })),
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

function dedupeKey(input: ProposalInput): string | null {
  switch (input.kind) {
    case 'policy.release':
      return `${input.kind}:${input.body.release.version}`;
    case 'model.release':
      return `${input.kind}:${input.body.version}`;
    case 'device.revoke':
      return `${input.kind}:${input.body.deviceId}`;
    case 'applicant.erasure':
      return `${input.kind}:${input.body.applicantId}`;
    case 'consent.withdrawal':
      return `${input.kind}:${input.body.applicantId}:${input.body.purpose}`;
    case 'admin.create':
      return `${input.kind}:${input.body.username}`;
    case 'officer.grant':
      return null;
  }
}

function requireRole(admin: AuthenticatedAdmin, kind: ProposalKind): void {
  if (!admin.roles.includes(PROPOSAL_ROLE[kind])) {
    throw new ApiError(
      403,
      'FORBIDDEN',
      `Only a ${PROPOSAL_ROLE[kind]} may propose or decide a ${PROPOSAL_KIND_LABELS[kind].toLowerCase()}.`,
    );
  }
}

export async function propose(
  ctx: ServerContext,
  admin: AuthenticatedAdmin,
  input: ProposalInput,
): Promise<ProposalView> {
  requireRole(admin, input.kind);
  const db = ctx.database.db;
  const now = ctx.now();
  const summary = await summarise(db, input);
  const key = dedupeKey(input);
  const row = await db.transaction(async (tx) => {
    if (key !== null) {
      const open = await tx
        .select({ id: proposals.id })
        .from(proposals)
        .where(and(eq(proposals.dedupeKey, key), eq(proposals.status, 'pending')));
      if (open.length > 0) {
        throw new ApiError(409, 'CONFLICT', `Proposal ${open[0]?.id ?? ''} for the same change is already pending.`);
      }
    }
    const [created] = await tx
      .insert(proposals)
      .values({
        kind: input.kind,
        body: input.body,
        summary,
        proposedBy: admin.adminId,
        proposedAt: now,
        dedupeKey: key,
      })
      .returning();
    if (created === undefined) {
      throw new ApiError(500, 'INTERNAL', 'The proposal was not stored.');
    }
    await appendServerAudit(
      tx,
      ctx.secrets.signing,
      { actor: admin.adminId, action: 'proposal.created', subject: `PRP-${created.id}`, payload: { kind: input.kind } },
      now,
    );
    return created;
  });
  return (await views(db, [row]))[0] as ProposalView;
}

/**
 * A request a branch raised for an applicant it did not register: held as a proposal of that device for a privacy
 * officer, inside the push's transaction. Returns false when the same request is already waiting.
 */
export async function holdBranchRequest(
  tx: Tx,
  signer: ServerContext['secrets']['signing'],
  deviceId: string,
  input: Extract<ProposalInput, { kind: 'applicant.erasure' | 'consent.withdrawal' }>,
  now: Date,
): Promise<boolean> {
  const key = dedupeKey(input);
  const open = await tx
    .select({ id: proposals.id })
    .from(proposals)
    .where(and(eq(proposals.dedupeKey, key ?? ''), eq(proposals.status, 'pending')));
  if (open.length > 0) {
    return false;
  }
  const summary = await summarise(tx, input);
  const [created] = await tx
    .insert(proposals)
    .values({ kind: input.kind, body: input.body, summary, proposedBy: deviceId, proposedAt: now, dedupeKey: key })
    .returning({ id: proposals.id });
  await appendServerAudit(
    tx,
    signer,
    {
      actor: deviceId,
      action: 'branch_request.held',
      subject: `PRP-${created?.id ?? 0}`,
      payload: { kind: input.kind, applicantId: input.body.applicantId },
    },
    now,
  );
  return true;
}

export interface DecisionOutcome {
  readonly proposal: ProposalView;
  /** admin.create: the new account's one-time password, for the approver to hand over. */
  readonly createdAdmin?: CreatedAdmin;
}

async function perform(ctx: ServerContext, tx: Tx, row: ProposalRow, approver: AuthenticatedAdmin, now: Date) {
  const body = row.body as never;
  const input = { kind: row.kind, body } as ProposalInput;
  switch (input.kind) {
    case 'policy.release':
      return { result: await publishRelease(tx, { kind: 'policy', body: input.body }, now) };
    case 'model.release':
      return { result: await publishRelease(tx, { kind: 'model', body: input.body }, now) };
    case 'officer.grant':
      return { result: await publishOfficer(tx, input.body, now) };
    case 'applicant.erasure':
      return { result: await publishRequest(tx, { kind: 'applicant.erasure', input: input.body }, now) };
    case 'consent.withdrawal':
      return { result: await publishRequest(tx, { kind: 'consent.withdrawal', input: input.body }, now) };
    case 'device.revoke':
      return { result: await revokeDevice(tx, input.body.deviceId, now) };
    case 'admin.create': {
      const created = await createAdminAccount(
        tx,
        ctx.secrets,
        { username: input.body.username, roles: input.body.roles, createdBy: approver.adminId },
        ctx.adminPolicy,
        now,
      );
      return { result: { adminId: created.adminId }, createdAdmin: created };
    }
  }
}

export async function decide(
  ctx: ServerContext,
  admin: AuthenticatedAdmin,
  proposalId: number,
  decision: 'approve' | 'reject',
  reason: string,
): Promise<DecisionOutcome> {
  const db = ctx.database.db;
  const now = ctx.now();
  let createdAdmin: CreatedAdmin | undefined;
  const row = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(proposals).where(eq(proposals.id, proposalId)).for('update');
    if (current === undefined) {
      throw new ApiError(404, 'NOT_FOUND', 'No such proposal.');
    }
    requireRole(admin, current.kind as ProposalKind);
    if (current.status !== 'pending') {
      throw new ApiError(409, 'CONFLICT', `The proposal was already ${current.status}.`);
    }
    if (current.proposedBy === admin.adminId) {
      throw new ApiError(403, 'FOUR_EYES_REQUIRED', 'A second administrator must decide: you made this proposal.');
    }
    let result: unknown = null;
    if (decision === 'approve') {
      const done = await perform(ctx, tx, current, admin, now);
      result = done.result;
      createdAdmin = done.createdAdmin;
    }
    const [updated] = await tx
      .update(proposals)
      .set({
        status: decision === 'approve' ? 'approved' : 'rejected',
        decidedBy: admin.adminId,
        decidedAt: now,
        decisionReason: reason,
        result,
      })
      .where(eq(proposals.id, proposalId))
      .returning();
    await appendServerAudit(
      tx,
      ctx.secrets.signing,
      {
        actor: admin.adminId,
        action: decision === 'approve' ? 'proposal.approved' : 'proposal.rejected',
        subject: `PRP-${proposalId}`,
        payload: { kind: current.kind, proposedBy: current.proposedBy, reason },
      },
      now,
    );
    return updated ?? current;
  });
  const [view] = await views(db, [row]);
  return { proposal: view as ProposalView, ...(createdAdmin === undefined ? {} : { createdAdmin }) };
}

async function views(db: ServerDb, rows: readonly ProposalRow[]): Promise<ProposalView[]> {
  const ids = [
    ...new Set(rows.flatMap((r) => [r.proposedBy, r.decidedBy ?? '']).filter((id) => id.startsWith('ADM-'))),
  ];
  const names = new Map(
    ids.length === 0
      ? []
      : (
          await db
            .select({ id: admins.adminId, name: admins.username })
            .from(admins)
            .where(inArray(admins.adminId, ids))
        ).map((a) => [a.id, a.name]),
  );
  return rows.map((r) => {
    const summary = r.summary as Summary;
    return {
      id: r.id,
      kind: r.kind as ProposalKind,
      title: summary.title,
      diff: summary.diff,
      proposedBy: r.proposedBy,
      proposedByName: names.get(r.proposedBy) ?? null,
      proposedAt: r.proposedAt.toISOString(),
      status: r.status,
      decidedBy: r.decidedBy,
      decidedByName: r.decidedBy === null ? null : (names.get(r.decidedBy) ?? null),
      decidedAt: r.decidedAt?.toISOString() ?? null,
      decisionReason: r.decisionReason,
      approverRole: PROPOSAL_ROLE[r.kind as ProposalKind],
      result: (r.result as Record<string, unknown> | null) ?? null,
    };
  });
}

export async function listProposals(
  db: ServerDb,
  status?: 'pending' | 'approved' | 'rejected',
): Promise<ProposalView[]> {
  const rows = await db
    .select()
    .from(proposals)
    .where(status === undefined ? undefined : eq(proposals.status, status))
    .orderBy(desc(proposals.id))
    .limit(200);
  return views(db, rows);
}
