import { z } from 'zod';
import { ROLES } from '../domain/roles';
import { PasswordInputSchema, UsernameSchema } from '../rules/accounts';

/** Inputs with no fields still go through a strict schema, so extra keys are refused. */
export const Empty = z.strictObject({});

export const Id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be an identifier');
export const RoleSchema = z.enum(ROLES);
export const IsoTimestamp = z.iso.datetime({ offset: false });

/** Read as typed and lower-cased, so `Baraka.Mwangi` signs in as `baraka.mwangi` (rules: shared/rules/accounts.ts). */
export const Username = UsernameSchema;

export const DisplayName = z.string().trim().min(1, 'required').max(100, 'at most 100 characters');

/** Length only: the composition rules (shared/rules/accounts.ts) are checked where the username is known. */
export const Password = PasswordInputSchema;
