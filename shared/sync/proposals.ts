/**
 * Four-eyes proposals (docs/server.md, "Four eyes"): what reaches every branch is proposed by one administrator and
 * takes effect only when a second, different administrator with the right role approves it.
 */
import { z } from 'zod';
import type { AdminRole } from './admin-auth';
import { AdminIdSchema } from './admin-auth';
import { IsoTimeSchema } from './primitives';

export const PROPOSAL_KINDS = [
  'model.release',
  'policy.release',
  'officer.grant',
  'applicant.erasure',
  'consent.withdrawal',
  'device.revoke',
  'admin.create',
  'app.release',
  'app.rollout',
  'model.withdrawal',
] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

/**
 * Who may propose and approve each kind (the same role; never the same person). Erasures and withdrawals that a
 * branch raises for an applicant another branch registered are proposed by that branch's device and wait for a
 * privacy officer.
 */
export const PROPOSAL_ROLE: Record<ProposalKind, AdminRole> = {
  'model.release': 'release-manager',
  'policy.release': 'release-manager',
  'officer.grant': 'release-manager',
  'applicant.erasure': 'privacy-officer',
  'consent.withdrawal': 'privacy-officer',
  'device.revoke': 'security-admin',
  'admin.create': 'security-admin',
  'app.release': 'release-manager',
  'app.rollout': 'release-manager',
  'model.withdrawal': 'release-manager',
};

export const PROPOSAL_KIND_LABELS: Record<ProposalKind, string> = {
  'model.release': 'Model release',
  'policy.release': 'Policy release',
  'officer.grant': 'Officer grant',
  'applicant.erasure': 'Bank-wide erasure',
  'consent.withdrawal': 'Consent withdrawal from another branch',
  'device.revoke': 'Device revocation',
  'admin.create': 'New administrator',
  'app.release': 'App release',
  'app.rollout': 'App rollout',
  'model.withdrawal': 'Model withdrawal',
};

export const ProposalIdParamsSchema = z.strictObject({ proposalId: z.coerce.number().int().min(1) });
export const ProposalDecisionSchema = z.strictObject({
  /** Why: kept in the server audit chain; no personal data. */
  reason: z.string().trim().min(3, 'Give a reason of at least 3 characters.').max(500),
});
export const ProposalListQuerySchema = z.strictObject({
  status: z.enum(['pending', 'approved', 'rejected']).optional(),
});

/** A line of the diff the reviewer sees: what is in force now, and what the proposal makes it. */
export const DiffLineSchema = z.strictObject({
  label: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export type DiffLine = z.infer<typeof DiffLineSchema>;

export const ProposalViewSchema = z.strictObject({
  id: z.number().int().min(1),
  kind: z.enum(PROPOSAL_KINDS),
  title: z.string(),
  diff: z.array(DiffLineSchema),
  proposedBy: z.string(),
  proposedByName: z.string().nullable(),
  proposedAt: IsoTimeSchema,
  status: z.enum(['pending', 'approved', 'rejected']),
  decidedBy: AdminIdSchema.nullable(),
  decidedByName: z.string().nullable(),
  decidedAt: IsoTimeSchema.nullable(),
  decisionReason: z.string().nullable(),
  /** The role that may approve it. */
  approverRole: z.string(),
  /** What approval did (feed item id and version, revocation time…); null while pending or after a rejection. */
  result: z.record(z.string(), z.unknown()).nullable(),
});
export type ProposalView = z.infer<typeof ProposalViewSchema>;

export const ProposalAnswerSchema = z.strictObject({ proposal: ProposalViewSchema });
