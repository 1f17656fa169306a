/** The workstation's screens and who sees them; visibility follows the IPC contract's access rules. */
import type { ComponentType } from 'react';
import type { Role } from '../../../shared/domain/roles';
import type { Channel } from '../../../shared/ipc/contract';
import { canCall } from '../auth/permissions';
import {
  IconApplicants,
  IconAudit,
  IconModel,
  IconOfficers,
  IconReview,
  IconSettings,
  IconStatus,
  IconSync,
  type IconProps,
} from '../components/icons';

export type ScreenId = 'status' | 'applicants' | 'referrals' | 'batch' | 'audit' | 'officers' | 'sync' | 'settings';

export interface NavItem {
  readonly id: ScreenId;
  readonly label: string;
  readonly icon: ComponentType<IconProps>;
  /** The channel the screen cannot work without; the item shows only to roles that may call it. */
  readonly requires: Channel;
}

export const NAV_ITEMS: readonly NavItem[] = [
  {
    id: 'status',
    label: 'Status',
    icon: IconStatus,
    requires: 'system:status',
  },
  {
    id: 'applicants',
    label: 'Applicants',
    icon: IconApplicants,
    requires: 'applicants:list',
  },
  {
    id: 'referrals',
    label: 'Referrals',
    icon: IconReview,
    requires: 'decisions:pendingReviews',
  },
  {
    id: 'batch',
    label: 'Batch scoring',
    icon: IconModel,
    requires: 'scoring:batch',
  },
  {
    id: 'audit',
    label: 'Audit trail',
    icon: IconAudit,
    requires: 'audit:list',
  },
  {
    id: 'officers',
    label: 'Officers',
    icon: IconOfficers,
    requires: 'officers:list',
  },
  {
    id: 'sync',
    label: 'Sync console',
    icon: IconSync,
    requires: 'console:overview',
  },
  {
    id: 'settings',
    label: 'Settings',
    icon: IconSettings,
    requires: 'system:updateSettings',
  },
];

export function navItemsFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => canCall(role, item.requires));
}

/**
 * The first screen after sign-in: officers and supervisors start their day on the applicant queue, an auditor on
 * the audit trail; an administrator runs the workstation, so Status. Falls back to the first screen the role has.
 */
const LANDING: Record<Role, ScreenId> = {
  officer: 'applicants',
  supervisor: 'applicants',
  auditor: 'audit',
  admin: 'status',
};

export function landingFor(role: Role): ScreenId {
  const items = navItemsFor(role);
  return items.some((item) => item.id === LANDING[role]) ? LANDING[role] : (items[0]?.id ?? 'status');
}
