import type { MantineColor } from '@mantine/core';
import { ADMIN_ROLE_LABELS, ADMIN_ROLES, type AdminRole } from '../../../../shared/sync/admin-auth';
import type { ProposalKind, ProposalView } from '../../../../shared/sync/proposals';

function isAdminRole(role: string): role is AdminRole {
  return (ADMIN_ROLES as readonly string[]).includes(role);
}

/** "Release manager" for a role the contract knows; the server's own word otherwise. */
export function roleLabel(role: string): string {
  return isAdminRole(role) ? ADMIN_ROLE_LABELS[role] : role;
}

/** What a console action that became a proposal tells its author. */
export function proposedMessage(proposal: ProposalView): string {
  return `Proposed — waiting for a second ${roleLabel(proposal.approverRole).toLowerCase()} to approve “${proposal.title}” (proposal #${proposal.id}).`;
}

export const PROPOSAL_STATUS: Record<ProposalView['status'], { text: string; color: MantineColor }> = {
  pending: { text: 'Pending', color: 'yellow' },
  approved: { text: 'Approved', color: 'teal' },
  rejected: { text: 'Rejected', color: 'gray' },
};

/** Who proposed or decided: the user name when the server gave it, the administrator id otherwise. */
export function adminName(name: string | null, id: string | null): string {
  return name ?? id ?? 'Unknown';
}

/** Why the signed-in administrator may not decide this proposal, or null when they may. */
export function decisionBlocker(
  proposal: ProposalView,
  me: { adminId: string; roles: readonly AdminRole[] },
): string | null {
  const role = roleLabel(proposal.approverRole).toLowerCase();
  if (proposal.proposedBy === me.adminId) {
    return `You made this proposal: a second ${role} must approve or reject it. Ask a colleague to sign in on their own workstation, or sign out and let them sign in here.`;
  }
  if (!isAdminRole(proposal.approverRole) || !me.roles.includes(proposal.approverRole)) {
    return `Only a ${role} may decide this proposal; your account does not have that role.`;
  }
  return null;
}

/** What approving a proposal of each kind does, for the confirmation step. */
export const APPROVAL_EFFECT: Record<ProposalKind, string> = {
  'model.release':
    'The model release is published at once; every branch verifies it and installs it with its next sync.',
  'policy.release': 'The policy release is published at once; every branch installs it with its next sync.',
  'officer.grant': 'The officer account reaches every branch with its next sync.',
  'applicant.erasure':
    "The request is published at once; every branch erases the applicant's personal data with its next sync. This cannot be undone.",
  'consent.withdrawal':
    "The withdrawal is published at once; every branch stops that use of the applicant's data with its next sync.",
  'device.revoke': 'The central API refuses this device from its next request. Revocation is final for the device key.',
  'admin.create': 'The administrator account is created.',
  'app.release':
    "The update is offered on its channel at once, to the rollout share of workstations; each verifies the bank's signature before it downloads, and installs at sign-out or next start.",
  'app.rollout': 'The new share of workstations on the channel is offered the update with their next check.',
  'model.withdrawal':
    'The withdrawal is published at once; every branch using the release goes back to its previous release with its next sync, and none installs it again. This cannot be undone.',
};
