import { z } from 'zod';
import { defineChannels } from './define';
import { DisplayName, Empty, Id, Password, RoleSchema, Username } from './common';
import { OfficerView } from './auth';

export const officersChannels = defineChannels('officers', {
  'officers:list': {
    input: Empty,
    output: z.array(OfficerView),
    access: ['admin', 'supervisor', 'auditor'],
    summary: 'Lists officer accounts on this workstation',
  },
  'officers:create': {
    input: z.strictObject({ username: Username, displayName: DisplayName, role: RoleSchema, password: Password }),
    output: OfficerView,
    access: ['admin'],
    summary: 'Creates an officer account (must change password at first sign-in)',
  },
  'officers:setStatus': {
    input: z.strictObject({ officerId: Id, status: z.enum(['active', 'disabled']) }),
    output: OfficerView,
    access: ['admin'],
    summary: 'Disables or re-enables an officer account',
  },
  'officers:resetPassword': {
    input: z.strictObject({ officerId: Id, newPassword: Password }),
    output: OfficerView,
    access: ['admin'],
    summary: 'Sets a temporary password, clears a lockout and forces a change at next sign-in',
  },
});
