import { z } from 'zod';
import { defineChannels } from './define';
import { DisplayName, Empty, Id, IsoTimestamp, Password, RoleSchema, Username } from './common';

export const OfficerView = z.strictObject({
  id: Id,
  username: Username,
  displayName: z.string(),
  role: RoleSchema,
  status: z.enum(['active', 'disabled']),
  mustChangePassword: z.boolean(),
  lockedUntil: IsoTimestamp.nullable(),
  createdAt: IsoTimestamp,
});
export type OfficerView = z.infer<typeof OfficerView>;

export const SessionView = z.strictObject({
  officer: OfficerView,
  locked: z.boolean(),
  idleTimeoutMs: z.number().int().positive(),
  signedInAt: IsoTimestamp,
});
export type SessionView = z.infer<typeof SessionView>;

export const AuthStatus = z.strictObject({
  setupRequired: z.boolean(),
  deviceId: z.string(),
  session: SessionView.nullable(),
});
export type AuthStatus = z.infer<typeof AuthStatus>;

export const authChannels = defineChannels('auth', {
  'auth:status': {
    input: Empty,
    output: AuthStatus,
    access: 'public',
    summary: 'Whether first-run setup is needed, and the current session',
  },
  'auth:setup': {
    input: z.strictObject({ username: Username, displayName: DisplayName, password: Password }),
    output: SessionView,
    access: 'public',
    summary: 'First-run setup: creates the first administrator and signs them in',
  },
  'auth:signIn': {
    input: z.strictObject({ username: Username, password: Password }),
    output: SessionView,
    access: 'public',
    summary: 'Signs an officer in',
  },
  'auth:signOut': { input: Empty, output: z.null(), access: 'session', summary: 'Ends the session' },
  'auth:lock': { input: Empty, output: z.null(), access: 'session', summary: 'Locks the session now' },
  'auth:activity': {
    input: Empty,
    output: z.strictObject({ locked: z.boolean() }),
    access: 'session',
    summary:
      'Reports keyboard or pointer activity so an officer filling a long form is not locked (throttled by the UI)',
  },
  'auth:unlock': {
    input: z.strictObject({ password: Password }),
    output: SessionView,
    access: 'session',
    summary: "Unlocks a locked session with the signed-in officer's password",
  },
  'auth:changePassword': {
    input: z.strictObject({ currentPassword: Password, newPassword: Password }),
    output: SessionView,
    access: 'session',
    summary: "Changes the signed-in officer's password",
  },
});

export { Empty, Id };
