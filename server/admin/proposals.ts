/**
 * Four-eyes proposals. Proposing stores the change and the diff a reviewer needs; approving, by a second administrator
 * with the kind's role, performs it in the same transaction as the decision and its audit entries; rejecting needs a
 * reason. Nothing of a proposal enters the feed before approval.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { PROPOSAL_KIND_LABELS, PROPOSAL_ROLE, type ProposalKind, type ProposalView } from '../../shared/sync/proposals';
import { appendServerAudit } from '../audit/server-audit';
import type { ServerDb } from '../db/database';
import { admins, proposals } from '../db/schema';
import type { AuthenticatedAdmin, ServerContext } from '../http/context';
import { ApiError } from '../http/errors';
import { createAdminAccount, type CreatedAdmin } from './accounts';
import { summarise, type ProposalInput, type Summary } from './proposal-summaries';

export type { ProposalInput } from './proposal-summaries';
import { revokeDevice } from '../sync/enrolment';
import { publishOfficer, publishRelease, publishRequest } from '../sync/publish';
import { changeRollout, publishAppRelease } from '../updates/app-releases';
import { withdrawModelRelease } from '../sync/fleet';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];
type ProposalRow = typeof proposals.$inferSelect;

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
    case 'app.release':
      return `${input.kind}:${input.body.signed.release.channel}:${input.body.signed.release.version}`;
    case 'app.rollout':
      return null;
    case 'model.withdrawal':
      return `${input.kind}:${input.body.version}`;
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
    case 'app.release':
      return { result: await publishAppRelease(tx, ctx.updatesDir, input.body, row.id, now) };
    case 'app.rollout':
      return { result: await changeRollout(tx, input.body, row.id, now) };
    case 'model.withdrawal':
      return { result: await withdrawModelRelease(tx, input.body.version, now) };
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
