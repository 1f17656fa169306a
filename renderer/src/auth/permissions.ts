/**
 * What the signed-in role may call, read from the IPC contract itself, so the UI hides exactly what the core would
 * refuse. The core still checks every call; this only avoids showing doors that do not open.
 */
import { contract, type Channel } from '../../../shared/ipc/contract';
import type { Role } from '../../../shared/domain/roles';

export function canCall(role: Role, channel: Channel): boolean {
  const access = contract[channel].access;
  return typeof access === 'string' ? true : (access as readonly Role[]).includes(role);
}
