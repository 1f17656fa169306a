/** Officer roles. Permissions are decided per IPC channel in the contract and enforced in the core. */
export const ROLES = ['officer', 'supervisor', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  officer: 'Loan officer',
  supervisor: 'Supervisor',
  admin: 'Administrator',
  auditor: 'Auditor',
};
