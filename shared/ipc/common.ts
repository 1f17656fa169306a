import { z } from 'zod';
import { ROLES } from '../domain/roles';

/** Inputs with no fields still go through a strict schema, so extra keys are refused. */
export const Empty = z.strictObject({});

export const Id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be an identifier');
export const RoleSchema = z.enum(ROLES);
export const IsoTimestamp = z.iso.datetime({ offset: false });

export const Username = z
  .string()
  .min(3, 'at least 3 characters')
  .max(64, 'at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash or underscore');

export const DisplayName = z.string().trim().min(1, 'required').max(100, 'at most 100 characters');

/** Length only: the composition rules live in the core (PASSWORD_POLICY) so the UI can show one message. */
export const Password = z.string().min(1, 'required').max(256, 'at most 256 characters');
