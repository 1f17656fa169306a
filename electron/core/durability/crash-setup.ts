/** The drill's first-run set-up, done through `dispatch` like the renderer: an administrator, the bank, an officer. */
import { NexisError } from '../errors';
import { ORGANISATION } from '../testing/intake-fixtures';
import { ADMIN } from '../testing/temp-workstation';
import type { Workstation } from '../workstation';
import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/ipc/contract';
import { DRILL_OFFICER } from './crash-protocol';

/** `dispatch` that throws the typed error of a refusal, for a workload that expects every call to succeed. */
export async function mustCall<C extends Channel>(
  ws: Workstation,
  connectionId: string,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const result = await ws.dispatch(connectionId, channel, input);
  if (!result.ok) {
    throw new NexisError(result.error.code, `${channel}: ${result.error.message}`);
  }
  return result.value as ChannelOutput<C>;
}

export async function setUpDrillSite(ws: Workstation): Promise<void> {
  await mustCall(ws, 'drill-admin', 'auth:setup', ADMIN);
  await mustCall(ws, 'drill-admin', 'system:updateOrganisation', ORGANISATION);
  await mustCall(ws, 'drill-admin', 'officers:create', {
    username: DRILL_OFFICER.username,
    displayName: 'Crash drill officer',
    role: 'officer',
    password: DRILL_OFFICER.temporaryPassword,
  });
  await mustCall(ws, 'drill-setup', 'auth:signIn', {
    username: DRILL_OFFICER.username,
    password: DRILL_OFFICER.temporaryPassword,
  });
  await mustCall(ws, 'drill-setup', 'auth:changePassword', {
    currentPassword: DRILL_OFFICER.temporaryPassword,
    newPassword: DRILL_OFFICER.password,
  });
  ws.disconnect('drill-setup');
  ws.disconnect('drill-admin');
}
