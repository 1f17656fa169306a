/**
 * Central administrators: named accounts with a password and a TOTP second factor (RFC 6238), short-lived sessions,
 * and roles the server checks on every administrator route (docs/server.md, "Security model").
 */
import { z } from 'zod';
import { IsoTimeSchema } from './primitives';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from '../rules/accounts';

export const ADMIN_ROLES = ['security-admin', 'release-manager', 'privacy-officer', 'auditor'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];
export const ADMIN_ROLE_LABELS: Record<AdminRole, string> = {
  'security-admin': 'Security administrator',
  'release-manager': 'Release manager',
  'privacy-officer': 'Privacy officer',
  auditor: 'Auditor',
};
/** Every role may read the console's views; the auditor may do nothing else. */
export const ANY_ADMIN_ROLE: readonly AdminRole[] = ADMIN_ROLES;

/** The workstation's password policy (shared/rules/accounts.ts) holds for central administrators too. */
export const ADMIN_PASSWORD_MIN = PASSWORD_MIN_LENGTH;
export const ADMIN_PASSWORD_MAX = PASSWORD_MAX_LENGTH;
export const ADMIN_ID = /^ADM-[0-9A-Z]{16}$/;

export const AdminIdSchema = z.string().regex(ADMIN_ID);
export const AdminUsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,32}$/, 'A user name has 3 to 32 letters, digits, dots, dashes or underscores.');
export const AdminPasswordSchema = z
  .string()
  .max(ADMIN_PASSWORD_MAX)
  .superRefine((password, ctx) => {
    const problem = passwordProblem(password, '');
    if (problem !== null) {
      ctx.addIssue({ code: 'custom', message: problem });
    }
  });
export const TotpCodeSchema = z
  .string()
  .trim()
  .regex(/^[0-9]{6}$/, 'The code from the authenticator app has 6 digits.');
export const AdminRolesSchema = z
  .array(z.enum(ADMIN_ROLES))
  .min(1)
  .max(ADMIN_ROLES.length)
  .refine((roles) => new Set(roles).size === roles.length, 'Each role once.');

export const AdminSignInSchema = z.strictObject({
  username: AdminUsernameSchema,
  password: z.string().min(1).max(ADMIN_PASSWORD_MAX),
  /** Required once a second factor is enrolled. */
  totp: TotpCodeSchema.optional(),
});

export const AdminTotpEnrolSchema = z.strictObject({
  ticket: z.string().regex(/^nxt_[A-Za-z0-9_-]{43}$/),
  totp: TotpCodeSchema,
  /** First sign-in: the one-time password given by the bootstrap command is replaced. */
  newPassword: AdminPasswordSchema,
});

export const AdminPrincipalSchema = z.strictObject({
  adminId: AdminIdSchema,
  username: z.string(),
  roles: z.array(z.enum(ADMIN_ROLES)),
});
export type AdminPrincipal = z.infer<typeof AdminPrincipalSchema>;

export const AdminSessionSchema = z.strictObject({
  token: z.string().regex(/^nxs_[A-Za-z0-9_-]{43}$/),
  expiresAt: IsoTimeSchema,
  idleMinutes: z.number().int().min(1),
});

export const AdminSignInResponseSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('signed-in'), session: AdminSessionSchema, admin: AdminPrincipalSchema }),
  z.strictObject({
    status: z.literal('totp-enrolment'),
    /** Exchanged, with a first code and a new password, for a session at /v1/auth/admin/totp. */
    ticket: z.string(),
    expiresAt: IsoTimeSchema,
    /** Base32 TOTP secret and its otpauth:// URI, shown once for the authenticator app. */
    secret: z.string(),
    otpauthUri: z.string(),
  }),
]);
export type AdminSignInResponse = z.infer<typeof AdminSignInResponseSchema>;

export const AdminAccountSchema = z.strictObject({
  adminId: AdminIdSchema,
  username: z.string(),
  roles: z.array(z.enum(ADMIN_ROLES)),
  status: z.enum(['active', 'disabled']),
  totpEnrolled: z.boolean(),
  lockedUntil: IsoTimeSchema.nullable(),
  createdAt: IsoTimeSchema,
  lastSignInAt: IsoTimeSchema.nullable(),
});
export type AdminAccount = z.infer<typeof AdminAccountSchema>;
